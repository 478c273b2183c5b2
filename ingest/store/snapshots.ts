import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client'
import { SQL_DIR } from './paths.js'

/**
 * The daily snapshots of the chain tables (migration 0010): each (network, UTC day) is recomputed
 * whole from its FINAL source table after every write that touches it, so replays and reorg
 * retractions never leave a snapshot counting a row twice or a row that is gone.
 */
export const SNAPSHOTS = {
  token_flows: { snapshot: 'flows_daily', time: 'block_time' },
  job_events: { snapshot: 'jobs_daily', time: 'time' },
} as const

export type SnapshotSource = keyof typeof SNAPSHOTS

/** The UTC days `from`..`to` (inclusive, YYYY-MM-DD) of one network. */
export interface DaySpan {
  network: string
  from: string
  to: string
}

// Stated on every statement: the embedded engine applies settings with SET on its session, so an
// insert's deduplication token would otherwise still be in force.
const SETTINGS: ClickHouseSettings = {
  insert_deduplication_token: '',
  deduplicate_blocks_in_dependent_materialized_views: 0,
}

const sqlCache = new Map<SnapshotSource, string>()

function refreshSql(source: SnapshotSource): string {
  let sql = sqlCache.get(source)
  if (sql === undefined) {
    sql = readFileSync(join(SQL_DIR, 'snapshots', `${SNAPSHOTS[source].snapshot}.sql`), 'utf8')
    sqlCache.set(source, sql)
  }
  return sql
}

/** The span of days per network that rows with ClickHouse time text ('YYYY-MM-DD hh:mm:ss…') fall on. */
export function spansOf<T extends { network: string }>(
  rows: readonly T[],
  time: (row: T) => string,
): DaySpan[] {
  const spans = new Map<string, DaySpan>()
  for (const row of rows) {
    const day = time(row).slice(0, 10)
    const span = spans.get(row.network)
    if (!span) spans.set(row.network, { network: row.network, from: day, to: day })
    else {
      if (day < span.from) span.from = day
      if (day > span.to) span.to = day
    }
  }
  return [...spans.values()]
}

/** Recomputes the snapshot of `source` for every day of the spans. */
export async function refreshSnapshots(
  client: ClickHouseClient,
  source: SnapshotSource,
  spans: readonly DaySpan[],
): Promise<void> {
  for (const span of spans) {
    const { network, from, to } = span
    await client.command({
      query: refreshSql(source),
      query_params: { network, from, to },
      clickhouse_settings: SETTINGS,
    })
  }
}

/** The days of `source` rows matching a condition, per network (retracted rows too, so their days are rewritten). */
export async function spansWhere(
  client: ClickHouseClient,
  source: SnapshotSource,
  where: string,
  params: Record<string, unknown>,
): Promise<DaySpan[]> {
  const time = SNAPSHOTS[source].time
  const result = await client.query({
    query: `SELECT network, toString(toDate(min(${time}))) AS from, toString(toDate(max(${time}))) AS to
            FROM ${source} WHERE ${where} GROUP BY network`,
    query_params: params,
    format: 'JSONEachRow',
  })
  return result.json<DaySpan>()
}

/** Recomputes every snapshot over all the days its source holds (after a migration, or for a bulk load). */
export async function rebuildSnapshots(client: ClickHouseClient): Promise<void> {
  for (const source of Object.keys(SNAPSHOTS) as SnapshotSource[]) {
    await refreshSnapshots(client, source, await spansWhere(client, source, '1', {}))
  }
}
