import { expect } from 'vitest'

import type { SourceBatch } from '../../ingest/chains/batch.js'
import type { SolanaSource } from '../../ingest/chains/solana/source.js'
import type { StoredMovement } from './memory-sink.js'
import { totalsByTokenAndKind, truthLine, type SolanaActivity } from './solana-activity.js'

/** Steps until the source reports nothing more to do. */
export async function drainSolana(source: SolanaSource, maxSteps = 10_000): Promise<number> {
  for (let steps = 1; steps <= maxSteps; steps++) {
    if (!(await source.step()).advanced) return steps
  }
  throw new Error(`not caught up after ${maxSteps} steps`)
}

/** The newest sealed slot (confirmed) and the newest one at least `lag` below it (finalized). */
export function heads(activity: SolanaActivity, lag: number): { confirmed: number; finalized: number } {
  const slots = [0, ...activity.blockTimes.keys()].sort((a, b) => a - b)
  const confirmed = slots.at(-1) ?? 0
  const finalized = slots.filter((s) => s <= confirmed - lag).at(-1) ?? 0
  return { confirmed, finalized }
}

/**
 * The net content equals what the activity made: every movement of every followed transaction
 * (count and sum per token and kind, line by line with owners, token accounts and memo), with the
 * block times the test set, the mints' decimals, and the finality that follows from `finalized`.
 */
export function expectSolanaContent(
  activity: SolanaActivity,
  movements: readonly StoredMovement[],
  finalized: number,
): void {
  const truth = activity.movements
  const got = movements.map((m) => ({ ...m, amount: m.amountRaw, slot: m.slotOrBlock }))
  expect(got.length).toBe(truth.length)
  expect(totalsByTokenAndKind(got)).toEqual(totalsByTokenAndKind(truth))
  const lines = got.map((m) =>
    truthLine({
      ...m,
      fromTokenAccount: m.fromTokenAccount ?? null,
      toTokenAccount: m.toTokenAccount ?? null,
      memo: m.memo ?? null,
    }),
  )
  expect(lines.sort()).toEqual(truth.map(truthLine).sort())
  const decimals = new Map([
    [activity.mintA as string, 6],
    [activity.mintB as string, 9],
  ])
  expect(got.filter((m) => m.decimals !== decimals.get(m.token))).toEqual([])
  const wrongTimes = got.filter(
    (m) => m.blockTime?.getTime() !== (activity.blockTimes.get(m.slot) ?? -1) * 1000,
  )
  expect(wrongTimes).toEqual([])
  const expected = (slot: number) => (slot <= finalized ? 'finalized' : 'confirmed')
  expect(got.filter((m) => m.finality !== expected(m.slot))).toEqual([])
  const unfollowed = new Set(activity.unfollowedTxs)
  expect(got.filter((m) => unfollowed.has(m.txId))).toEqual([])
}

/** Batches cover `from`..`to` without gap or overlap, in slot order, finalized ones first. */
export function expectContiguous(batches: readonly SourceBatch[], from: number, to: number): void {
  let next = from
  for (const b of batches) {
    expect([b.fromBlock, b.toBlock >= b.fromBlock]).toEqual([next, true])
    next = b.toBlock + 1
  }
  expect(next - 1).toBe(to)
  const labels = batches.map((b) => b.finality)
  const firstConfirmed = labels.indexOf('confirmed')
  if (firstConfirmed >= 0) expect(labels.lastIndexOf('finalized')).toBeLessThan(firstConfirmed)
}

/** Every block handed over carries the time the test set for its slot. */
export function expectBlockTimes(activity: SolanaActivity, batches: readonly SourceBatch[]): void {
  const blocks = batches.flatMap((b) => b.blocks)
  expect(blocks.length).toBeGreaterThan(0)
  expect(blocks.filter((b) => b.time.getTime() !== (activity.blockTimes.get(b.number) ?? -1) * 1000)).toEqual(
    [],
  )
}
