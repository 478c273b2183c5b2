import { id as keccakId, Interface, type JsonRpcProvider } from 'ethers'

import { createPrng } from '../../devnet/faults/prng.js'
import { advanceTo, JobStatus, type DevnetDeployment } from '../../devnet/evm/deploy.js'

/** A Transfer the test caused, known from what it sent (not read back from the indexer). */
export interface TruthTransfer {
  token: string
  from: string | null
  to: string | null
  amount: bigint
  txHash: string
  block: number
}

export interface TruthJobEvent {
  name: 'JobPosted' | 'JobStarted' | 'JobFinished'
  jobId: string
  txHash: string
  block: number
  customer?: string
  provider?: string
  amount?: bigint
  gpuCount?: number
  gpuModel?: string
  status?: number
}

type Expect = {
  transfers: Omit<TruthTransfer, 'txHash' | 'block'>[]
  events: Omit<TruthJobEvent, 'txHash' | 'block'>[]
}

interface QueuedTx {
  from: string
  to: string
  data: string
  gas: number
  succeeds: boolean
  expect: Expect
}

interface Job {
  customer: string
  provider: string
  amount: bigint
}

const lower = (a: string) => a.toLowerCase()
const hex = (n: number | bigint) => '0x' + n.toString(16)

/**
 * Drives the devnet with automine off: queue transactions, then `mine(time)` puts them all in one
 * block at that exact timestamp and checks every receipt. What each transaction emits is derived
 * from the contracts' documented behaviour, so the truth is independent of the code under test.
 */
export class DevnetActivity {
  readonly transfers: TruthTransfer[] = []
  readonly jobEvents: TruthJobEvent[] = []
  /** Block number → unix seconds, for the blocks `mine` made. */
  readonly blockTimes = new Map<number, number>()
  readonly failedTxs: string[] = []
  private queue: QueuedTx[] = []
  private readonly jobs = new Map<string, Job>()
  private readonly token: Interface
  private readonly market: Interface
  private readonly pool: Interface

  constructor(
    readonly provider: JsonRpcProvider,
    readonly dep: DevnetDeployment,
  ) {
    this.token = new Interface(dep.abis.stablecoin)
    this.market = new Interface(dep.abis.market)
    this.pool = new Interface(dep.abis.rewardPool)
  }

  get stable(): string {
    return lower(this.dep.addresses.stablecoin)
  }

  get reward(): string {
    return lower(this.dep.addresses.rewardToken)
  }

  get deployer(): string {
    return this.account(0)
  }

  account(i: number): string {
    const a = this.dep.accounts[i]
    if (!a) throw new Error(`no dev account ${i}`)
    return lower(a)
  }

  async automine(on: boolean): Promise<void> {
    await this.provider.send('evm_setAutomine', [on])
  }

  mint(token: string, to: string, amount: bigint): void {
    this.push(this.deployer, token, this.token.encodeFunctionData('mint', [to, amount]), {
      transfers: [{ token, from: null, to, amount }],
      events: [],
    })
  }

  transfer(token: string, from: string, to: string, amount: bigint): void {
    this.push(from, token, this.token.encodeFunctionData('transfer', [to, amount]), {
      transfers: [{ token, from, to, amount }],
      events: [],
    })
  }

  /** A transfer the token refuses (the sender lacks the balance): mined, reverted, no log. */
  failingTransfer(token: string, from: string, to: string, amount: bigint): void {
    this.push(from, token, this.token.encodeFunctionData('transfer', [to, amount]), NOTHING, false)
  }

  burn(token: string, from: string, amount: bigint): void {
    this.push(from, token, this.token.encodeFunctionData('burn', [amount]), {
      transfers: [{ token, from, to: null, amount }],
      events: [],
    })
  }

  approve(token: string, owner: string, spender: string, amount: bigint): void {
    this.push(owner, token, this.token.encodeFunctionData('approve', [spender, amount]), NOTHING)
  }

