/**
 * The API server as a child process for the crash test: opens the embedded database in
 * PLUMB_DATA_DIR, migrates, listens on a free port and prints {"port": n} on stdout.
 */
import type { AddressInfo } from 'node:net'
import { loadConfig } from '../../ingest/config.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { openDb } from '../../ingest/store/db.js'
import { migrate } from '../../ingest/store/migrate.js'
import { createApp } from '../../server/app.js'

const config = loadConfig({
  PLUMB_LOG_LEVEL: 'warn',
  PLUMB_INGEST_NODE_BURST: '100000',
  ...process.env,
  PORT: '0',
})
const db = openDb(config)
await migrate(db.writer)
const app = await createApp({ config, db, catalog: loadCatalog() })
await app.listen(0, '127.0.0.1')
const { port } = app.getHttpServer().address() as AddressInfo
process.stdout.write(`${JSON.stringify({ port })}\n`)
process.once('SIGTERM', () => {
  void (async () => {
    await app.close()
    await db.close()
    process.exit(0)
  })()
})
