import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client'
import { clientTextInsert, type TextInsert } from './db.js'
import type {
  CheckpointRow,
  JobEventRow,
  ListingRow,
  PriceRow,
  RejectionRow,
  TelemetryNodeRow,
  TelemetrySampleRow,
  TokenFlowRow,
} from './rows.js'
import { refreshSnapshots, spansOf } from './snapshots.js'
import { encodeTsv } from './tsv.js'

/** Table name → the canonical row stored in it. */
export interface Tables {
  token_flows: TokenFlowRow
  job_events: JobEventRow
  telemetry_samples: TelemetrySampleRow
  telemetry_nodes: TelemetryNodeRow
  listings: ListingRow
  prices: PriceRow
  checkpoints: CheckpointRow
  ingest_rejections: RejectionRow
}

export type TableName = keyof Tables

/** The columns of telemetry_samples, in the order of its TabSeparated inserts (samplesTsv). */
const SAMPLE_COLUMNS = [
  'network',
  'node_id',
  'gpu_uuid',
  'time',
  'interval_s',
  'gpu_model',
  'gpu_name',
  'vram_mib',
  'utilization_pct',
  'memory_used_mib',
  'power_w',
  'temperature_c',
  'job_id',
  'provenance',
  'batch_id',
] as const satisfies readonly (keyof TelemetrySampleRow)[]

/** Telemetry samples as the TabSeparated text Store.insertSamplesTsv takes. */
export function samplesTsv(rows: readonly TelemetrySampleRow[]): string {
  return encodeTsv(rows, SAMPLE_COLUMNS)
}

/**
 * Both settings are stated on every insert: the embedded engine (chdb) applies them with SET on its
 * session, so a token would otherwise carry over to later inserts and drop them as duplicates.
 */
function insertSettings(dedupToken: string | undefined) {
  return {
    insert_deduplication_token: dedupToken ?? '',
    deduplicate_blocks_in_dependent_materialized_views: dedupToken ? 1 : 0,
  } satisfies ClickHouseSettings
}

/**
 * The one writer to ClickHouse. An insert returns only once ClickHouse has stored the rows, so a
 * caller may acknowledge them afterwards. A deduplication token makes a retried insert a no-op.
 * Chain rows also refresh the daily snapshots of their days before the insert returns.
 */
export class Store {
  /** `insertText`: Db.insertText, the engine's fastest path for telemetry samples. */
  constructor(
    private readonly client: ClickHouseClient,
    private readonly insertText: TextInsert = clientTextInsert(client),
  ) {}

  async insert<T extends TableName>(
    table: T,
    rows: readonly Tables[T][],
    dedupToken?: string,
  ): Promise<void> {
    if (rows.length === 0) return
    if (table === 'telemetry_samples') {
      await this.insertSamplesTsv(samplesTsv(rows as readonly TelemetrySampleRow[]), dedupToken)
      return
    }
    await this.client.insert({
      table,
      values: rows as Tables[T][],
      format: 'JSONEachRow',
      clickhouse_settings: insertSettings(dedupToken),
    })
    // The daily snapshots of the days the rows fall on (ingest/store/snapshots.ts).
    if (table === 'token_flows') {
      const spans = spansOf(rows as readonly TokenFlowRow[], (r) => r.block_time)
      await refreshSnapshots(this.client, 'token_flows', spans)
    } else if (table === 'job_events') {
      await refreshSnapshots(
        this.client,
        'job_events',
        spansOf(rows as readonly JobEventRow[], (r) => r.time),
      )
    }
  }

  /**
   * Telemetry samples as TabSeparated text (samplesTsv): the high-volume table's insert, several
   * times faster to parse than JSON; the telemetry ingest keeps its backlog as this text.
   */
  async insertSamplesTsv(text: string, dedupToken?: string): Promise<void> {
    if (text === '') return
    await this.insertText({
      table: 'telemetry_samples',
      columns: SAMPLE_COLUMNS,
      text,
      settings: insertSettings(dedupToken),
    })
  }
}
