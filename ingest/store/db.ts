import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import type { PlumbConfig } from '../config.js'

export type Engine = 'embedded' | 'server'

/**
 * The one way to reach ClickHouse. `writer` is for ingest and migrations; `reader` is what the
 * API uses: read-only (readonly=2 still lets it set its own limits) with a time and memory cap.
 * Embedded (chdb) and server mode look the same to every caller.
 */
export interface Db {
  engine: Engine
  writer: ClickHouseClient
  reader: ClickHouseClient
  /** The writer's fastest insert of TabSeparated text (ingest/store/tsv.ts). */
  insertText: TextInsert
  close(): Promise<void>
}

export interface TextInsertParams {
  table: string
  columns: readonly string[]
  /** TabSeparated rows. */
  text: string
  settings: Record<string, string | number>
}

export type TextInsert = (params: TextInsertParams) => Promise<void>

/** Through the client: a server streams the text as the request body. */
export function clientTextInsert(client: ClickHouseClient): TextInsert {
  return async ({ table, columns, text, settings }) => {
    await client.insert({
      table,
      columns: [...columns] as [string, ...string[]],
      values: Readable.from([Buffer.from(text)], { objectMode: false }),
      format: 'TabSeparated',
      clickhouse_settings: settings,
    })
  }
}

type DbConfig = Pick<
  PlumbConfig,
  | 'CLICKHOUSE_URL'
  | 'CLICKHOUSE_USER'
  | 'CLICKHOUSE_PASSWORD'
  | 'CLICKHOUSE_DATABASE'
  | 'dataDir'
  | 'PLUMB_QUERY_TIMEOUT_S'
  | 'PLUMB_QUERY_MAX_MEMORY'
>

/** Pinned so that chdb and a server answer alike (their defaults differ on 64-bit integers). */
const COMMON_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  date_time_input_format: 'best_effort',
}

export function readerSettings(config: DbConfig): ClickHouseSettings {
  return {
    ...COMMON_SETTINGS,
    readonly: '2',
    max_execution_time: config.PLUMB_QUERY_TIMEOUT_S,
    max_memory_usage: String(config.PLUMB_QUERY_MAX_MEMORY),
  }
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>

/**
 * chdb implements @clickhouse/client-common's Connection; the client declares the same interface
 * from its own bundled copy of those types, so TypeScript sees two nominally different settings types.
 */
function asClientConnection(connection: ReturnType<typeof createChdbConnection>): ClientConnection {
  return connection as unknown as ClientConnection
}

export function openDb(config: DbConfig): Db {
  if (config.CLICKHOUSE_URL) {
    const make = (settings: ClickHouseSettings): ClickHouseClient =>
      createClient({
        url: config.CLICKHOUSE_URL,
        username: config.CLICKHOUSE_USER,
        password: config.CLICKHOUSE_PASSWORD,
        database: config.CLICKHOUSE_DATABASE,
        clickhouse_settings: settings,
      })
    return dbOf('server', make(COMMON_SETTINGS), make(readerSettings(config)))
  }
  const path = join(config.dataDir, 'clickhouse')
  mkdirSync(path, { recursive: true })
  const writerConnection = createChdbConnection({ path })
  const make = (connection: ReturnType<typeof createChdbConnection>, settings: ClickHouseSettings) =>
    createClient({ connection: asClientConnection(connection), clickhouse_settings: settings })
  const writer = make(writerConnection, COMMON_SETTINGS)
  const reader = make(createChdbConnection({ path }), readerSettings(config))
  // chdb hands the bytes straight to its parser; through the client they would become one SQL string.
  const insertText: TextInsert = async ({ table, columns, text, settings }) => {
    await writerConnection.chdb.rawInsert({ table, columns, values: text, format: 'TabSeparated', settings })
  }
  return { ...dbOf('embedded', writer, reader), insertText }
}

function dbOf(engine: Engine, writer: ClickHouseClient, reader: ClickHouseClient): Db {
  return {
    engine,
    writer,
    reader,
    insertText: clientTextInsert(writer),
    async close() {
      await reader.close()
      await writer.close()
    },
  }
}
