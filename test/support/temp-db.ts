import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type PlumbConfig } from '../../ingest/config.js'
import { openDb, type Db } from '../../ingest/store/db.js'
import { migrate } from '../../ingest/store/migrate.js'

export interface TempDb {
  config: PlumbConfig
  db: Db
  dispose(): Promise<void>
}

/** A migrated embedded database in a fresh directory (one per test file: chdb binds one per process). */
export async function openTempDb(env: NodeJS.ProcessEnv = {}): Promise<TempDb> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-test-'))
  const config = loadConfig({ PLUMB_DATA_DIR: dir, PLUMB_LOG_LEVEL: 'warn', PORT: '0', ...env })
  const db = openDb(config)
  await migrate(db.writer)
  return {
    config,
    db,
    async dispose() {
      await db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
