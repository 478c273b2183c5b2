import { DAY_S, HOUR_S, type WorldConfig } from './config.js'
import type {
  ChainAction,
  EvmAction,
  SolanaAction,
  TokenOp,
  TruthFlow,
  World,
  WorldCustomer,
  WorldJob,
  WorldNode,
} from './model.js'
import { WORLD_TOKENS, type WorldNetworkId } from './networks.js'
import { isUp } from './population.js'
import { toRaw, type PricePath } from './prices.js'

/** Wallet labels of the protocol accounts each network's catalog gives a role. */
export const WALLETS = {
  renderTreasury: 'render-treasury',
  renderFees: 'render-fee-wallet',
  ionetTreasury: 'ionet-treasury',
  ionetEscrow: 'ionet-escrow',
  ionetFees: 'ionet-fee-wallet',
  nosanaTreasury: 'nosana-treasury',
  nosanaVault: 'nosana-job-vault',
  nosanaRewards: 'nosana-reward-pool',
  aethirMarket: 'aethir-market',
} as const

const decimals = (symbol: string): number => {
  const token = WORLD_TOKENS.find((t) => t.symbol === symbol)
  if (!token) throw new Error(`unknown token ${symbol}`)
  return token.decimals
}

/** Emissions at the mainnet rates, scaled to the world's size (a few dozen nodes, not thousands). */
const WORLD_SHARE = 1 / 1000
const RENDER_WEEKLY = (9_126_804 / 52) * WORLD_SHARE
const IO_HOURLY = 7_306 * WORLD_SHARE
const ATH_DAILY = 2_870_000 * WORLD_SHARE
const NOS_WEEKLY = 2_000_000 * WORLD_SHARE
const CHUNK = 6

class ActionLog {
  readonly actions: ChainAction[] = []

  solana(
    network: WorldNetworkId,
    time: Date,
    ops: TokenOp[],
    memo: string | null,
    flows: Omit<TruthFlow, 'network' | 'time'>[],
    signer?: string,
  ) {
    const action: SolanaAction = {
      chain: 'solana',
      time,
      network,
      ops,
      memo,
      flows: flows.map((f) => ({ ...f, network, time })),
      ...(signer ? { signer } : {}),
    }
    this.actions.push(action)
  }

  evm(
    network: WorldNetworkId,
    time: Date,
    call: EvmAction['call'],
    flows: Omit<TruthFlow, 'network' | 'time'>[],
  ) {
    this.actions.push({
      chain: 'arbitrum',
      time,
      network,
      call,
      flows: flows.map((f) => ({ ...f, network, time })),
    })
  }
}

const flow = (
  token: string,
  raw: bigint,
  kind: TruthFlow['kind'],
  payer: string,
  payee: string,
  jobId = '',
) => ({
  token,
  raw,
  kind,
  payer,
  payee,
  jobId,
})

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Splits `total` units equally (in raw units, remainder to the first) among recipients. */
function split(total: number, token: string, recipients: readonly string[]): [string, bigint][] {
  const raw = toRaw(total, decimals(token))
  const n = BigInt(recipients.length)
  const each = raw / n
  return recipients.map((r, i) => [r, i === 0 ? each + (raw - each * n) : each])
}

function upOperators(nodes: readonly WorldNode[], time: Date): string[] {
  return [...new Set(nodes.filter((n) => isUp(n, time)).map((n) => n.operator))]
}

const at = (config: WorldConfig, seconds: number) => new Date(config.start.getTime() + seconds * 1000)

/** Funds each customer from the treasury on arrival with what its jobs will cost, plus a margin. */
function fundCustomers(
  log: ActionLog,
  network: WorldNetworkId,
  token: string,
  treasury: string,
  customers: readonly WorldCustomer[],
  cost: Map<string, bigint>,
): bigint {
  let total = 0n
  for (const c of customers) {
    const raw = ((cost.get(c.id) ?? 0n) * 11n) / 10n + toRaw(1, decimals(token))
    total += raw
    log.solana(network, c.arrival, [{ op: 'transfer', token, from: treasury, to: c.id, raw }], null, [
      flow(token, raw, 'other', treasury, c.id),
    ])
  }
  return total
}

