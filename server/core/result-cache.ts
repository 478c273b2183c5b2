import { LRUCache } from 'lru-cache'

/** Table name → version (sql/queries/table_versions.sql); a table without parts is missing. */
export type TableVersions = ReadonlyMap<string, string>

export interface ResultCacheOptions {
  /** Results kept at most (least recently used go first); 0 turns the cache off. */
  maxEntries: number
  /** Rows kept at most, all results together (a bound on memory); a larger result is not kept. */
  maxRows: number
  /**
   * How far behind the data an answer may be: within it, the table versions last read are used
   * (read again in the background) and a result whose tables changed is served while its
   * replacement is computed (stale while revalidate). 0: every answer reflects every change
   * committed before the request (the versions are read for each).
   */
  maxStaleMs: number
  /** The current versions of the tables (one query, shared by the callers waiting on it). */
  versions: () => Promise<TableVersions>
  now?: () => number
}

interface Versions {
  versions: TableVersions
  /** When they were read. */
  at: number
}

interface Entry {
  version: string
  rows: readonly unknown[]
  /** When the versions were read before computing: the data is at least this recent. */
  at: number
}

const TABLE_REFERENCE = /\b(?:FROM|JOIN)\s+([A-Za-z_]\w*)\b(?![.(])/gi

const VERSIONED_BY = /^--\s*Versioned by:\s*([\w, ]+)$/im

/**
 * The tables a query reads: the names after FROM and JOIN (a CTE's name among them only adds a
 * version that never changes). A query over system tables has no version of its own: it is cached
 * only when a `-- Versioned by: t1, t2` line names the tables whose parts it reads
 * (sql/queries/latest_data.sql); else, like a query that names no table at all, it is not cached.
 */
export function tablesRead(sql: string): string[] | null {
  if (/\bsystem\./i.test(sql)) {
    const declared = VERSIONED_BY.exec(sql)?.[1]
    return declared ? [...new Set(declared.split(',').map((t) => t.trim()))].filter(Boolean).sort() : null
  }
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
  private reading: Promise<Versions> | null = null
  private known: Versions | null = null
  private readonly now: () => number

  constructor(private readonly options: ResultCacheOptions) {
    this.entries =
      options.maxEntries > 0
        ? new LRUCache({
            max: options.maxEntries,
            maxSize: options.maxRows,
            sizeCalculation: (e: Entry) => e.rows.length + 1,
          })
        : null
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
    if (entry && this.options.maxStaleMs > 0 && this.now() - entry.at <= this.options.maxStaleMs) {
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

  /** The versions to answer with: those last read while within maxStaleMs, else read now. */
  private currentVersions(): Promise<Versions> {
    const stale = this.options.maxStaleMs
    const known = this.known
    if (known && stale > 0) {
      const age = this.now() - known.at
      if (age <= stale) {
        // Read again in the background once a quarter of the allowance is used up.
        if (age > stale / 4) this.readVersions().catch(() => undefined)
        return Promise.resolve(known)
      }
    }
    return this.readVersions()
  }

  /**
   * One read of the versions at a time; callers arriving while it runs share it (their data is then
   * as recent as that read: a few milliseconds).
   */
  private readVersions(): Promise<Versions> {
    if (!this.reading) {
      const at = this.now()
      this.reading = this.options
        .versions()
        .then((versions) => {
          const read = { versions, at }
          if (!this.known || this.known.at < at) this.known = read
          return read
        })
        .finally(() => (this.reading = null))
    }
    return this.reading
  }

  /** Computes a result once for all who wait on the same key (and version, for exact answers). */
  private refresh<T>(
    key: string,
    version: string,
    at: number,
    compute: () => Promise<T[]>,
  ): Promise<readonly unknown[]> {
    // Exact answers wait for a computation of their own version; within a staleness allowance, one
    // computation per query at a time, whatever version it started from, so that data changing
    // faster than a query runs does not pile up its runs.
    const flight = this.options.maxStaleMs > 0 ? key : `${version}\n${key}`
    let running = this.computing.get(flight)
    if (!running) {
      running = compute()
        .then((rows) => {
          const frozen = Object.freeze(rows.map((r) => (typeof r === 'object' ? Object.freeze(r) : r)))
          const current = this.entries?.get(key)
          if ((!current || current.at <= at) && frozen.length < this.options.maxRows) {
            this.entries?.set(key, { version, rows: frozen, at })
          }
          return frozen
        })
        .finally(() => this.computing.delete(flight))
      this.computing.set(flight, running)
    }
    return running
  }
}
