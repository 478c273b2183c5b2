import { expect } from 'vitest'

import type { EvmSource } from '../../ingest/chains/evm/source.js'
import { totalsByToken, type TruthJobEvent, type TruthTransfer } from './devnet-activity.js'
import type { StoredEvent, StoredMovement } from './memory-sink.js'

/** Steps until the source reports nothing more to do. */
export async function drain(source: EvmSource, maxSteps = 10_000): Promise<number> {
  for (let steps = 1; steps <= maxSteps; steps++) {
    if (!(await source.step()).advanced) return steps
  }
  throw new Error(`not caught up after ${maxSteps} steps`)
}

const movementLine = (m: {
  txId: string
  token: string
  from: string | null
  to: string | null
  amount: bigint
  block: number
}) => [m.block, m.txId, m.token, m.from, m.to, m.amount].join(' ')

const eventLine = (e: {
  block: number
  txId: string
  name: string
  jobId: string
  customer?: string
  provider?: string
  amount?: bigint
  gpuCount?: number
  gpuModel?: string
  status?: number
}) =>
  [e.block, e.txId, e.name, e.jobId, e.customer, e.provider, e.amount, e.gpuCount, e.gpuModel, e.status].join(
    ' ',
  )

/** What the test put on chain (DevnetActivity is one). */
export interface ChainTruth {
  transfers: readonly TruthTransfer[]
  jobEvents: readonly TruthJobEvent[]
  /** Block number → unix seconds. */
  blockTimes: ReadonlyMap<number, number>
}

/**
 * The net content equals what the activity put on chain: every transfer and job event, nothing
 * else, with the block times the test chose and the finality that follows from `head`.
 */
export function expectChainContent(
  activity: ChainTruth,
  net: { movements: StoredMovement[]; events: StoredEvent[] },
  head: number,
  finalityDepth: number,
): void {
  const truth = activity.transfers
  const got = net.movements.map((m) => ({ ...m, amount: m.amountRaw, block: m.slotOrBlock }))
  expect(got.length).toBe(truth.length)
  expect(totalsByToken(got)).toEqual(totalsByToken(truth))
  expect(got.map(movementLine).sort()).toEqual(
    truth.map((t) => movementLine({ ...t, txId: t.txHash })).sort(),
  )
  for (const m of got) {
    expect(m.kind).toBe(m.from === null ? 'mint' : m.to === null ? 'burn' : 'transfer')
  }

  const events = net.events.map((e) => ({ ...e, block: e.blockNumber, amount: e.amountRaw }))
  expect(events.map(eventLine).sort()).toEqual(
    activity.jobEvents.map((e) => eventLine({ ...e, txId: e.txHash })).sort(),
  )

  const rows = [...got, ...events]
  const wrongTimes = rows.filter(
    (r) => r.blockTime?.getTime() !== (activity.blockTimes.get(r.block) ?? -1) * 1000,
  )
  expect(wrongTimes).toEqual([])
  const expectedFinality = (block: number) => (block <= head - finalityDepth ? 'finalized' : 'confirmed')
  expect(rows.filter((r) => r.finality !== expectedFinality(r.block))).toEqual([])
  expect(rows.some((r) => r.finality === 'confirmed')).toBe(true)
  expect(rows.some((r) => r.finality === 'finalized')).toBe(true)
}
