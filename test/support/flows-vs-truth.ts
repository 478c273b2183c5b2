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
export async function storedFlowDays(client: ClickHouseClient): Promise<FlowDay[]> {
  const result = await client.query({
    query: `SELECT network, toString(toDate(block_time)) AS day, kind, token_symbol AS token,
                   count() AS count, toString(sum(amount)) AS amount
            FROM token_flows FINAL GROUP BY network, day, kind, token ORDER BY network, day, kind, token`,
    format: 'JSONEachRow',
  })
  type Row = Omit<FlowDay, 'count'> & { count: string }
  return (await result.json<Row>()).map((r) => ({
    ...r,
    count: Number(r.count),
    amount: trimZeros(r.amount),
  }))
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
