import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { SQL_DIR } from './paths.js'
import { rebuildSnapshots } from './snapshots.js'

export const MIGRATIONS_DIR = join(SQL_DIR, 'migrations')
const FILE_PATTERN = /^\d{4}_[a-z0-9_]+\.sql$/

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`migration ${file} failed: ${reason}`)
  }
}

export interface MigrationResult {
  applied: string[]
  skipped: string[]
}

interface MigrationFile {
  name: string
  sql: string
  checksum: string
}

/** Splits a file into statements at semicolons that end a line; migrations keep one statement per `;\n`. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0)
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort()
  return Promise.all(
    names.map(async (name) => {
      if (!FILE_PATTERN.test(name)) throw new MigrationError(name, 'file name must look like 0001_name.sql')
      const sql = await readFile(join(dir, name), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

async function appliedMigrations(client: ClickHouseClient): Promise<Map<string, string>> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS plumb_migrations
      (name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ReplacingMergeTree(applied_at) ORDER BY name`,
  })
  const rows = await client.query({
    query: 'SELECT name, checksum FROM plumb_migrations FINAL',
    format: 'JSONEachRow',
  })
  const list = await rows.json<{ name: string; checksum: string }>()
  return new Map(list.map((r) => [r.name, r.checksum]))
}

/** Applies every migration not yet recorded, in file order. Stops at the first failure, naming the file. */
export async function migrate(client: ClickHouseClient, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrations(dir)
  const done = await appliedMigrations(client)
  const result: MigrationResult = { applied: [], skipped: [] }
  for (const file of files) {
    const recorded = done.get(file.name)
    if (recorded !== undefined) {
      if (recorded !== file.checksum) {
        throw new MigrationError(
          file.name,
          'already applied with different contents; add a new migration instead',
        )
      }
      result.skipped.push(file.name)
      continue
    }
    for (const statement of splitStatements(file.sql)) {
      try {
        await client.command({ query: statement })
      } catch (error) {
        throw new MigrationError(file.name, error instanceof Error ? error.message : String(error))
      }
    }
    await client.insert({
      table: 'plumb_migrations',
      values: [{ name: file.name, checksum: file.checksum }],
      format: 'JSONEachRow',
    })
    result.applied.push(file.name)
  }
  // A schema change may change what a snapshot holds: recompute them from their sources.
  if (result.applied.length > 0) await rebuildSnapshots(client)
  return result
}

/** True when every migration file is recorded as applied (for /healthz). */
export async function migrationsPending(client: ClickHouseClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir)
  const done = await appliedMigrations(client)
  return files.filter((f) => !done.has(f.name)).map((f) => f.name)
}
