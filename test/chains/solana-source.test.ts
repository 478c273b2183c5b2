import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startRpcProxy } from '../../devnet/faults/rpc-proxy.js'
import { startSolanaRpcServer, type SolanaRpcServer } from '../../devnet/solana/rpc-server.js'
import type { SourceBatch } from '../../ingest/chains/batch.js'
import { SolanaSource, type SolanaSourceOptions } from '../../ingest/chains/solana/source.js'
import { CheckpointStore } from '../../ingest/store/checkpoints.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'
import { MemoryCheckpoints, MemorySink } from './memory-sink.js'
import { SolanaActivity } from './solana-activity.js'
import {
  drainSolana,
  expectBlockTimes,
  expectContiguous,
  expectSolanaContent,
  heads,
} from './solana-assertions.js'

const LAG = 4

let activity: SolanaActivity
let server: SolanaRpcServer
let temp: TempDb
let head: { confirmed: number; finalized: number }

beforeAll(async () => {
  temp = await openTempDb()
  activity = new SolanaActivity(11)
  activity.randomSlots(90, 20)
  head = heads(activity, LAG)
  server = await startSolanaRpcServer(activity.ledger, { finalizedLag: LAG })
})

afterAll(async () => {
  await server?.close()
  await temp?.dispose()
})

type Overrides = Partial<SolanaSourceOptions> & Pick<SolanaSourceOptions, 'sink' | 'checkpoints'>

function makeSource(overrides: Overrides): SolanaSource {
  return new SolanaSource({
    sourceId: 'devnet-solana',
    chain: 'solana',
    rpcUrl: server.url,
    addresses: activity.followed,
    batchSize: 50,
    concurrency: 4,
    errorBackoffMs: { base: 50, max: 500 },
    ...overrides,
  })
}

