import { Interface, id as keccakId, type JsonRpcProvider } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEvmDevnet, type EvmDevnet } from '../support/evm-devnet.js'
import {
  advanceTo,
  mineBlocks,
  reorg,
  revertTo,
  snapshot,
  type DevnetDeployment,
} from '../../devnet/evm/deploy.js'

const START = 1_767_225_600

interface RpcBlock {
  number: string
  hash: string
  parentHash: string
  timestamp: string
  transactions: string[]
}

let devnet: EvmDevnet
let provider: JsonRpcProvider
let dep: DevnetDeployment

beforeAll(async () => {
  devnet = await startEvmDevnet({ startTime: START })
  ;({ provider, dep } = devnet)
})

afterAll(async () => {
  await devnet?.stop()
})

const hex = (n: number | bigint) => '0x' + n.toString(16)

async function block(n: number): Promise<RpcBlock> {
  return (await provider.send('eth_getBlockByNumber', [hex(n), false])) as RpcBlock
}

async function tipNumber(): Promise<number> {
  return Number(await provider.send('eth_blockNumber', []))
}

async function chain(from: number, to: number): Promise<RpcBlock[]> {
  return Promise.all(Array.from({ length: to - from + 1 }, (_, i) => block(from + i)))
}

function account(i: number): string {
  const a = dep.accounts[i]
  if (!a) throw new Error(`no account ${i}`)
  return a
}

describe('anvil_reorg', () => {
  it('replaces the last 5 blocks, keeps the parent-hash chain, drops orphaned logs', async () => {
    const customer = await provider.getSigner(account(1))
    const { stablecoin, market } = dep.contracts
    await (await stablecoin.getFunction('mint').send(account(1), 1_000_000_000n)).wait()
    await (
      await stablecoin
        .connect(customer)
        .getFunction('approve')
        .send(dep.addresses.market, 10n ** 30n)
    ).wait()
    await mineBlocks(provider, 3)

    // this job lands inside the window the reorg replaces
    const jobId = keccakId('orphaned-job')
    const postTx = await market
      .connect(customer)
      .getFunction('postJob')
      .send(jobId, account(2), 50_000_000n, 1, 'H100')
    const posted = await postTx.wait()
    const tip = await mineBlocks(provider, 2)
    expect(posted?.blockNumber).toBe(tip - 2)
    const before = await chain(0, tip)
    const marketLogs = () =>
      provider.send('eth_getLogs', [{ address: dep.addresses.market, fromBlock: '0x0', toBlock: 'latest' }])
    expect(await marketLogs()).toHaveLength(1)

    const valueBefore = BigInt(await provider.send('eth_getBalance', [account(6), 'latest']))
    await reorg(provider, 5, [
      { tx: { from: account(5), to: account(6), value: hex(1_000n) }, blockOffset: 0 },
      { tx: { from: account(5), to: account(6), value: hex(2_000n) }, blockOffset: 4 },
    ])

    expect(await tipNumber()).toBe(tip)
    const after = await chain(0, tip)
    for (let n = 0; n <= tip; n++) {
      if (n <= tip - 5) expect(after[n]?.hash, `block ${n} is below the reorg`).toBe(before[n]?.hash)
      else expect(after[n]?.hash, `block ${n} was replaced`).not.toBe(before[n]?.hash)
      if (n > 0) expect(after[n]?.parentHash, `parent of ${n}`).toBe(after[n - 1]?.hash)
    }
    // the new transactions sit at the requested offsets from the first replaced block
    expect(after.slice(tip - 4).map((b) => b.transactions.length)).toEqual([1, 0, 0, 0, 1])
    expect(BigInt(await provider.send('eth_getBalance', [account(6), 'latest']))).toBe(valueBefore + 3_000n)

    // the orphaned job is gone: no log, no receipt, money back where it was
    expect(await marketLogs()).toEqual([])
    expect(await provider.send('eth_getTransactionReceipt', [postTx.hash])).toBeNull()
    expect(await stablecoin.getFunction('balanceOf')(account(1))).toBe(1_000_000_000n)
    const iface = new Interface(dep.abis.market)
    expect(iface.getEvent('JobPosted')?.topicHash).toBe(
      keccakId('JobPosted(bytes32,address,address,uint256,uint32,string)'),
    )

    // and the chain grows on from the new tip
    await mineBlocks(provider, 1)
    expect((await block(tip + 1)).parentHash).toBe(after[tip]?.hash)
  })
})

describe('time and snapshots', () => {
  it('advanceTo mines at the exact time; later blocks step by the fixed interval', async () => {
    const target = START + 30 * 86_400
    const n = await advanceTo(provider, target)
    expect(Number((await block(n)).timestamp)).toBe(target)
    const next = await mineBlocks(provider, 2)
    expect(Number((await block(next)).timestamp)).toBe(target + 2)
  })

  it('revertTo restores the chain and state of the snapshot', async () => {
    const tip = await tipNumber()
    const id = await snapshot(provider)
    const balance = await provider.send('eth_getBalance', [account(7), 'latest'])
    const sender = await provider.getSigner(account(7))
    await (await sender.sendTransaction({ to: account(8), value: 10n ** 18n })).wait()
    await advanceTo(provider, START + 400 * 86_400)
    expect(await tipNumber()).toBe(tip + 2)

    expect(await revertTo(provider, id)).toBe(true)
    expect(await tipNumber()).toBe(tip)
    expect(await provider.send('eth_getBalance', [account(7), 'latest'])).toBe(balance)
  })
})
