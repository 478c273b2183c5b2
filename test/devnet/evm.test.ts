import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AbiCoder,
  Interface,
  ZeroAddress,
  id as keccakId,
  zeroPadValue,
  type BaseContract,
  type JsonRpcProvider,
  type JsonRpcSigner,
} from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEvmDevnet, type EvmDevnet } from '../support/evm-devnet.js'
import { compileContracts } from '../../devnet/evm/compile.js'
import { JobStatus, advanceTo, type DevnetDeployment } from '../../devnet/evm/deploy.js'

const START = 1_767_225_600 // 2026-01-01T00:00:00Z
const USDC = 10n ** 6n
const ATH = 10n ** 18n

interface RpcLog {
  address: string
  topics: string[]
  data: string
  blockNumber: string
  blockHash: string
  transactionHash: string
  logIndex: string
  removed?: boolean
}

interface Receipt {
  blockNumber: number
  status: number | null
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

async function signer(index: number): Promise<JsonRpcSigner> {
  const address = dep.accounts[index]
  if (!address) throw new Error(`no account ${index}`)
  return provider.getSigner(address)
}

/** Sends a contract call as `from` and waits for a successful receipt. */
async function send(contract: BaseContract, from: JsonRpcSigner, method: string, ...args: unknown[]) {
  const tx = await contract
    .connect(from)
    .getFunction(method)
    .send(...args)
  const receipt = (await tx.wait()) as Receipt | null
  if (!receipt || receipt.status !== 1) throw new Error(`${method} reverted`)
  return receipt
}

async function getLogs(filter: { address?: string; topics?: (string | null)[]; fromBlock: number }) {
  return (await provider.send('eth_getLogs', [
    { ...filter, fromBlock: '0x' + filter.fromBlock.toString(16), toBlock: 'latest' },
  ])) as RpcLog[]
}

async function blockTime(blockNumber: number): Promise<number> {
  const block = (await provider.send('eth_getBlockByNumber', ['0x' + blockNumber.toString(16), false])) as {
    timestamp: string
  }
  return Number(block.timestamp)
}

const topicAddress = (a: string) => zeroPadValue(a, 32).toLowerCase()

describe('solc compile cache', () => {
  it('compiles once, then serves the same artifacts from the disk cache', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'plumb-solc-'))
    try {
      const first = await compileContracts({ cacheDir })
      const second = await compileContracts({ cacheDir })
      expect(first.cacheHit).toBe(false)
      expect(second.cacheHit).toBe(true)
      expect(second.cacheFile).toBe(first.cacheFile)
      expect(second.contracts).toEqual(first.contracts)
      expect(Object.keys(first.contracts)).toEqual(
        expect.arrayContaining(['PlumbToken', 'ComputeMarket', 'RewardPool']),
      )
      expect(first.contracts['ComputeMarket']?.bytecode).toMatch(/^0x[0-9a-f]{100,}$/)
    } finally {
      await rm(cacheDir, { recursive: true, force: true })
    }
  })
})

describe('devnet deployment', () => {
  it('deploys an 18-decimal reward token and a 6-decimal stablecoin at the fixed genesis time', async () => {
    const { rewardToken, stablecoin, rewardPool } = dep.contracts
    expect(await rewardToken.getFunction('symbol')()).toBe('ATH')
    expect(await rewardToken.getFunction('decimals')()).toBe(18n)
    expect(await stablecoin.getFunction('symbol')()).toBe('USDC')
    expect(await stablecoin.getFunction('decimals')()).toBe(6n)
    expect(await rewardToken.getFunction('isMinter')(dep.addresses.rewardPool)).toBe(true)
    expect(await rewardPool.getFunction('dailyEmission')()).toBe(dep.dailyEmission)
    expect(await blockTime(0)).toBe(START)
    expect(dep.chainId).toBe(31337)
  })
})

