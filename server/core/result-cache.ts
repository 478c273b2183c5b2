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

interface Flight<T> {
  /** When it started (a computation: when the versions it is labelled with were read). */
  at: number
  promise: Promise<T>
}

interface Entry {
  version: string
  rows: readonly unknown[]
  /** When the versions were read before computing: the data is at least this recent. */
  at: number
}

const TABLE_REFERENCE = /\b(?:FROM|(?<!\bARRAY\s+)JOIN)\s+([A-Za-z_]\w*)\b(?![.(])/gi

const VERSIONED_BY = /^--\s*Versioned by:\s*([\w, ]+)$/im

/**
 * The tables a query reads: those a `-- Versioned by: t1, t2` line names, else the names after FROM
 * and JOIN (a CTE's name among them only adds a version that never changes). The line is needed
 * where those names are not the tables whose parts hold the data: a view (sql/queries/jobs.sql),
 * system tables (sql/queries/latest_data.sql). A query over system tables without it, or that names
 * no table at all, is not cached.
 */
export function tablesRead(sql: string): string[] | null {
  const declared = VERSIONED_BY.exec(sql)?.[1]
  if (declared) return [...new Set(declared.split(',').map((t) => t.trim()))].filter(Boolean).sort()
  const code = sql.replace(/--.*$/gm, '')
  // System tables have no version; another database's tables or a dictionary are not followed.
  if (/\bsystem\.|\b(?:FROM|JOIN)\s+\w+\.\w|\bdictGet/i.test(code)) return null
  const tables = [...new Set([...code.matchAll(TABLE_REFERENCE)].map((m) => m[1] ?? ''))].sort()
  return tables.length > 0 ? tables : null
}

/**
 * Results of the API's SQL, kept while the tables a query reads are unchanged: a repeated query over
 * unchanged data costs one small query over system.parts instead of its own analysis and run. A
 * result is computed once however many requests wait for it, and it is frozen (shared, never copied).
 */
export class ResultCache {
  private readonly entries: LRUCache<string, Entry> | null
  private readonly computing = new Map<string, Flight<readonly unknown[]>>()
  private readonly dependencies = new Map<string, string[] | null>()
  private reading: Flight<Versions> | null = null
  private following: Promise<Versions> | null = null
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
    this.now = options.now ?? (() => performance.timeOrigin + performance.now())
  }

  /** The rows of `sql` bound as `key`, from the cache when its tables are unchanged. */
  async rows<T>(key: string, sql: string, compute: () => Promise<T[]>): Promise<readonly T[]> {
    const tables = this.tablesOf(sql)
    if (!this.entries || !tables) return compute()
    const { versions, at } = await this.currentVersions()
    const version = versionOf(tables, versions)
    const entry = this.entries.get(key)
    if (entry?.version === version) return entry.rows as readonly T[]
    const update = this.refresh(key, tables, version, at, compute)
    if (entry && this.stale() && this.now() - entry.at <= this.options.maxStaleMs) {
      update.catch(() => undefined)
      return entry.rows as readonly T[]
    }
    return update as Promise<readonly T[]>
  }

  private stale(): boolean {
    return this.options.maxStaleMs > 0
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
   * The versions to answer with. Exact: read after the request arrived. Within an allowance: those
   * last read while within it (read again in the background once a quarter of it is used up).
   */
  private currentVersions(): Promise<Versions> {
    const now = this.now()
    const stale = this.options.maxStaleMs
    const known = this.known
    if (known && stale > 0 && now - known.at <= stale) {
      if (now - known.at > stale / 4) this.readVersions(now - stale / 4).catch(() => undefined)
      return Promise.resolve(known)
    }
    return this.readVersions(stale > 0 ? now - stale : now)
  }

  /**
   * Versions read no earlier than `notBefore`: a read in progress that started since then is
   * shared; else one follow-up read, started when it ends, is shared by all who arrive meanwhile.
   */
  private readVersions(notBefore: number): Promise<Versions> {
    const running = this.reading
    if (!running) return this.startRead()
    if (running.at > notBefore) return running.promise
    this.following ??= running.promise.then(noop, noop).then(() => {
      this.following = null
      return this.readVersions(-Infinity)
    })
    return this.following
  }

  private startRead(): Promise<Versions> {
    const at = this.now()
    const flight: Flight<Versions> = {
      at,
      promise: this.options
        .versions()
        .then((versions) => {
          const read = { versions, at }
          if (!this.known || this.known.at < at) this.known = read
          return read
        })
        .finally(() => {
          if (this.reading === flight) this.reading = null
        }),
    }
    this.reading = flight
    return flight.promise
  }

  /**
   * Computes a result once for all who wait on it: exact answers share a computation of their own
   * version; within an allowance, one that started within it, so that data changing faster than a
   * query runs does not pile up its runs. The result is kept under its version only if the versions
   * read after it are still those: rows newer than their label (a table emptied again, whose
   * version is then that of its first empty state) are kept as stale answers only.
   */
  private refresh<T>(
    key: string,
    tables: readonly string[],
    version: string,
    at: number,
    compute: () => Promise<T[]>,
  ): Promise<readonly unknown[]> {
    const name = this.stale() ? key : `${version}\n${key}`
    const running = this.computing.get(name)
    if (running && (!this.stale() || running.at >= this.now() - this.options.maxStaleMs)) {
      return running.promise
    }
    const flight: Flight<readonly unknown[]> = {
      at,
      promise: (async () => {
        const rows = await compute()
        const frozen = Object.freeze(rows.map((r) => (typeof r === 'object' ? Object.freeze(r) : r)))
        const after = versionOf(tables, (await this.readVersions(this.now())).versions)
        const current = this.entries?.get(key)
        if ((!current || current.at <= at) && frozen.length < this.options.maxRows) {
          this.entries?.set(key, { version: after === version ? version : UNCONFIRMED, rows: frozen, at })
        }
        return frozen
      })().finally(() => {
        if (this.computing.get(name) === flight) this.computing.delete(name)
      }),
    }
    this.computing.set(name, flight)
    return flight.promise
  }
}

const noop = (): void => undefined

/** The version of an entry whose rows may be newer than its label: never equal to a real one. */
const UNCONFIRMED = '\u0000unconfirmed'

function versionOf(tables: readonly string[], versions: TableVersions): string {
  return tables.map((t) => versions.get(t) ?? '').join(',')
}