  postJob(
    customer: string,
    name: string,
    provider: string,
    amount: bigint,
    gpuCount: number,
    gpuModel: string,
  ) {
    const jobId = keccakId(name)
    this.jobs.set(jobId, { customer, provider, amount })
    const market = lower(this.dep.addresses.market)
    this.push(
      customer,
      market,
      this.market.encodeFunctionData('postJob', [jobId, provider, amount, gpuCount, gpuModel]),
      {
        transfers: [{ token: this.stable, from: customer, to: market, amount }],
        events: [{ name: 'JobPosted', jobId, customer, provider, amount, gpuCount, gpuModel }],
      },
    )
    return jobId
  }

  startJob(jobId: string): void {
    const job = this.job(jobId)
    this.push(job.provider, this.dep.addresses.market, this.market.encodeFunctionData('startJob', [jobId]), {
      transfers: [],
      events: [{ name: 'JobStarted', jobId }],
    })
  }

  /** status 1-3 through finishJob (by the provider), 4 through cancelJob (by the customer). */
  finishJob(jobId: string, status: number): void {
    const job = this.job(jobId)
    const market = lower(this.dep.addresses.market)
    const fee = (job.amount * BigInt(this.dep.feeBps)) / 10_000n
    const payout = status === JobStatus.Succeeded ? job.amount - fee : 0n
    const refund = { token: this.stable, from: market, to: job.customer, amount: job.amount }
    const pay = { token: this.stable, from: market, to: job.provider, amount: payout }
    const data =
      status === JobStatus.Cancelled
        ? this.market.encodeFunctionData('cancelJob', [jobId])
        : this.market.encodeFunctionData('finishJob', [jobId, status])
    const sender = status === JobStatus.Cancelled ? job.customer : job.provider
    this.push(sender, market, data, {
      transfers: [status === JobStatus.Succeeded ? pay : refund],
      events: [{ name: 'JobFinished', jobId, provider: job.provider, amount: payout, status }],
    })
  }

  /** RewardPool.distribute: one mint of the reward token per operator. */
  distribute(day: number, operators: string[], amounts: bigint[]): void {
    const data = this.pool.encodeFunctionData('distribute', [day, operators, amounts])
    this.push(
      this.deployer,
      this.dep.addresses.rewardPool,
      data,
      {
        transfers: operators.map((to, i) => ({
          token: this.reward,
          from: null,
          to,
          amount: amounts[i] ?? 0n,
        })),
        events: [],
      },
      true,
      2_000_000,
    )
  }

  /** Sends the queued transactions, mines them into one block at `time`, checks the receipts. */
  async mine(time: number): Promise<number> {
    const queued = this.queue
    this.queue = []
    const hashes: string[] = []
    for (const tx of queued) {
      const params = { from: tx.from, to: tx.to, data: tx.data, gas: hex(tx.gas) }
      hashes.push(lower((await this.provider.send('eth_sendTransaction', [params])) as string))
    }
    const block = await advanceTo(this.provider, time)
    this.blockTimes.set(block, time)
    for (const [i, tx] of queued.entries()) {
      const txHash = hashes[i] ?? ''
      const receipt = (await this.provider.send('eth_getTransactionReceipt', [txHash])) as {
        blockNumber: string
        status: string
      }
      if (Number(receipt.blockNumber) !== block) throw new Error(`${txHash} landed in ${receipt.blockNumber}`)
      if ((receipt.status === '0x1') !== tx.succeeds)
        throw new Error(`${txHash}: unexpected status ${receipt.status}`)
      if (!tx.succeeds) this.failedTxs.push(txHash)
      for (const t of tx.expect.transfers) this.transfers.push({ ...t, txHash, block })
      for (const e of tx.expect.events) this.jobEvents.push({ ...e, txHash, block })
    }
    return block
  }

  /** Mines `blocks` empty blocks (anvil_mine); their times follow the timestamp interval. */
  async gap(blocks: number): Promise<number> {
    if (blocks > 0) await this.provider.send('anvil_mine', [hex(blocks)])
    return Number(await this.provider.send('eth_blockNumber', []))
  }

  private job(jobId: string): Job {
    const job = this.jobs.get(jobId)
    if (!job) throw new Error(`unknown job ${jobId}`)
    return job
  }

