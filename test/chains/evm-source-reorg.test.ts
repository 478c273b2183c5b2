import { Interface, type JsonRpcProvider } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startAnvil, type AnvilHandle } from '../../devnet/evm/anvil.js'
import {
  deployDevnet,
  devnetProvider,
  reorg,
  type DevnetDeployment,
  type ReorgTx,
} from '../../devnet/evm/deploy.js'
import { EvmSource } from '../../ingest/chains/evm/source.js'
import { DevnetActivity, runScenario, type TruthJobEvent, type TruthTransfer } from './devnet-activity.js'
import { MemoryCheckpoints, MemorySink } from './memory-sink.js'
import { drain, expectChainContent } from './source-assertions.js'

const START = 1_767_225_600
const DEPTH = 10
const REORG_DEPTH = 5

let anvil: AnvilHandle
let provider: JsonRpcProvider
let dep: DevnetDeployment
let activity: DevnetActivity
let token: Interface

/** The chain's content as the test made it, moved to the new branch at each reorg. */
const truth: { transfers: TruthTransfer[]; jobEvents: TruthJobEvent[]; blockTimes: Map<number, number> } = {
  transfers: [],
  jobEvents: [],
  blockTimes: new Map(),
}
const absorbed = { transfers: 0, jobEvents: 0 }

/** Adds what the activity made since the last call. */
function absorb(): void {
  truth.transfers.push(...activity.transfers.slice(absorbed.transfers))
  truth.jobEvents.push(...activity.jobEvents.slice(absorbed.jobEvents))
  absorbed.transfers = activity.transfers.length
  absorbed.jobEvents = activity.jobEvents.length
  for (const [block, time] of activity.blockTimes) truth.blockTimes.set(block, time)
}

beforeAll(async () => {
  anvil = await startAnvil({ startTime: START })
  provider = devnetProvider(anvil.rpcUrl, anvil.chainId)
  dep = await deployDevnet(provider)
  activity = new DevnetActivity(provider, dep)
  token = new Interface(dep.abis.stablecoin)
})

afterAll(async () => {
  provider?.destroy()
  await anvil?.stop()
})

const hex = (n: number | bigint) => '0x' + n.toString(16)

async function tipNumber(): Promise<number> {
  return Number(await provider.send('eth_blockNumber', []))
}

/**
 * Replaces the last REORG_DEPTH blocks with blocks holding one stablecoin transfer each at the
 * given offsets, and moves the truth to the new branch (hashes and times read from the chain).
 */
async function reorgWithTransfers(amounts: bigint[]): Promise<number> {
  const tip = await tipNumber()
  const firstReplaced = tip - REORG_DEPTH + 1
  const from = activity.account(1)
  const to = activity.account(5)
  const txs: ReorgTx[] = amounts.map((amount, offset) => ({
    tx: {
      from,
      to: dep.addresses.stablecoin,
      data: token.encodeFunctionData('transfer', [to, amount]),
      gas: hex(200_000),
    },
    blockOffset: offset,
  }))
  await reorg(provider, REORG_DEPTH, txs)
  truth.transfers = truth.transfers.filter((t) => t.block < firstReplaced)
  truth.jobEvents = truth.jobEvents.filter((e) => e.block < firstReplaced)
  for (const block of [...truth.blockTimes.keys()]) if (block >= firstReplaced) truth.blockTimes.delete(block)
  for (const block of [...activity.blockTimes.keys()])
    if (block >= firstReplaced) activity.blockTimes.delete(block)
  for (const [offset, amount] of amounts.entries()) {
    const block = (await provider.send('eth_getBlockByNumber', [hex(firstReplaced + offset), false])) as {
      timestamp: string
      transactions: string[]
    }
    const txHash = block.transactions[0]
    if (block.transactions.length !== 1 || !txHash)
      throw new Error('replacement block without its transaction')
    const receipt = (await provider.send('eth_getTransactionReceipt', [txHash])) as { status: string }
    if (receipt.status !== '0x1') throw new Error('replacement transfer reverted')
    truth.transfers.push({
      token: activity.stable,
      from,
      to,
      amount,
      txHash: txHash.toLowerCase(),
      block: firstReplaced + offset,
    })
    truth.blockTimes.set(firstReplaced + offset, Number(block.timestamp))
  }
  return firstReplaced
}

