import type { JsonRpcProvider } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startAnvil, type AnvilHandle } from '../../devnet/evm/anvil.js'
import { deployDevnet, devnetProvider, type DevnetDeployment } from '../../devnet/evm/deploy.js'
import { startRpcProxy } from '../../devnet/faults/rpc-proxy.js'
import type { SourceBatch } from '../../ingest/chains/batch.js'
import { EvmSource, type EvmSourceOptions } from '../../ingest/chains/evm/source.js'
import { CheckpointStore } from '../../ingest/store/checkpoints.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'
import { DevnetActivity, runScenario } from './devnet-activity.js'
import { MemoryCheckpoints, MemorySink } from './memory-sink.js'
import { startRangeLimitProxy, startTamperProxy } from './tamper-proxy.js'
import { drain, expectChainContent } from './source-assertions.js'

const START = 1_767_225_600
const DEPTH = 12

let anvil: AnvilHandle
let provider: JsonRpcProvider
let dep: DevnetDeployment
let activity: DevnetActivity
let head: number
let temp: TempDb

beforeAll(async () => {
  ;[anvil, temp] = await Promise.all([startAnvil({ startTime: START }), openTempDb()])
  provider = devnetProvider(anvil.rpcUrl, anvil.chainId)
  dep = await deployDevnet(provider)
  activity = new DevnetActivity(provider, dep)
  head = await runScenario(activity, { seed: 7, rounds: 12, startTime: START + 86_400 })
})

afterAll(async () => {
  provider?.destroy()
  await anvil?.stop()
  await temp?.dispose()
})

type Overrides = Partial<EvmSourceOptions> & Pick<EvmSourceOptions, 'sink' | 'checkpoints'>

function makeSource(overrides: Overrides): EvmSource {
  return new EvmSource({
    sourceId: 'devnet-evm',
    chain: 'devnet',
    rpcUrl: anvil.rpcUrl,
    tokens: [dep.addresses.stablecoin, dep.addresses.rewardToken],
    market: { address: dep.addresses.market, abi: dep.abis.market },
    startBlock: dep.fromBlock,
    finalityDepth: DEPTH,
    initialRange: 64,
    maxRange: 512,
    errorBackoffMs: { base: 50, max: 500 },
    ...overrides,
  })
}

/** Batches cover startBlock..head without gap or overlap, finalized ones first. */
function expectContiguous(batches: SourceBatch[], from: number): void {
  let next = from
  for (const b of batches) {
    expect([b.fromBlock, b.toBlock <= head]).toEqual([next, true])
    next = b.toBlock + 1
  }
  expect(next - 1).toBe(head)
  const labels = batches.map((b) => b.finality)
  expect(labels.lastIndexOf('finalized')).toBeLessThan(labels.indexOf('confirmed'))
}