describe('ComputeMarket', () => {
  it('settles jobs and the logs say exactly what happened', async () => {
    const { market, stablecoin } = dep.contracts
    const owner = dep.deployer
    const customer = await signer(1)
    const providerA = await signer(2)
    const customerAddr = await customer.getAddress()
    const providerAddr = await providerA.getAddress()
    const marketIface = new Interface(dep.abis.market)
    const tokenIface = new Interface(dep.abis.stablecoin)

    const fromBlock = (await send(stablecoin, owner, 'mint', customerAddr, 10_000n * USDC)).blockNumber
    await send(stablecoin, customer, 'approve', dep.addresses.market, 2n ** 256n - 1n)

    const jobs = [
      {
        id: keccakId('job-ok'),
        amount: 120_500_000n,
        gpus: 8,
        model: 'H100-SXM5-80GB',
        status: JobStatus.Succeeded,
      },
      { id: keccakId('job-fail'), amount: 33n * USDC, gpus: 1, model: 'RTX 4090', status: JobStatus.Failed },
      {
        id: keccakId('job-timeout'),
        amount: 7n * USDC,
        gpus: 2,
        model: 'A100-80GB',
        status: JobStatus.TimedOut,
      },
      { id: keccakId('job-cancel'), amount: 5n * USDC, gpus: 4, model: 'L40S', status: JobStatus.Cancelled },
    ]
    let t = START + 3_600
    const startedAt = new Map<string, number>()
    for (const job of jobs) {
      await advanceTo(provider, (t += 60))
      await send(market, customer, 'postJob', job.id, providerAddr, job.amount, job.gpus, job.model)
    }
    for (const job of jobs.slice(0, 2)) {
      await provider.send('evm_setNextBlockTimestamp', [(t += 600)])
      const receipt = await send(market, providerA, 'startJob', job.id)
      startedAt.set(job.id, await blockTime(receipt.blockNumber))
      expect(startedAt.get(job.id)).toBe(t)
    }
    await send(market, providerA, 'finishJob', jobs[0]!.id, JobStatus.Succeeded)
    await send(market, providerA, 'finishJob', jobs[1]!.id, JobStatus.Failed)
    await send(market, owner, 'finishJob', jobs[2]!.id, JobStatus.TimedOut)
    await send(market, customer, 'cancelJob', jobs[3]!.id)

    const logs = await getLogs({ address: dep.addresses.market, fromBlock })
    const events = logs.map((l) => marketIface.parseLog(l)!)
    const posted = events.filter((e) => e.name === 'JobPosted')
    expect(posted.map((e) => [e.args[0], e.args[1], e.args[2], e.args[3], e.args[4], e.args[5]])).toEqual(
      jobs.map((j) => [j.id, customerAddr, providerAddr, j.amount, BigInt(j.gpus), j.model]),
    )
    const started = events.filter((e) => e.name === 'JobStarted')
    expect(started.map((e) => [e.args[0], Number(e.args[1])])).toEqual(
      jobs.slice(0, 2).map((j) => [j.id, startedAt.get(j.id)]),
    )

    const fee = (jobs[0]!.amount * BigInt(dep.feeBps)) / 10_000n
    const finished = events.filter((e) => e.name === 'JobFinished')
    expect(finished.map((e) => [e.args[0], e.args[1], e.args[2], Number(e.args[3])])).toEqual([
      [jobs[0]!.id, providerAddr, jobs[0]!.amount - fee, JobStatus.Succeeded],
      [jobs[1]!.id, providerAddr, 0n, JobStatus.Failed],
      [jobs[2]!.id, providerAddr, 0n, JobStatus.TimedOut],
      [jobs[3]!.id, providerAddr, 0n, JobStatus.Cancelled],
    ])

    // the jobId topic filters server-side, as an indexer would use it
    const byJob = await getLogs({ address: dep.addresses.market, topics: [null, jobs[0]!.id], fromBlock })
    expect(byJob.map((l) => marketIface.parseLog(l)?.name)).toEqual([
      'JobPosted',
      'JobStarted',
      'JobFinished',
    ])

    // stablecoin movements: 4 payments in, 1 payout, 3 refunds
    const transfer = tokenIface.getEvent('Transfer')!.topicHash
    const moves = (await getLogs({ address: dep.addresses.stablecoin, topics: [transfer], fromBlock }))
      .map((l) => tokenIface.parseLog(l)!)
      .map((e) => [e.args[0], e.args[1], e.args[2]])
    expect(moves).toEqual([
      [ZeroAddress, customerAddr, 10_000n * USDC],
      ...jobs.map((j) => [customerAddr, dep.addresses.market, j.amount]),
      [dep.addresses.market, providerAddr, jobs[0]!.amount - fee],
      ...jobs.slice(1).map((j) => [dep.addresses.market, customerAddr, j.amount]),
    ])
    expect(await stablecoin.getFunction('balanceOf')(dep.addresses.market)).toBe(fee)
    expect(await market.getFunction('feesAccrued')()).toBe(fee)
    expect(await stablecoin.getFunction('balanceOf')(providerAddr)).toBe(jobs[0]!.amount - fee)
    expect(await stablecoin.getFunction('balanceOf')(customerAddr)).toBe(10_000n * USDC - jobs[0]!.amount)

    // a finished job cannot be settled twice
    await expect(
      market.connect(providerA).getFunction('finishJob').send(jobs[0]!.id, JobStatus.Failed),
    ).rejects.toThrow()
  })
})

