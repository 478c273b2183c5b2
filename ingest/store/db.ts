import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
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
  close(): Promise<void>
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
  const make = (settings: ClickHouseSettings): ClickHouseClient => {
    if (config.CLICKHOUSE_URL) {
      return createClient({
        url: config.CLICKHOUSE_URL,
        username: config.CLICKHOUSE_USER,
        password: config.CLICKHOUSE_PASSWORD,
        database: config.CLICKHOUSE_DATABASE,
        clickhouse_settings: settings,
      })
    }
    const path = join(config.dataDir, 'clickhouse')
    mkdirSync(path, { recursive: true })
    return createClient({
      connection: asClientConnection(createChdbConnection({ path })),
      clickhouse_settings: settings,
    })
  }
  const writer = make(COMMON_SETTINGS)
  const reader = make(readerSettings(config))
  return {
    engine: config.CLICKHOUSE_URL ? 'server' : 'embedded',
    writer,
    reader,
    async close() {
      await reader.close()
      await writer.close()
    },
  }
}