function genesis(
  log: ActionLog,
  config: WorldConfig,
  network: WorldNetworkId,
  token: string,
  treasury: string,
  raw: bigint,
) {
  log.solana(network, config.start, [{ op: 'mintTo', token, from: '', to: treasury, raw }], null, [
    flow(token, raw, 'other', '', treasury),
  ])
}

function settleRender(
  log: ActionLog,
  w: Pick<World, 'config' | 'nodes' | 'customers' | 'jobs'>,
  prices: PricePath,
) {
  const nodes = w.nodes.filter((n) => n.network === 'render')
  const node = new Map(nodes.map((n) => [n.id, n]))
  const cost = new Map<string, bigint>()
  for (const job of w.jobs.filter((j) => j.network === 'render')) {
    const raw = toRaw(job.priceUsd / prices.at('RENDER', job.ended), 8)
    const fee = (raw * 5n) / 100n
    cost.set(job.customer, (cost.get(job.customer) ?? 0n) + raw)
    const operator = node.get(job.node)?.operator ?? ''
    log.solana(
      'render',
      job.ended,
      [
        { op: 'transfer', token: 'RENDER', from: job.customer, to: WALLETS.renderFees, raw: fee },
        { op: 'burn', token: 'RENDER', from: job.customer, to: '', raw: raw - fee },
      ],
      `render:job:${job.id}:${operator}`,
      [
        flow('RENDER', fee, 'fee', job.customer, WALLETS.renderFees, job.id),
        flow('RENDER', raw - fee, 'burn', job.customer, '', job.id),
      ],
    )
  }
  const customers = w.customers.filter((c) => c.network === 'render')
  genesis(log, w.config, 'render', 'RENDER', WALLETS.renderTreasury, 0n)
  const funded = fundCustomers(log, 'render', 'RENDER', WALLETS.renderTreasury, customers, cost)
  patchGenesis(log, 'render', funded)
  for (let week = 0; week * 7 < w.config.days; week++) {
    const time = at(w.config, week * 7 * DAY_S + 60)
    const operators = upOperators(nodes, time)
    if (operators.length === 0) continue
    for (const group of chunks(split(RENDER_WEEKLY, 'RENDER', operators), CHUNK)) {
      log.solana(
        'render',
        time,
        group.map(([to, raw]) => ({ op: 'mintTo', token: 'RENDER', from: '', to, raw })),
        null,
        group.map(([to, raw]) => flow('RENDER', raw, 'reward_emission', '', to)),
      )
    }
  }
}

/** The genesis mint is written before its size is known; set it to what the treasury hands out. */
function patchGenesis(log: ActionLog, network: WorldNetworkId, raw: bigint) {
  const action = log.actions.find(
    (a): a is SolanaAction =>
      a.chain === 'solana' && a.network === network && a.ops[0]?.op === 'mintTo' && a.ops[0].raw === 0n,
  )
  if (!action || !action.ops[0] || !action.flows[0]) throw new Error(`no genesis mint for ${network}`)
  action.ops[0].raw = raw
  action.flows[0].raw = raw
}

