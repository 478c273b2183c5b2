import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startSolanaRpcServer, type SolanaRpcServer } from '../../devnet/solana/rpc-server.js'
import { SolanaSource, type SolanaSourceOptions } from '../../ingest/chains/solana/source.js'
import { MemoryCheckpoints, MemorySink } from './memory-sink.js'
import { SolanaActivity } from './solana-activity.js'
import { drainSolana, expectBlockTimes, expectSolanaContent, heads } from './solana-assertions.js'
import { startForkProxy } from './solana-fork-proxy.js'

const LAG = 8

let activity: SolanaActivity
let server: SolanaRpcServer

beforeAll(async () => {
  activity = new SolanaActivity(23, 6)
  activity.randomSlots(20, 10)
  server = await startSolanaRpcServer(activity.ledger, { finalizedLag: LAG })
})

afterAll(async () => {
  await server?.close()
})

type Overrides = Partial<SolanaSourceOptions> & Pick<SolanaSourceOptions, 'sink' | 'checkpoints'>

function makeSource(overrides: Overrides): SolanaSource {
  return new SolanaSource({
    sourceId: 'devnet-solana-follow',
    chain: 'solana',
    rpcUrl: server.url,
    addresses: activity.followed,
    batchSize: 25,
    concurrency: 2,
    errorBackoffMs: { base: 20, max: 200 },
    ...overrides,
  })
}

/** Seals enough empty slots that everything made so far is finalized. */
function finalizeAll(): void {
  for (let i = 0; i <= LAG; i++) activity.seal()
}

/** Batches cover 0..`to` without gap or overlap. */
function expectCovered(batches: readonly { fromBlock: number; toBlock: number }[], to: number): void {
  let next = 0
  for (const b of batches) {
    expect(b.fromBlock).toBe(next)
    next = b.toBlock + 1
  }
  expect(next - 1).toBe(to)
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('SolanaSource following the head', () => {
  it('labels rows above the finalized slot confirmed, then relabels them once it passes them', async () => {
    const sink = new MemorySink()
    const source = makeSource({ sink, checkpoints: new MemoryCheckpoints() })
    await drainSolana(source)
    let head = heads(activity, LAG)
    expectSolanaContent(activity, sink.net().movements, head.finalized)
    expect(sink.net().movements.some((m) => m.finality === 'confirmed')).toBe(true)
    expect(sink.writes().at(-1)?.finality).toBe('confirmed')

    // new slots: the finalized slot moves into what was read at confirmed
    activity.randomSlots(3, 8)
    await drainSolana(source)
    head = heads(activity, LAG)
    expectSolanaContent(activity, sink.net().movements, head.finalized)
    expect(sink.finalizes().length).toBeGreaterThan(0)

    finalizeAll()
    await drainSolana(source)
    head = heads(activity, LAG)
    expect(head.finalized).toBeGreaterThanOrEqual(Math.max(...activity.movements.map((m) => m.slot)))
    const net = sink.net()
    expectSolanaContent(activity, net.movements, head.finalized)
    expect(net.movements.every((m) => m.finality === 'finalized')).toBe(true)
    // relabelled by sink.finalize, never fetched and written twice
    expect(net.duplicates).toEqual([])
    expect(sink.retracts()).toEqual([])
    expectCovered(sink.writes(), head.confirmed)
    expectBlockTimes(activity, sink.writes())
    expect(source.status()).toMatchObject({ lastBlock: head.confirmed, lastError: null })
  })

  it('retracts what it read from a confirmed block the chain then drops, and reads it again', async () => {
    const proxy = await startForkProxy(server, activity.ledger)
    try {
      const sink = new MemorySink()
      const source = makeSource({ sink, checkpoints: new MemoryCheckpoints(), rpcUrl: proxy.url })
      await drainSolana(source)

      // 1. the confirmed view gains a block at a skipped slot, then loses it before finality
      const first = activity.seal(1) + 1
      activity.randomSlots(2, 6)
      proxy.setPhantom(first)
      await drainSolana(source)
      expect(
        sink
          .writes()
          .at(-1)
          ?.blocks.map((b) => b.number),
      ).toContain(first)
      expect(sink.retracts()).toEqual([])
      proxy.setPhantom(null)
      await drainSolana(source)
      expect(sink.retracts()).toEqual([{ chain: 'solana', fromBlock: first }])
      let head = heads(activity, LAG)
      expect(head.finalized).toBeLessThan(first)
      expectSolanaContent(activity, sink.net().movements, head.finalized)

      // 2. a fork that is still the confirmed view when the finalized slot passes it
      const second = activity.seal(2) + 1
      activity.randomSlots(2, 6)
      proxy.setPhantom(second)
      await drainSolana(source)
      finalizeAll()
      await drainSolana(source)
      expect(sink.retracts()).toEqual([
        { chain: 'solana', fromBlock: first },
        { chain: 'solana', fromBlock: second },
      ])
      head = heads(activity, LAG)
      const net = sink.net()
      expectSolanaContent(activity, net.movements, head.finalized)
      expect(net.movements.every((m) => m.finality === 'finalized')).toBe(true)
      // the rows above the phantom block were written at confirmed, retracted, and written again
      const retractAt = sink.ops.findIndex((o) => o.op === 'retract' && o.fromBlock === second)
      const txsAbove = (finality: string, ops: typeof sink.ops) =>
        new Set(
          ops.flatMap((o) =>
            o.op === 'write' && o.batch.finality === finality
              ? o.batch.movements.filter((m) => m.slotOrBlock > second).map((m) => m.txId)
              : [],
          ),
        )
      const before = txsAbove('confirmed', sink.ops.slice(0, retractAt))
      expect(before.size).toBeGreaterThan(0)
      expect([...before].filter((tx) => !txsAbove('finalized', sink.ops.slice(retractAt)).has(tx))).toEqual(
        [],
      )
      expect(source.stats().retracts).toBe(2)
      expect(source.status().lastError).toMatch(/retracted/)
    } finally {
      await proxy.stop()
    }
  })

  it('runs until stopped, following new slots as they come, without throwing', async () => {
    const sink = new MemorySink()
    const source = makeSource({ sink, checkpoints: new MemoryCheckpoints(), pollIntervalMs: 10 })
    const stop = new AbortController()
    const running = source.run(stop.signal)
    try {
      for (let i = 0; i < 6; i++) {
        activity.randomSlots(1, 4)
        await new Promise((resolve) => setTimeout(resolve, 30))
      }
      finalizeAll()
      const head = heads(activity, LAG)
      const done = () => {
        const rows = sink.net().movements
        return rows.length === activity.movements.length && rows.every((m) => m.finality === 'finalized')
      }
      await until(() => source.status().lastBlock === head.confirmed && done())
      expectSolanaContent(activity, sink.net().movements, head.finalized)
    } finally {
      stop.abort()
      await running
    }
  })
})