describe('RewardPool', () => {
  it('mints the daily emission to many operators in one transaction', async () => {
    const { rewardPool, rewardToken } = dep.contracts
    const operators = dep.accounts.slice(3, 9)
    const amounts = operators.map((_, i) => BigInt(i + 1) * 100_000n * ATH + 123n)
    const day = Math.floor((START + 86_400) / 86_400)
    await advanceTo(provider, START + 2 * 86_400)
    const receipt = await send(rewardPool, dep.deployer, 'distribute', day, operators, amounts)

    const transfer = keccakId('Transfer(address,address,uint256)')
    const logs = await getLogs({
      address: dep.addresses.rewardToken,
      topics: [transfer, topicAddress(ZeroAddress)],
      fromBlock: receipt.blockNumber,
    })
    expect(logs).toHaveLength(operators.length)
    expect(new Set(logs.map((l) => l.transactionHash)).size).toBe(1)
    expect(logs.map((l) => l.topics[2])).toEqual(operators.map(topicAddress))
    const coder = AbiCoder.defaultAbiCoder()
    expect(logs.map((l) => coder.decode(['uint256'], l.data)[0])).toEqual(amounts)

    const total = amounts.reduce((a, b) => a + b, 0n)
    const poolIface = new Interface(dep.abis.rewardPool)
    const [summary] = (
      await getLogs({ address: dep.addresses.rewardPool, fromBlock: receipt.blockNumber })
    ).map((l) => poolIface.parseLog(l)!)
    expect([summary?.name, summary?.args[0], summary?.args[1], summary?.args[2]]).toEqual([
      'RewardsDistributed',
      BigInt(day),
      total,
      BigInt(operators.length),
    ])
    expect(await rewardToken.getFunction('totalSupply')()).toBe(total)

    // same day twice, or more than the daily emission, is refused
    await expect(rewardPool.getFunction('distribute').send(day, operators, amounts)).rejects.toThrow()
    await expect(
      rewardPool.getFunction('distribute').send(day + 1, [operators[0]], [dep.dailyEmission + 1n]),
    ).rejects.toThrow()

    // a holder burns: Transfer to address(0)
    const holder = await signer(3)
    const burnReceipt = await send(rewardToken, holder, 'burn', 1_000n * ATH)
    const burns = await getLogs({
      address: dep.addresses.rewardToken,
      topics: [transfer, topicAddress(await holder.getAddress()), topicAddress(ZeroAddress)],
      fromBlock: burnReceipt.blockNumber,
    })
    expect(burns.map((l) => BigInt(l.data))).toEqual([1_000n * ATH])
    expect(await rewardToken.getFunction('totalSupply')()).toBe(total - 1_000n * ATH)
  })
})