function settleIonet(
  log: ActionLog,
  w: Pick<World, 'config' | 'nodes' | 'customers' | 'jobs'>,
  prices: PricePath,
) {
  const nodes = w.nodes.filter((n) => n.network === 'ionet')
  const node = new Map(nodes.map((n) => [n.id, n]))
  const cost = new Map<string, bigint>()
  const weeklyFees = new Map<number, number>()
  for (const job of w.jobs.filter((j) => j.network === 'ionet')) {
    const raw = toRaw(job.priceUsd, 6)
    cost.set(job.customer, (cost.get(job.customer) ?? 0n) + raw)
    log.solana(
      'ionet',
      job.submitted,
      [{ op: 'transfer', token: 'USDC', from: job.customer, to: WALLETS.ionetEscrow, raw }],
      `ionet:booking:${job.id}`,
      [flow('USDC', raw, 'customer_payment', job.customer, WALLETS.ionetEscrow, job.id)],
    )
    const fee = (raw * 2n) / 100n
    const operator = node.get(job.node)?.operator ?? ''
    log.solana(
      'ionet',
      job.ended,
      [
        { op: 'transfer', token: 'USDC', from: WALLETS.ionetEscrow, to: operator, raw: raw - fee },
        { op: 'transfer', token: 'USDC', from: WALLETS.ionetEscrow, to: WALLETS.ionetFees, raw: fee },
      ],
      `ionet:settle:${job.id}`,
      [
        flow('USDC', raw - fee, 'provider_payout', WALLETS.ionetEscrow, operator, job.id),
        flow('USDC', fee, 'fee', WALLETS.ionetEscrow, WALLETS.ionetFees, job.id),
      ],
    )
    const week = Math.floor((job.ended.getTime() - w.config.start.getTime()) / 1000 / (7 * DAY_S))
    weeklyFees.set(week, (weeklyFees.get(week) ?? 0) + Number(fee) / 1e6)
  }
  genesis(log, w.config, 'ionet', 'USDC', WALLETS.ionetTreasury, 0n)
  patchGenesis(
    log,
    'ionet',
    fundCustomers(
      log,
      'ionet',
      'USDC',
      WALLETS.ionetTreasury,
      w.customers.filter((c) => c.network === 'ionet'),
      cost,
    ),
  )
  let buybackTotal = 0n
  const buybacks: [Date, bigint][] = []
  for (const [week, feesUsd] of [...weeklyFees].sort(([a], [b]) => a - b)) {
    const time = at(w.config, week * 7 * DAY_S + 6 * DAY_S + 12 * HOUR_S)
    if (time.getTime() >= at(w.config, w.config.days * DAY_S).getTime()) continue
    const raw = toRaw((feesUsd * 0.5) / prices.at('IO', time), 8)
    if (raw === 0n) continue
    buybackTotal += raw
    buybacks.push([time, raw])
  }
  // The treasury's IO for buy-backs: bought on the market before the world starts.
  log.solana(
    'ionet',
    w.config.start,
    [{ op: 'mintTo', token: 'IO', from: '', to: WALLETS.ionetTreasury, raw: buybackTotal + 1n }],
    null,
    [flow('IO', buybackTotal + 1n, 'other', '', WALLETS.ionetTreasury)],
  )
  for (const [time, raw] of buybacks) {
    log.solana(
      'ionet',
      time,
      [{ op: 'burn', token: 'IO', from: WALLETS.ionetTreasury, to: '', raw }],
      'ionet:buyback',
      [flow('IO', raw, 'burn', WALLETS.ionetTreasury, '')],
    )
  }
  for (let hour = 0; hour < w.config.days * 24; hour++) {
    const time = at(w.config, hour * HOUR_S + 30)
    const operators = upOperators(nodes, time)
    if (operators.length === 0) continue
    for (const group of chunks(split(IO_HOURLY, 'IO', operators), CHUNK)) {
      log.solana(
        'ionet',
        time,
        group.map(([to, raw]) => ({ op: 'mintTo', token: 'IO', from: '', to, raw })),
        null,
        group.map(([to, raw]) => flow('IO', raw, 'reward_emission', '', to)),
      )
    }
  }
}