describe('EvmSource on the devnet', () => {
  it('indexes every transfer and job event, with block times and finality', async () => {
    expect(activity.transfers.length).toBeGreaterThan(300)
    expect(activity.jobEvents.filter((e) => e.name === 'JobFinished').map((e) => e.status)).toEqual(
      expect.arrayContaining([1, 2, 3, 4]),
    )
    expect(activity.failedTxs.length).toBeGreaterThan(0)
    const sink = new MemorySink()
    const statuses: number[] = []
    const source = makeSource({
      sink,
      checkpoints: new MemoryCheckpoints(),
      onStatus: (s) => statuses.push(s.lastBlock ?? -1),
    })
    await drain(source)

    const net = sink.net()
    expect(net.duplicates).toEqual([])
    expect(sink.retracts()).toEqual([])
    // the chain stood still: every row got its final label when written, none needed relabelling
    expect(sink.finalizes()).toEqual([])
    expectChainContent(activity, net, head, DEPTH)
    expectContiguous(sink.writes(), dep.fromBlock)
    // a confirmed batch carries every block header; block times match the test's timestamps
    for (const batch of sink.writes().filter((b) => b.finality === 'confirmed')) {
      expect(batch.blocks.map((b) => b.number)).toEqual(
        Array.from({ length: batch.toBlock - batch.fromBlock + 1 }, (_, i) => batch.fromBlock + i),
      )
    }
    for (const block of sink.writes().flatMap((b) => b.blocks)) {
      const time = activity.blockTimes.get(block.number)
      if (time !== undefined) expect(block.time.getTime()).toBe(time * 1000)
    }
    const status = source.status()
    expect(status).toMatchObject({
      lastBlock: head,
      headBlock: head,
      lastError: null,
      sourceId: 'devnet-evm',
    })
    expect(status.rpcRequests).toBeGreaterThan(0)
    expect(statuses.at(-1)).toBe(head)
  })

  it('shrinks the eth_getLogs range when the node refuses it, and still gets everything', async () => {
    const proxy = await startRangeLimitProxy(anvil.rpcUrl, 50)
    try {
      const sink = new MemorySink()
      const source = makeSource({
        sink,
        checkpoints: new MemoryCheckpoints(),
        rpcUrl: proxy.url,
        initialRange: 2_000,
        maxRange: 4_000,
      })
      await drain(source)
      expectChainContent(activity, sink.net(), head, DEPTH)
      expectContiguous(sink.writes(), dep.fromBlock)
      expect(proxy.refused.length).toBeGreaterThan(0)
      expect(source.stats().rangeRefusals).toBe(proxy.refused.length)
      expect(Math.max(...proxy.accepted)).toBeLessThanOrEqual(50)
      expect(source.stats().range).toBeLessThanOrEqual(50)
      // once the limit is found, refusals stop: fewer of them than calls that went through
      expect(proxy.refused.length).toBeLessThan(proxy.accepted.length)
    } finally {
      await proxy.stop()
    }
  })

  it('writes nothing from a read whose logs and headers disagree, then reads the range again', async () => {
    let tampered = 0
    const proxy = await startTamperProxy(anvil.rpcUrl, {
      rewrite: (call, response) => {
        const logs = response.result
        if (call.method !== 'eth_getLogs' || tampered > 0 || !Array.isArray(logs) || logs.length === 0) return
        // as if the node had answered from a branch that the headers, read next, no longer show
        for (const log of logs as { blockHash: string }[]) log.blockHash = '0x' + 'ab'.repeat(32)
        tampered++
      },
    })
    try {
      const sink = new MemorySink()
      const checkpoints = new MemoryCheckpoints()
      const source = makeSource({ sink, checkpoints, rpcUrl: proxy.url })
      await expect(source.step()).rejects.toThrow(/changed during the read/)
      expect([sink.ops.length, checkpoints.saved.length, tampered]).toEqual([0, 0, 1])
      expect(source.status().lastError).toMatch(/changed during the read/)
      await drain(source)
      expectChainContent(activity, sink.net(), head, DEPTH)
      expectContiguous(sink.writes(), dep.fromBlock)
    } finally {
      await proxy.stop()
    }
  })

  it('gives the same exact result through 20% injected RPC faults', async () => {
    const proxy = await startRpcProxy({
      upstream: anvil.rpcUrl,
      seed: 20_260_101,
      faultRate: 0.2,
      weights: { timeout: 0.5 },
      retryAfterSeconds: 1,
      hangMs: 5_000,
    })
    const sink = new MemorySink()
    // resolves once a step found nothing left to do: the run loop then sleeps, no request in flight
    let caughtUp = () => {}
    const idle = new Promise<void>((resolve) => (caughtUp = resolve))
    let previous: number | null = null
    const source = makeSource({
      sink,
      checkpoints: new MemoryCheckpoints(),
      rpcUrl: proxy.url,
      initialRange: 4,
      maxRange: 8,
      requestTimeoutMs: 1_000,
      retry: { baseDelayMs: 20, maxDelayMs: 500 },
      pollIntervalMs: 60_000,
      onStatus: (s) => {
        if (s.lastBlock === head && previous === head) caughtUp()
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
    expectChainContent(activity, sink.net(), head, DEPTH)
    const stats = proxy.stats()
    const status = source.status()
    expect(stats.totalFaults).toBeGreaterThan(10)
    expect(Object.values(stats.faults).every((n) => n > 0)).toBe(true)
    expect(status.rpcRequests).toBe(stats.requests)
    // each 429 said Retry-After: 1, and was honoured
    expect(status.rpcWaitMs).toBeGreaterThanOrEqual(stats.faults.rateLimit * 1_000)
    expect(status.lastError).not.toBeNull()
    expect(source.stats().rpcRetries).toBeGreaterThan(0)
  })

  it('resumes from its ClickHouse checkpoint after a stop and after a crash, skipping nothing', async () => {
    const checkpoints = new CheckpointStore(temp.db.writer)
    const sink = new MemorySink()
    const options = { sourceId: 'restart-test', checkpoints, initialRange: 16, maxRange: 16 }

    // 1. a clean stop after a few steps
    const first = makeSource({ ...options, sink })
    for (let i = 0; i < 4; i++) expect((await first.step()).advanced).toBe(true)
    const stoppedAt = (await checkpoints.load('restart-test'))?.blockNumber
    expect(stoppedAt).toBe(sink.writes().at(-1)?.toBlock)

    // 2. a crash after the sink stored a batch with rows, before the checkpoint was written
    let crashed: SourceBatch | null = null
    const crashing = {
      write: async (batch: SourceBatch) => {
        await sink.write(batch)
        if (!crashed && batch.fromBlock > (stoppedAt ?? 0) + 32 && batch.movements.length > 0) {
          crashed = batch
          throw new Error('process killed')
        }
      },
      retract: (chain: string, fromBlock: number) => sink.retract(chain, fromBlock),
      finalize: (chain: string, throughBlock: number) => sink.finalize(chain, throughBlock),
    }
    const second = makeSource({ ...options, sink: crashing })
    expect(sink.writes().length).toBe(4)
    const secondFirst = sink.writes().length
    await expect(drain(second)).rejects.toThrow('process killed')
    expect(sink.writes()[secondFirst]?.fromBlock).toBe((stoppedAt ?? 0) + 1)
    const crashedBatch = crashed as SourceBatch | null
    if (!crashedBatch) throw new Error('no crash happened')
    const checkpoint = await checkpoints.load('restart-test')
    expect(checkpoint?.blockNumber).toBe(crashedBatch.fromBlock - 1)

    // 3. a new process resumes exactly after the checkpoint
    const third = makeSource({ ...options, sink })
    const resumeIndex = sink.writes().length
    await drain(third)
    expect(sink.writes()[resumeIndex]?.fromBlock).toBe(crashedBatch.fromBlock)

    const net = sink.net()
    expectChainContent(activity, net, head, DEPTH)
    // duplicates: exactly the rows of the batch stored before the crash, all identical (net() checks)
    const crashedKeys = [...crashedBatch.movements, ...crashedBatch.events].map(
      (r) => `${r.chain}:${r.txId}:${r.eventIndex}`,
    )
    expect(net.duplicates.map((d) => d.key).sort()).toEqual(crashedKeys.sort())
    expect(
      net.duplicates.every((d) => d.block >= crashedBatch.fromBlock && d.block <= crashedBatch.toBlock),
    ).toBe(true)
    await expect(checkpoints.load('restart-test')).resolves.toMatchObject({ blockNumber: head })
  })
})
