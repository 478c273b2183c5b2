import type { ClickHouseClient } from '@clickhouse/client'
import type { GroundTruth } from '../../devnet/world/truth.js'

export interface FlowDay {
  network: string
  day: string
  kind: string
  token: string
  count: number
  amount: string
}

const trimZeros = (amount: string): string => (amount.includes('.') ? amount.replace(/\.?0+$/, '') : amount)

/** Token flows as stored, per network, UTC day, kind and token: count and exact sum in token units. */
export const FLOW_DAYS_SQL = `SELECT network, toString(toDate(block_time)) AS day, kind, token_symbol AS token,
       count() AS count, toString(sum(amount)) AS amount
FROM token_flows FINAL GROUP BY network, day, kind, token ORDER BY network, day, kind, token`

/** A row of FLOW_DAYS_SQL (JSONEachRow: the 64-bit count arrives quoted). */
export function flowDay(r: Record<string, unknown>): FlowDay {
  return {
    network: String(r.network),
    day: String(r.day),
    kind: String(r.kind),
    token: String(r.token),
    count: Number(r.count),
    amount: trimZeros(String(r.amount)),
  }
}

export async function storedFlowDays(client: ClickHouseClient): Promise<FlowDay[]> {
  const result = await client.query({ query: FLOW_DAYS_SQL, format: 'JSONEachRow' })
  return (await result.json<Record<string, unknown>>()).map(flowDay)
}

/** The same, as the world's ground truth says it happened. */
export function truthFlowDays(truth: GroundTruth): FlowDay[] {
  return truth.flows.map(({ network, day, kind, token, count, amount }) => ({
    network,
    day,
    kind,
    token,
    count,
    amount,
  }))
}