function makeSource(sink: MemorySink, checkpoints: MemoryCheckpoints, finalityDepth = DEPTH): EvmSource {
  return new EvmSource({
    sourceId: `reorg-${finalityDepth}`,
    chain: 'devnet',
    rpcUrl: anvil.rpcUrl,
    tokens: [dep.addresses.stablecoin, dep.addresses.rewardToken],
    market: { address: dep.addresses.market, abi: dep.abis.market },
    startBlock: dep.fromBlock,
    finalityDepth,
    sink,
    checkpoints,
    initialRange: 64,
    maxRange: 256,
    errorBackoffMs: { base: 20, max: 100 },
    pollIntervalMs: 20,
  })
}

describe('EvmSource through reorgs', () => {
  const sink = new MemorySink()
  const checkpoints = new MemoryCheckpoints()
  let source: EvmSource
  let firstHead = 0

  it('retracts the 5 replaced blocks when the tip changes under a caught-up source', async () => {
    const head = await runScenario(activity, {
      seed: 11,
      rounds: 6,
      startTime: START + 86_400,
      tailRounds: 5,
      maxGap: 30,
    })
    firstHead = head
    absorb()
    source = makeSource(sink, checkpoints)
    await drain(source)
    expectChainContent(truth, sink.net(), head, DEPTH)
    // the blocks about to be replaced hold rows, all written as confirmed
    const orphaned = sink.writes().filter((b) => b.toBlock > head - REORG_DEPTH)
    expect(orphaned.flatMap((b) => b.movements).length).toBeGreaterThan(20)
    expect(orphaned.every((b) => b.finality === 'confirmed')).toBe(true)

    const firstReplaced = await reorgWithTransfers(
      [700_001n, 0n, 0n, 700_004n, 700_005n].filter((a) => a > 0n),
    )
    expect(await tipNumber()).toBe(head)
    expect(firstReplaced).toBe(head - 4)
    await drain(source)

    expect(sink.retracts()).toEqual([{ chain: 'devnet', fromBlock: head - 4 }])
    expect(checkpoints.saved.some((c) => c.blockNumber === head - 5)).toBe(true)
    expect(source.stats().reorgs).toBe(1)
    expect(source.status().lastError).toMatch(`reorg handled: blocks ${head - 4}..${head} retracted`)
    expectChainContent(truth, sink.net(), head, DEPTH)
    expect(source.status().lastBlock).toBe(head)
  })

  it('detects a reorg from the parent hash of the next block, after the chain grew', async () => {
    await activity.automine(false)
    let time = START + 30 * 86_400
    for (let round = 0; round < 8; round++) {
      activity.transfer(activity.stable, activity.account(2), activity.account(6), 1_000n + BigInt(round))
      activity.transfer(activity.reward, activity.account(5), activity.account(3), 2_000n + BigInt(round))
      await activity.mine((time += 12))
    }
    absorb()
    const tip = await tipNumber()
    await drain(source)
    expect(source.status().lastBlock).toBe(tip)

    const firstReplaced = await reorgWithTransfers([800_001n, 800_002n])
    // three more blocks on the new branch before the source looks again
    for (let round = 0; round < 3; round++) {
      activity.mint(activity.stable, activity.account(4), 3_000n + BigInt(round))
      await activity.mine((time += 12))
    }
    absorb()
    await activity.automine(true)
    const head = await tipNumber()
    await drain(source)

    expect(firstReplaced).toBe(tip - 4)
    expect(sink.retracts()).toEqual([
      { chain: 'devnet', fromBlock: firstHead - 4 },
      { chain: 'devnet', fromBlock: tip - 4 },
    ])
    expect(source.stats().reorgs).toBe(2)
    // rows written as confirmed were relabelled as the depth passed them, once their blocks were
    // proven canonical (by the parent link of the next batch)
    expect(sink.finalizes()).toEqual([firstHead - 2, tip - 7])
    expectChainContent(truth, sink.net(), head, DEPTH)
  })

  it('refuses to retract finalized rows: a reorg deeper than the finality depth stops the source', async () => {
    const shallowSink = new MemorySink()
    const shallow = makeSource(shallowSink, new MemoryCheckpoints(), 3)
    await drain(shallow)
    const tip = await tipNumber()
    expect(shallow.status().lastBlock).toBe(tip)
    await reorgWithTransfers([900_001n])
    await expect(shallow.step()).rejects.toThrow(/deeper than the finality depth/)
    expect(shallow.status().lastError).toMatch(/deeper than the finality depth/)
    expect(shallow.status().lastBlock).toBe(tip)
    // run() records the error and backs off instead of throwing
    const stop = new AbortController()
    const running = shallow.run(stop.signal)
    await new Promise((r) => setTimeout(r, 150))
    stop.abort()
    await expect(running).resolves.toBeUndefined()
    expect(shallowSink.retracts()).toEqual([])
  })
})
