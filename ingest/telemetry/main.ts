/**
 * The standalone telemetry ingest process:
 *   node --import @swc-node/register/esm-register ingest/telemetry/main.ts
 * Listens on HOST:PLUMB_INGEST_PORT. With the embedded engine it must not share PLUMB_DATA_DIR
 * with a running API server (one process per chdb data directory); with CLICKHOUSE_URL it runs
 * beside any number of API servers. Every node's batches must reach the same ingest process
 * (sequence numbers are checked in its memory).
 */
import type { AddressInfo } from 'node:net'
import { loadConfig } from '../config.js'
import { loadCatalog } from '../networks/index.js'
import { openDb } from '../store/db.js'
import { migrate } from '../store/migrate.js'
import { telemetryIngestFromConfig } from './factory.js'
import { createIngestServer } from './standalone.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const db = openDb(config)
  await migrate(db.writer)
  const ingest = telemetryIngestFromConfig(
    db,
    config,
    loadCatalog().map((n) => n.id),
  )
  const server = createIngestServer(ingest)
  // Listen first: until the WAL is replayed the routes answer 503 'starting'.
  await new Promise<void>((resolve) => server.listen(config.PLUMB_INGEST_PORT, config.HOST, resolve))
  const { port } = server.address() as AddressInfo
  console.log(`plumb telemetry ingest: http://${config.HOST}:${port}/ingest/v1/telemetry`)
  await ingest.start()
  const stop = async (): Promise<void> => {
    server.close()
    await ingest.stop()
    await db.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  console.error(`plumb telemetry ingest: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