  private push(from: string, to: string, data: string, expect: Expect, succeeds = true, gas = 300_000): void {
    this.queue.push({ from, to: lower(to), data, gas, succeeds, expect })
  }
}

const NOTHING: Expect = { transfers: [], events: [] }

export interface ScenarioOptions {
  seed: number
  rounds: number
  /** First block time; round r is mined at start + r * 600. */
  startTime: number
  /** Largest run of empty blocks between rounds (the last `tailRounds` rounds have none). */
  maxGap?: number
  tailRounds?: number
}

/**
 * A few hundred movements: stablecoin and reward-token transfers between dev accounts, burns,
 * jobs posted/started/finished (all four statuses), daily reward distributions and a reverted
 * transfer now and then, in blocks separated by runs of empty blocks.
 */
export async function runScenario(activity: DevnetActivity, options: ScenarioOptions): Promise<number> {
  const rand = createPrng(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T
  const amount = (max: number) => BigInt(1 + Math.floor(rand() * max))
  const customers = [1, 2, 3, 4].map((i) => activity.account(i))
  const holders = [5, 6, 7, 8].map((i) => activity.account(i))
  const pauper = activity.account(9)
  const market = activity.dep.addresses.market
  const posted: string[] = []
  const running: string[] = []
  const statuses = [JobStatus.Succeeded, JobStatus.Failed, JobStatus.TimedOut, JobStatus.Succeeded]
  let jobs = 0
  let finished = 0
  let lastBlock: number

  await activity.automine(false)
  for (const c of customers) {
    activity.mint(activity.stable, c, 10n ** 12n)
    activity.approve(activity.stable, c, market, 2n ** 255n)
  }
  for (const h of holders) activity.mint(activity.reward, h, 10n ** 24n)
  lastBlock = await activity.mine(options.startTime)

  for (let round = 1; round <= options.rounds; round++) {
    for (let i = 0; i < 14; i++)
      activity.transfer(activity.stable, pick(customers), pick(holders), amount(5_000_000))
    for (let i = 0; i < 8; i++)
      activity.transfer(activity.reward, pick(holders), pick(customers), amount(10 ** 9) * 10n ** 9n)
    activity.burn(activity.reward, pick(holders), amount(1_000) * 10n ** 15n)
    if (round % 3 === 0) activity.failingTransfer(activity.stable, pauper, pick(holders), 1n)
    if (round % 4 === 1) {
      const operators = holders.slice(0, 2 + (round % 3))
      activity.distribute(
        20_000 + round,
        operators,
        operators.map(() => amount(1_000) * 10n ** 18n),
      )
    }
    for (const jobId of running.splice(0))
      activity.finishJob(jobId, statuses[finished++ % statuses.length] ?? 1)
    for (const [i, jobId] of posted.splice(0).entries()) {
      if (i === 2) activity.finishJob(jobId, JobStatus.Cancelled)
      else if (i === 1 && round % 2 === 0) activity.finishJob(jobId, JobStatus.Failed)
      else {
        activity.startJob(jobId)
        running.push(jobId)
      }
    }
    for (let i = 0; i < 3; i++) {
      const gpu = pick(['H100', 'A100', 'RTX 4090'])
      posted.push(
        activity.postJob(
          pick(customers),
          `job-${jobs++}`,
          pick(holders),
          amount(50_000_000),
          1 + (jobs % 8),
          gpu,
        ),
      )
    }
    lastBlock = await activity.mine(options.startTime + round * 600)
    const tail = round > options.rounds - (options.tailRounds ?? 3)
    if (!tail && round < options.rounds)
      lastBlock = await activity.gap(Math.floor(rand() * ((options.maxGap ?? 40) + 1)))
  }
  await activity.automine(true)
  return lastBlock
}

export interface TokenTotals {
  count: number
  sum: bigint
}

export function totalsByToken(rows: readonly { token: string; amount: bigint }[]): Map<string, TokenTotals> {
  const totals = new Map<string, TokenTotals>()
  for (const row of rows) {
    const t = totals.get(row.token) ?? { count: 0, sum: 0n }
    totals.set(row.token, { count: t.count + 1, sum: t.sum + row.amount })
  }
  return totals
}
