/**
 * Reads an embedded database from its own process: chdb binds one data directory per process, and
 * the chaos run has two (the chain ingest's and the telemetry ingest's). Opens PLUMB_DATA_DIR, runs
 * the queries given on stdin as JSON (`{"name": "SELECT …"}`), prints `{"name": rows}` on stdout.
 */
import { loadConfig } from '../../ingest/config.js'
import { openDb } from '../../ingest/store/db.js'

let input = ''
for await (const chunk of process.stdin) input += (chunk as Buffer).toString()
const queries = JSON.parse(input) as Record<string, string>
const db = openDb(loadConfig())
try {
  const out: Record<string, unknown[]> = {}
  for (const [name, query] of Object.entries(queries)) {
    const result = await db.writer.query({ query, format: 'JSONEachRow' })
    out[name] = await result.json()
  }
  process.stdout.write(JSON.stringify(out))
} finally {
  await db.close()
}
