/**
 * The telemetry ingest process of the chaos run: what ingest/telemetry/main.ts runs (the standalone
 * ingest routes on node:http, TelemetryIngest with its WAL, an embedded ClickHouse in
 * PLUMB_DATA_DIR), listening on a free port, plus one way to make ClickHouse unavailable:
 *
 * SIGUSR2 closes the embedded engine's connections (both chdb sessions, writer and reader) for
 * PLUMB_CHAOS_OUTAGE_MS, then opens new ones on the same directory. While closed, every statement
 * fails as it does on a closed chdb connection ("ChdbConnection is closed"): the flusher keeps the
 * acknowledged samples in the WAL and retries, the backlog grows to PLUMB_INGEST_MAX_BACKLOG_MB and
 * the routes answer 503. Statements already running when the outage starts are let finish before the
 * sessions close (closing a chdb session under a running statement is not a failure mode of a
 * server, it is undefined behaviour of the native library).
 *
 * Prints JSON lines on stdout: {"port"}, {"outage": "start" | "end", "at"}, {"log"} (the ingest's
 * own log lines, e.g. "telemetry WAL: replayed N samples").
 */
import type { AddressInfo } from 'node:net'
import type { ClickHouseClient } from '@clickhouse/client'
import { loadConfig } from '../../ingest/config.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { openDb, type Db, type TextInsert } from '../../ingest/store/db.js'
import { migrate } from '../../ingest/store/migrate.js'
import { Store } from '../../ingest/store/store.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { createIngestServer } from '../../ingest/telemetry/standalone.js'

const emit = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`)

const config = loadConfig()
const outageMs = Number(process.env.PLUMB_CHAOS_OUTAGE_MS ?? 10_000)
let db: Db = openDb(config)
await migrate(db.writer)

let closed = false
let inFlight = 0
let settled: (() => void) | null = null
const closedError = (): Error => new Error('ChdbConnection is closed')

/** A call on the current connection, or the error of a closed one. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  if (closed) throw closedError()
  inFlight++
  try {
    return await call()
  } finally {
    inFlight--
    if (inFlight === 0) settled?.()
  }
}

/** The writer as the ingest sees it: whatever connection is open now. */
const writer = new Proxy({} as ClickHouseClient, {
  get(_target, prop) {
    const value = (db.writer as unknown as Record<PropertyKey, unknown>)[prop]
    if (typeof value !== 'function') return value
    return (...args: unknown[]) =>
      guarded(() => (value as (...a: unknown[]) => Promise<unknown>).apply(db.writer, args))
  },
})
const insertText: TextInsert = (params) => guarded(() => db.insertText(params))

async function outage(): Promise<void> {
  if (closed) return
  closed = true
  const started = Date.now()
  emit({ outage: 'start', at: started })
  if (inFlight > 0) await new Promise<void>((resolve) => (settled = resolve))
  settled = null
  await db.close()
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + outageMs - Date.now())))
  db = openDb(config)
  closed = false
  emit({ outage: 'end', at: Date.now() })
}

const ingest = new TelemetryIngest({
  store: new Store(writer, insertText),
  client: writer,
  dataDir: config.dataDir,
  networks: loadCatalog().map((n) => n.id),
  tokens: config.PLUMB_INGEST_TOKENS,
  nodeRate: config.PLUMB_INGEST_NODE_RATE,
  nodeBurst: config.PLUMB_INGEST_NODE_BURST,
  maxBacklogBytes: config.PLUMB_INGEST_MAX_BACKLOG_MB * 1024 * 1024,
  maxAgeMs: config.PLUMB_INGEST_MAX_AGE_H * 3_600_000,
  log: (level, message) => emit({ log: message, level }),
})
const server = createIngestServer(ingest)
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
emit({ port: (server.address() as AddressInfo).port })
process.on('SIGUSR2', () => void outage())
process.once('SIGTERM', () => {
  void (async () => {
    server.close()
    await ingest.stop(60_000)
    await db.close()
    process.exit(0)
  })()
})
await ingest.start()
emit({ ready: true })