function settleNosana(
  log: ActionLog,
  w: Pick<World, 'config' | 'nodes' | 'customers' | 'jobs'>,
  prices: PricePath,
) {
  const nodes = w.nodes.filter((n) => n.network === 'nosana')
  const node = new Map(nodes.map((n) => [n.id, n]))
  const cost = new Map<string, bigint>()
  for (const job of w.jobs.filter((j) => j.network === 'nosana')) {
    const raw = toRaw(job.priceUsd / prices.at('NOS', job.submitted), 6)
    cost.set(job.customer, (cost.get(job.customer) ?? 0n) + raw)
    const operator = node.get(job.node)?.operator ?? ''
    const model = `${job.gpuModel}:${job.gpuCount}:${job.node}`
    log.solana(
      'nosana',
      job.submitted,
      [{ op: 'transfer', token: 'NOS', from: job.customer, to: WALLETS.nosanaVault, raw }],
      `nosana:post:${job.id}:${model}`,
      [flow('NOS', raw, 'customer_payment', job.customer, WALLETS.nosanaVault, job.id)],
    )
    // The job vault's authority records the start, as the Jobs program would.
    if (job.started)
      log.solana('nosana', job.started, [], `nosana:start:${job.id}:${job.node}`, [], WALLETS.nosanaVault)
    const paid = job.status === 'succeeded'
    const to = paid ? operator : job.customer
    log.solana(
      'nosana',
      job.ended,
      [{ op: 'transfer', token: 'NOS', from: WALLETS.nosanaVault, to, raw }],
      `nosana:finish:${job.id}:${job.status}`,
      [flow('NOS', raw, paid ? 'provider_payout' : 'other', WALLETS.nosanaVault, to, job.id)],
    )
  }
  const weekly: { time: Date; group: [string, bigint][] }[] = []
  let rewardsTotal = 0n
  for (let week = 0; week * 7 < w.config.days; week++) {
    const time = at(w.config, week * 7 * DAY_S + 7 * DAY_S - HOUR_S)
    if (time.getTime() >= at(w.config, w.config.days * DAY_S).getTime()) continue
    const operators = upOperators(nodes, time)
    if (operators.length === 0) continue
    for (const group of chunks(split(NOS_WEEKLY, 'NOS', operators), CHUNK)) {
      weekly.push({ time, group })
      rewardsTotal += group.reduce((s, [, raw]) => s + raw, 0n)
    }
  }
  genesis(log, w.config, 'nosana', 'NOS', WALLETS.nosanaTreasury, 0n)
  const funded = fundCustomers(
    log,
    'nosana',
    'NOS',
    WALLETS.nosanaTreasury,
    w.customers.filter((c) => c.network === 'nosana'),
    cost,
  )
  patchGenesis(log, 'nosana', funded + rewardsTotal)
  log.solana(
    'nosana',
    w.config.start,
    [
      {
        op: 'transfer',
        token: 'NOS',
        from: WALLETS.nosanaTreasury,
        to: WALLETS.nosanaRewards,
        raw: rewardsTotal,
      },
    ],
    null,
    [flow('NOS', rewardsTotal, 'other', WALLETS.nosanaTreasury, WALLETS.nosanaRewards)],
  )
  for (const { time, group } of weekly) {
    log.solana(
      'nosana',
      time,
      group.map(([to, raw]) => ({ op: 'transfer', token: 'NOS', from: WALLETS.nosanaRewards, to, raw })),
      'nosana:rewards',
      group.map(([to, raw]) => flow('NOS', raw, 'reward_emission', WALLETS.nosanaRewards, to)),
    )
  }
}