describe('SolanaSource on the devnet', () => {
  it('indexes every movement of the followed transactions once, with memos, times and finality', async () => {
    // the scenario the assertions rely on: more than a page of signatures, failures, skipped slots
    expect(activity.txsPerAddress.get(activity.mintA)).toBeGreaterThan(1_000)
    expect(activity.movements.length).toBeGreaterThan(1_000)
    expect(activity.failedTxs.length).toBeGreaterThan(20)
    expect(activity.unfollowedTxs.length).toBeGreaterThan(20)
    expect(activity.skippedSlots.length).toBeGreaterThan(10)
    expect(activity.movements.filter((m) => m.memo !== null).length).toBeGreaterThan(100)

    const sink = new MemorySink()
    const statuses: (number | null)[] = []
    const source = makeSource({
      sink,
      checkpoints: new MemoryCheckpoints(),
      onStatus: (s) => statuses.push(s.lastBlock),
    })
    await drainSolana(source)

    const net = sink.net()
    expect(net.duplicates).toEqual([])
    expect(sink.retracts()).toEqual([])
    expectSolanaContent(activity, net.movements, head.finalized)
    expectContiguous(sink.writes(), 0, head.confirmed)
    expectBlockTimes(activity, sink.writes())
    const writes = sink.writes()
    expect(writes.reduce((n, b) => n + b.failedTxs, 0)).toBe(activity.failedTxs.length)
    expect(writes.at(-1)?.finality).toBe('confirmed')
    // a confirmed batch carries every block of its range
    const sealed = new Set(activity.blockTimes.keys())
    for (const batch of writes.filter((b) => b.finality === 'confirmed')) {
      const inRange = [...sealed]
        .filter((s) => s >= batch.fromBlock && s <= batch.toBlock)
        .sort((a, b) => a - b)
      expect(batch.blocks.map((b) => b.number)).toEqual(inRange)
    }
    const stats = source.stats()
    // transactions naming two followed accounts (a mint and the vault, two mints) were fetched once
    expect(stats.transactions + stats.failedTxs).toBe(activity.followedTxs.length)
    expect(stats.signatures).toBeGreaterThan(activity.followedTxs.length)
    expect(source.status()).toMatchObject({
      lastBlock: head.confirmed,
      headBlock: head.confirmed,
      lastError: null,
      sourceId: 'devnet-solana',
      chain: 'solana',
    })
    expect(statuses.at(-1)).toBe(head.confirmed)
  })

  it('backfills in capped windows oldest first when the signatures exceed the memory bound', async () => {
    const sink = new MemorySink()
    const source = makeSource({
      sink,
      checkpoints: new MemoryCheckpoints(),
      signaturesPageSize: 100,
      maxPendingSignatures: 250,
      transactionsPerBatch: 120,
    })
    await drainSolana(source)
    const net = sink.net()
    expect(net.duplicates).toEqual([])
    expectSolanaContent(activity, net.movements, head.finalized)
    expectContiguous(sink.writes(), 0, head.confirmed)
    expect(sink.writes().reduce((n, b) => n + b.failedTxs, 0)).toBe(activity.failedTxs.length)
    expect(source.stats().windows).toBeGreaterThan(3)
  })

  it('gives the same exact result through 20% injected RPC faults', async () => {
    const proxy = await startRpcProxy({
      upstream: server.url,
      seed: 20_260_102,
      faultRate: 0.2,
      weights: { timeout: 0.5 },
      retryAfterSeconds: 0.25,
      hangMs: 5_000,
    })
    const sink = new MemorySink()
    let caughtUp = () => {}
    const idle = new Promise<void>((resolve) => (caughtUp = resolve))
    let previous: number | null = null
    const source = makeSource({
      sink,
      checkpoints: new MemoryCheckpoints(),
      rpcUrl: proxy.url,
      batchSize: 20,
      concurrency: 2,
      signaturesPageSize: 250,
      requestTimeoutMs: 1_000,
      retry: { baseDelayMs: 20, maxDelayMs: 500 },
      pollIntervalMs: 60_000,
      onStatus: (s) => {
        if (s.lastBlock === head.confirmed && previous === head.confirmed) caughtUp()
        previous = s.lastBlock
      },
    })
    const stop = new AbortController()
    try {
      const running = source.run(stop.signal)
      await idle
      stop.abort()
      await running
    } finally {
      stop.abort()
      await proxy.stop()
    }
    const net = sink.net()
    expectSolanaContent(activity, net.movements, head.finalized)
    expectContiguous(sink.writes(), 0, head.confirmed)
    const stats = proxy.stats()
    const status = source.status()
    expect(stats.totalFaults).toBeGreaterThan(10)
    expect(status.rpcRequests).toBe(stats.requests)
    // each 429 said Retry-After: 0.25, and was honoured
    expect(status.rpcWaitMs).toBeGreaterThanOrEqual(stats.faults.rateLimit * 250)
    expect(status.lastError).not.toBeNull()
    expect(source.stats().rpcRetries).toBeGreaterThan(0)
  })

  it('resumes from its ClickHouse checkpoint after a stop and after a crash, skipping nothing', async () => {
    const checkpoints = new CheckpointStore(temp.db.writer)
    const sink = new MemorySink()
    const options = { sourceId: 'restart-test', checkpoints, transactionsPerBatch: 150 }

    // 1. a clean stop after a few steps
    const first = makeSource({ ...options, sink })
    for (let i = 0; i < 3; i++) expect((await first.step()).advanced).toBe(true)
    const stoppedAt = (await checkpoints.load('restart-test'))?.blockNumber ?? -1
    expect(stoppedAt).toBe(sink.writes().at(-1)?.toBlock)
    expect(stoppedAt).toBeLessThan(head.finalized)

    // 2. a crash after the sink stored a batch with rows, before the checkpoint was written
    let crashed: SourceBatch | null = null
    const crashing = {
      write: async (batch: SourceBatch) => {
        await sink.write(batch)
        if (!crashed && batch.fromBlock > stoppedAt + 1 && batch.movements.length > 0) {
          crashed = batch
          throw new Error('process killed')
        }
      },
      retract: (chain: string, fromBlock: number) => sink.retract(chain, fromBlock),
      finalize: (chain: string, throughBlock: number) => sink.finalize(chain, throughBlock),
    }
    const second = makeSource({ ...options, sink: crashing })
    const secondFirst = sink.writes().length
    await expect(drainSolana(second)).rejects.toThrow('process killed')
    expect(sink.writes()[secondFirst]?.fromBlock).toBe(stoppedAt + 1)
    const crashedBatch = crashed as SourceBatch | null
    if (!crashedBatch) throw new Error('no crash happened')
    expect((await checkpoints.load('restart-test'))?.blockNumber).toBe(crashedBatch.fromBlock - 1)

    // 3. a new process resumes exactly after the checkpoint
    const third = makeSource({ ...options, sink })
    const resumeIndex = sink.writes().length
    await drainSolana(third)
    expect(sink.writes()[resumeIndex]?.fromBlock).toBe(crashedBatch.fromBlock)

    const net = sink.net()
    expectSolanaContent(activity, net.movements, head.finalized)
    expectContiguous(
      sink.writes().filter((_, i) => i !== resumeIndex - 1),
      0,
      head.confirmed,
    )
    // duplicates: exactly the rows of the batch stored before the crash, all identical (net() checks)
    const crashedKeys = crashedBatch.movements.map((r) => `${r.chain}:${r.txId}:${r.eventIndex}`)
    expect(net.duplicates.map((d) => d.key).sort()).toEqual(crashedKeys.sort())
    await expect(checkpoints.load('restart-test')).resolves.toMatchObject({ blockNumber: head.confirmed })
  })
})
