import { loadConfig } from '../../ingest/config.js'
import { openDb } from '../../ingest/store/db.js'
import { migrate } from '../../ingest/store/migrate.js'

const db = openDb(loadConfig())
try {
  const { applied, skipped } = await migrate(db.writer)
  console.log(`migrations: ${applied.length} applied, ${skipped.length} already applied`)
  for (const name of applied) console.log(`  applied ${name}`)
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
} finally {
  await db.close()
}
