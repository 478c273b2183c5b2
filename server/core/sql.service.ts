import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Inject, Injectable } from '@nestjs/common'
import type { Db } from '../../ingest/store/db.js'
import { SQL_DIR } from '../../ingest/store/paths.js'
import { DB } from './tokens.js'

export type SqlParams = Record<string, unknown>

/**
 * Runs the SQL files of sql/metrics and sql/queries on the read-only client. Inputs only ever
 * travel as ClickHouse query parameters ({name:Type} in the file); nothing is concatenated.
 */
@Injectable()
export class SqlService {
  private readonly files = new Map<string, string>()

  constructor(@Inject(DB) private readonly db: Db) {}

  /** The text of `sql/<path>.sql`, as shown to users. */
  text(path: string): string {
    let sql = this.files.get(path)
    if (sql === undefined) {
      sql = readFileSync(join(SQL_DIR, `${path}.sql`), 'utf8')
      this.files.set(path, sql)
    }
    return sql
  }

  async rows<T>(path: string, params: SqlParams = {}): Promise<T[]> {
    const result = await this.db.reader.query({
      query: this.text(path),
      query_params: params,
      format: 'JSONEachRow',
    })
    return result.json<T>()
  }
}