function settleAethir(log: ActionLog, w: Pick<World, 'config' | 'nodes' | 'customers' | 'jobs'>) {
  const nodes = w.nodes.filter((n) => n.network === 'aethir')
  const node = new Map(nodes.map((n) => [n.id, n]))
  const cost = new Map<string, bigint>()
  const jobs = w.jobs.filter((j) => j.network === 'aethir')
  for (const job of jobs) cost.set(job.customer, (cost.get(job.customer) ?? 0n) + toRaw(job.priceUsd, 6))
  for (const c of w.customers.filter((x) => x.network === 'aethir')) {
    const raw = ((cost.get(c.id) ?? 0n) * 11n) / 10n + 1_000_000n
    // A stablecoin minted to a customer touches none of the network's accounts: not its flow.
    log.evm('aethir', c.arrival, { fn: 'mintStable', to: c.id, raw }, [])
  }
  for (const job of jobs) {
    const raw = toRaw(job.priceUsd, 6)
    const provider = node.get(job.node)?.operator ?? ''
    const post = {
      fn: 'postJob',
      jobId: job.id,
      customer: job.customer,
      provider,
      raw,
      gpuCount: job.gpuCount,
      gpuModel: job.gpuModel,
    } as const
    log.evm('aethir', job.submitted, post, [
      flow('USDCARB', raw, 'customer_payment', job.customer, WALLETS.aethirMarket, job.id),
    ])
    if (job.status === 'cancelled') {
      log.evm('aethir', job.ended, { fn: 'cancelJob', jobId: job.id, customer: job.customer }, [
        flow('USDCARB', raw, 'other', WALLETS.aethirMarket, job.customer, job.id),
      ])
      continue
    }
    if (job.started) log.evm('aethir', job.started, { fn: 'startJob', jobId: job.id, provider }, [])
    const status = job.status === 'succeeded' ? 1 : job.status === 'failed' ? 2 : 3
    const payout = raw - (raw * 500n) / 10_000n
    log.evm(
      'aethir',
      job.ended,
      { fn: 'finishJob', jobId: job.id, provider, status },
      status === 1
        ? [flow('USDCARB', payout, 'provider_payout', WALLETS.aethirMarket, provider, job.id)]
        : [flow('USDCARB', raw, 'other', WALLETS.aethirMarket, job.customer, job.id)],
    )
  }
  for (let day = 0; day < w.config.days; day++) {
    const time = at(w.config, day * DAY_S + 600)
    const operators = upOperators(nodes, time)
    if (operators.length === 0) continue
    const shares = split(ATH_DAILY, 'ATHARB', operators)
    log.evm(
      'aethir',
      time,
      { fn: 'distribute', day, operators: shares.map(([o]) => o), amounts: shares.map(([, raw]) => raw) },
      shares.map(([to, raw]) => flow('ATHARB', raw, 'reward_emission', '', to)),
    )
  }
}

/**
 * Turns the world's jobs and schedules into chain transactions, each carrying the flows it is
 * meant to produce. EVM transactions get strictly increasing whole-second times (one block each);
 * jobs are updated to the times their settlements really carry.
 */
export function settle(
  w: Pick<World, 'config' | 'nodes' | 'customers' | 'jobs'>,
  prices: PricePath,
): ChainAction[] {
  const log = new ActionLog()
  settleRender(log, w, prices)
  settleIonet(log, w, prices)
  settleNosana(log, w, prices)
  settleAethir(log, w)
  const actions = log.actions.sort((a, b) => a.time.getTime() - b.time.getTime())
  let lastEvm = 0
  for (const action of actions) {
    if (action.chain !== 'arbitrum') continue
    const t = Math.max(action.time.getTime(), lastEvm + 1000)
    if (t !== action.time.getTime()) retime(action, new Date(t), w.jobs)
    lastEvm = t
  }
  return actions
}

function retime(action: EvmAction, time: Date, jobs: WorldJob[]) {
  action.time = time
  for (const f of action.flows) f.time = time
  const call = action.call
  if (call.fn !== 'startJob' && call.fn !== 'finishJob' && call.fn !== 'cancelJob' && call.fn !== 'postJob')
    return
  const job = jobs.find((j) => j.id === call.jobId)
  if (!job) return
  if (call.fn === 'postJob') job.submitted = time
  else if (call.fn === 'startJob') job.started = time
  else job.ended = time
}
