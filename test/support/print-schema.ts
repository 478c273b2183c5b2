import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadCatalog } from '../../ingest/networks/index.js'
import { ROOT_DIR } from '../../ingest/store/paths.js'
import { createApp } from '../../server/app.js'
import { schemaText } from '../../server/schema-text.js'
import { openTempDb } from './temp-db.js'

/** Writes schema.graphql from the code (npm run schema). */
const temp = await openTempDb()
const app = await createApp({ config: temp.config, db: temp.db, catalog: loadCatalog() })
await app.init()
writeFileSync(join(ROOT_DIR, 'schema.graphql'), schemaText(app))
await app.close()
await temp.dispose()
console.log('wrote schema.graphql')
