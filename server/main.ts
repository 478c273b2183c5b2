import type { AddressInfo } from 'node:net'
import { loadConfig, type PlumbConfig } from '../ingest/config.js'
import { loadCatalog } from '../ingest/networks/index.js'
import { openDb } from '../ingest/store/db.js'
import { migrate } from '../ingest/store/migrate.js'
import { createApp } from './app.js'

/** `auto`: the demo runs when no ClickHouse server is configured (the embedded quick start). */
function demoWanted(config: PlumbConfig): boolean {
  return config.PLUMB_DEMO === 'on' || (config.PLUMB_DEMO === 'auto' && !config.CLICKHOUSE_URL)
}

/** This server's own URL (a wildcard address is reached on loopback). */
function ownUrl({ address, family, port }: AddressInfo): string {
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`
}

async function main(): Promise<void> {
  const config = loadConfig()
  const catalog = loadCatalog()
  const db = openDb(config)
  const { applied } = await migrate(db.writer)
  if (applied.length > 0) console.log(`plumb: applied migrations ${applied.join(', ')}`)
  const app = await createApp({ config, db, catalog })
  await app.listen(config.PORT, config.HOST)
  const where = db.engine === 'embedded' ? `embedded ClickHouse in ${config.dataDir}` : config.CLICKHOUSE_URL
  console.log(`plumb: dashboard and GraphQL on http://${config.HOST}:${config.PORT} (${where})`)
  // The devnets are only loaded when the demo runs: a production server never needs them.
  const demo = demoWanted(config)
    ? (await import('../devnet/demo.js')).startDemo({
        db,
        catalog,
        dataDir: config.dataDir,
        telemetryEndpoint: ownUrl(app.getHttpServer().address() as AddressInfo),
        log: (line) => console.log(`plumb: ${line}`),
      })
    : null
  demo?.ready.catch((error: unknown) =>
    console.error(`plumb: demo failed: ${error instanceof Error ? error.message : String(error)}`),
  )
  const stop = async (): Promise<void> => {
    await demo?.stop()
    await app.close()
    await db.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  console.error(`plumb: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
