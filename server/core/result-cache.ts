import { LRUCache } from 'lru-cache'

/** Table name → version (sql/queries/table_versions.sql); a table without parts is missing. */
export type TableVersions = ReadonlyMap<string, string>

export interface ResultCacheOptions {
  /** Results kept at most (least recently used go first); 0 turns the cache off. */
  maxEntries: number
  /**
   * How old a result may be when served while its replacement is computed (stale while
   * revalidate); 0: a result is served only while the tables it read are unchanged.
   */
  maxStaleMs: number
  /** The current versions of the tables (one query, shared by the callers waiting on it). */
  versions: () => Promise<TableVersions>
  now?: () => number
}

interface Entry {
  version: string
  rows: readonly unknown[]
  /** When the versions were read before computing: the data is at least this recent. */
  at: number
}

const TABLE_REFERENCE = /\b(?:FROM|JOIN)\s+([A-Za-z_]\w*)\b(?![.(])/gi

/**
 * The tables a query reads: the names after FROM and JOIN (a CTE's name among them only adds a
 * version that never changes). Null when the query reads system tables, whose contents have no
 * version, or names no table at all: such a query is not cached.
 */
export function tablesRead(sql: string): string[] | null {
  if (/\bsystem\./i.test(sql)) return null
  const tables = [...new Set([...sql.matchAll(TABLE_REFERENCE)].map((m) => m[1] ?? ''))].sort()
  return tables.length > 0 ? tables : null
}

/**
 * Results of the API's SQL, kept while the tables a query reads are unchanged: a repeated query over
 * unchanged data costs one small query over system.parts instead of its own analysis and run. A
 * result is computed once however many requests wait for it, and it is frozen (shared, never copied).
 */
export class ResultCache {
  private readonly entries: LRUCache<string, Entry> | null
  private readonly computing = new Map<string, Promise<readonly unknown[]>>()
  private readonly dependencies = new Map<string, string[] | null>()
  private reading: Promise<{ versions: TableVersions; at: number }> | null = null
  private readonly now: () => number

  constructor(private readonly options: ResultCacheOptions) {
    this.entries = options.maxEntries > 0 ? new LRUCache({ max: options.maxEntries }) : null
    this.now = options.now ?? Date.now
  }

  /** The rows of `sql` bound as `key`, from the cache when its tables are unchanged. */
  async rows<T>(key: string, sql: string, compute: () => Promise<T[]>): Promise<readonly T[]> {
    const tables = this.tablesOf(sql)
    if (!this.entries || !tables) return compute()
    const { versions, at } = await this.currentVersions()
    const version = tables.map((t) => versions.get(t) ?? '').join(',')
    const entry = this.entries.get(key)
    if (entry?.version === version) return entry.rows as readonly T[]
    const update = this.refresh(key, version, at, compute)
    if (entry && this.options.maxStaleMs > 0 && at - entry.at <= this.options.maxStaleMs) {
      update.catch(() => undefined)
      return entry.rows as readonly T[]
    }
    return update as Promise<readonly T[]>
  }

  private tablesOf(sql: string): string[] | null {
    let tables = this.dependencies.get(sql)
    if (tables === undefined) {
      tables = tablesRead(sql)
      this.dependencies.set(sql, tables)
    }
    return tables
  }

  /**
   * One read of the versions at a time; callers arriving while it runs share it (their data is then
   * as recent as that read: a few milliseconds).
   */
  private currentVersions(): Promise<{ versions: TableVersions; at: number }> {
    if (!this.reading) {
      const at = this.now()
      this.reading = this.options
        .versions()
        .then((versions) => ({ versions, at }))
        .finally(() => (this.reading = null))
    }
    return this.reading
  }

  /** Computes a result once for all who wait on the same key and version. */
  private refresh<T>(
    key: string,
    version: string,
    at: number,
    compute: () => Promise<T[]>,
  ): Promise<readonly unknown[]> {
    const flight = `${version}\n${key}`
    let running = this.computing.get(flight)
    if (!running) {
      running = compute()
        .then((rows) => {
          const frozen = Object.freeze(rows.map((r) => (typeof r === 'object' ? Object.freeze(r) : r)))
          const current = this.entries?.get(key)
          if (!current || current.at <= at) this.entries?.set(key, { version, rows: frozen, at })
          return frozen
        })
        .finally(() => this.computing.delete(flight))
      this.computing.set(flight, running)
    }
    return running
  }
}
