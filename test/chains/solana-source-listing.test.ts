import { describe, expect, it } from 'vitest'

import type { SignatureEntry } from '../../ingest/chains/solana/decode-signatures.js'
import { listSignatures, mergeListings } from '../../ingest/chains/solana/signature-listing.js'
import type { AddressCursor } from '../../ingest/chains/solana/source-state.js'

/** An address history, oldest first: `perSlot[i]` signatures in slot 10 + 2i. */
function history(perSlot: number[]): SignatureEntry[] {
  return perSlot.flatMap((count, i) =>
    Array.from({ length: count }, (_, j) => ({
      signature: `s${10 + 2 * i}-${j}`,
      slot: 10 + 2 * i,
      failed: j % 7 === 3,
      err: null,
      blockTime: null,
      confirmationStatus: 'finalized' as const,
      memo: null,
    })),
  )
}

/** getSignaturesForAddress over `oldestFirst`: newest first, `before` and `until` exclusive. */
function node(oldestFirst: SignatureEntry[], pageSize: number, until: string | undefined) {
  const calls: (string | undefined)[] = []
  const fetchPage = async (before: string | undefined) => {
    calls.push(before)
    const newestFirst = [...oldestFirst].reverse()
    const start = before === undefined ? 0 : newestFirst.findIndex((e) => e.signature === before) + 1
    const stop =
      until === undefined ? newestFirst.length : newestFirst.findIndex((e) => e.signature === until)
    return newestFirst.slice(start, Math.min(stop, start + pageSize))
  }
  return { fetchPage, calls }
}

/** What the source does: windows in slot order until the whole history up to `high` is indexed. */
async function backfill(all: SignatureEntry[], high: number, pageSize: number, cap: number) {
  const resume: AddressCursor[] = []
  const indexed: string[] = []
  let low = -1
  let cursor: string | undefined
  let pages = 0
  let largestWindow = 0
  for (let window = 0; window < 1_000; window++) {
    const { fetchPage, calls } = node(all, pageSize, cursor)
    const listing = await listSignatures(fetchPage, { low, high, pageSize, cap, resume })
    pages += calls.length
    largestWindow = Math.max(largestWindow, listing.entries.length)
    const top = Math.min(high, (listing.ceiling ?? Infinity) - 1)
    expect(top).toBeGreaterThan(low)
    const taken = listing.entries.filter((e) => e.slot <= top)
    expect(taken.every((e) => e.slot > low)).toBe(true)
    indexed.push(...taken.map((e) => e.signature).reverse())
    cursor = taken[0]?.signature ?? cursor
    low = top
    if (top === high) return { indexed, pages, largestWindow, windows: window + 1 }
  }
  throw new Error('backfill did not end')
}

describe('signature listing', () => {
  const perSlot = Array.from({ length: 400 }, (_, i) => (i === 150 ? 250 : i % 5))
  const all = history(perSlot)

  it('lists everything in one window when under the cap', async () => {
    const run = await backfill(all, Infinity, 100, 100_000)
    expect(run.indexed).toEqual(all.map((e) => e.signature))
    expect(run.windows).toBe(1)
    expect(run.pages).toBe(Math.ceil(all.length / 100))
  })

  it('runs capped windows oldest first, skipping nothing, with bounded memory and pages', async () => {
    expect(all.length).toBeGreaterThan(1_000)
    const run = await backfill(all, Infinity, 100, 250)
    expect(run.indexed).toEqual(all.map((e) => e.signature))
    expect(run.windows).toBeGreaterThan(3)
    expect(run.largestWindow).toBeLessThanOrEqual(250 + 2 * 100)
    // resumed windows start from remembered bounds: about twice the pages, not windows × pages
    expect(run.pages).toBeLessThan(3 * Math.ceil(all.length / 100))
  })

  it('stops at `high` and at the slot of an exclusive low bound', async () => {
    const run = await backfill(all, 300, 100, 250)
    expect(run.indexed).toEqual(all.filter((e) => e.slot <= 300).map((e) => e.signature))
  })

  it('merges addresses in slot order, each transaction once, with per-address cursors', () => {
    const entry = (signature: string, slot: number): SignatureEntry => ({
      signature,
      slot,
      failed: false,
      err: null,
      blockTime: null,
      confirmationStatus: null,
      memo: null,
    })
    const merged = mergeListings(
      new Map([
        ['mint', [entry('c', 7), entry('b', 5), entry('a', 3)]],
        ['vault', [entry('d', 9), entry('c', 7), entry('e', 4)]],
      ]),
      8,
    )
    expect(merged.transactions.map((t) => t.signature)).toEqual(['a', 'e', 'b', 'c'])
    expect(merged.byAddress.get('vault')?.map((c) => c.signature)).toEqual(['e', 'c'])
  })
})
