import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Inject, Injectable } from '@nestjs/common'
import type { PlumbConfig } from '../../ingest/config.js'
import type { Db } from '../../ingest/store/db.js'
import { SQL_DIR } from '../../ingest/store/paths.js'
import { badInput } from './errors.js'
import { ResultCache } from './result-cache.js'
import { CONFIG, DB } from './tokens.js'

export type SqlParams = Record<string, unknown>

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  UInt8: [0n, 2n ** 8n - 1n],
  UInt16: [0n, 2n ** 16n - 1n],
  UInt32: [0n, 2n ** 32n - 1n],
  UInt64: [0n, 2n ** 64n - 1n],
  Int8: [-(2n ** 7n), 2n ** 7n - 1n],
  Int16: [-(2n ** 15n), 2n ** 15n - 1n],
  Int32: [-(2n ** 31n), 2n ** 31n - 1n],
  Int64: [-(2n ** 63n), 2n ** 63n - 1n],
}
const NUMBER_PARAMETER = /\{(\w+):\s*((?:U?Int|Float)\d+)\s*\}/g

/**
 * The numbers of `params` checked against the types their parameters declare in `sql`
 * ({after_index:UInt32}). A number its type cannot hold (a fraction or a negative for an unsigned
 * type) is a ClickHouse error, one beyond the type's range silently wraps, and the client refuses
 * integers beyond 2^53: those go as exact decimal text (a Float64 sort key of 1e18). Numbers come
 * unchecked from clients only inside cursors, the `after_*` parameters (a tampered `after`): that is
 * BAD_USER_INPUT; any other parameter out of its range is a server bug.
 */
export function bindableParams(sql: string, params: SqlParams): SqlParams {
  let out = params
  for (const [name, type] of numberParameters(sql)) {
    const value = out[name]
    if (typeof value !== 'number') continue
    const range = INTEGER_RANGES[type]
    const fits = range
      ? Number.isInteger(value) && BigInt(value) >= range[0] && BigInt(value) <= range[1]
      : Number.isFinite(value)
    if (!fits) {
      if (name.startsWith('after_')) throw badInput('after', 'not a cursor returned by this field')
      throw new Error(`query parameter ${name}: ${value} is not a ${type}`)
    }
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      out = { ...out, [name]: BigInt(value).toString() }
    }
  }
  return out
}

const declared = new Map<string, [string, string][]>()

/** The numeric parameters a SQL text declares, [name, type], found once per text. */
function numberParameters(sql: string): [string, string][] {
  let found = declared.get(sql)
  if (!found) {
    found = [...sql.matchAll(NUMBER_PARAMETER)].map(([, name = '', type = '']) => [name, type])
    declared.set(sql, found)
  }
  return found
}

/** Rows the result cache holds at most: API results are small (pages of ≤ 1000, series). */
const CACHED_ROWS = 500_000

/**
 * Runs the SQL files of sql/metrics and sql/queries on the read-only client. Inputs only ever
 * travel as ClickHouse query parameters ({name:Type} in the file); nothing is concatenated.
 * Results are kept while the tables they read are unchanged (server/core/result-cache.ts).
 */
@Injectable()
export class SqlService {
  private readonly files = new Map<string, string>()
  private readonly cache: ResultCache

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(CONFIG) config: PlumbConfig,
  ) {
    this.cache = new ResultCache({
      maxEntries: config.PLUMB_API_CACHE_ENTRIES,
      maxRows: CACHED_ROWS,
      maxStaleMs: config.PLUMB_API_MAX_STALE_S * 1000,
      versions: async () => {
        const rows = await this.query<{ table: string; version: string }>('queries/table_versions', {})
        return new Map(rows.map((r) => [r.table, r.version]))
      },
    })
  }

  /** The text of `sql/<path>.sql`, as shown to users. */
  text(path: string): string {
    let sql = this.files.get(path)
    if (sql === undefined) {
      sql = readFileSync(join(SQL_DIR, `${path}.sql`), 'utf8')
      this.files.set(path, sql)
    }
    return sql
  }

  /** The rows of a file's query: shared with other requests, so frozen. */
  async rows<T>(path: string, params: SqlParams = {}): Promise<readonly T[]> {
    const bound = bindableParams(this.text(path), params)
    return this.cache.rows(`${path}\n${JSON.stringify(bound)}`, this.text(path), () =>
      this.query<T>(path, bound),
    )
  }

  private async query<T>(path: string, params: SqlParams): Promise<T[]> {
    const result = await this.db.reader.query({
      query: this.text(path),
      query_params: params,
      format: 'JSONEachRow',
    })
    return result.json<T>()
  }
}
