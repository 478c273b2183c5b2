import type { WorldConfig } from './config.js'
import type { WorldNetworkId, WorldToken } from './networks.js'

/** What the world is made of and what it did. Wallets are labels; executors map them to addresses. */
export interface WorldNode {
  network: WorldNetworkId
  id: string
  operator: string
  listedModel: string
  actualModel: string
  gpuCount: number
  listedAt: Date
  /** Listed but never online. */
  ghost: boolean
  /** The node's agent signs its telemetry. */
  signs: boolean
  failRate: number
  outages: readonly (readonly [Date, Date])[]
}

export interface WorldCustomer {
  network: WorldNetworkId
  id: string
  arrival: Date
  churnAt: Date | null
}

export type WorldJobStatus = 'succeeded' | 'failed' | 'timed_out' | 'cancelled'

export interface WorldJob {
  network: WorldNetworkId
  id: string
  customer: string
  node: string
  gpuModel: string
  gpuCount: number
  submitted: Date
  started: Date | null
  ended: Date
  status: WorldJobStatus
  priceUsd: number
  /** Allocated but the GPU sat idle (utilisation near 0): shows up in compute utilisation. */
  idleRental: boolean
}

export type FlowKindTruth =
  'customer_payment' | 'provider_payout' | 'reward_emission' | 'burn' | 'fee' | 'stake' | 'other'

/** One movement of value as the world intended it: the ground truth for token flows. */
export interface TruthFlow {
  network: WorldNetworkId
  time: Date
  token: string
  raw: bigint
  kind: FlowKindTruth
  payer: string
  payee: string
  jobId: string
}

export interface TokenOp {
  op: 'mintTo' | 'transfer' | 'burn'
  token: string
  from: string
  to: string
  raw: bigint
}

/** One Solana transaction: SPL Token instructions signed by the wallets that move tokens. */
export interface SolanaAction {
  chain: 'solana'
  time: Date
  network: WorldNetworkId
  ops: TokenOp[]
  memo: string | null
  flows: TruthFlow[]
  /** Who signs a transaction that moves no token (a memo-only job event). */
  signer?: string
}

export type EvmCall =
  | { fn: 'mintStable'; to: string; raw: bigint }
  | {
      fn: 'postJob'
      jobId: string
      customer: string
      provider: string
      raw: bigint
      gpuCount: number
      gpuModel: string
    }
  | { fn: 'startJob'; jobId: string; provider: string }
  | { fn: 'finishJob'; jobId: string; provider: string; status: 1 | 2 | 3 }
  | { fn: 'cancelJob'; jobId: string; customer: string }
  | { fn: 'distribute'; day: number; operators: string[]; amounts: bigint[] }

export interface EvmAction {
  chain: 'arbitrum'
  time: Date
  network: WorldNetworkId
  call: EvmCall
  flows: TruthFlow[]
}

export type ChainAction = SolanaAction | EvmAction

export interface PricePoint {
  token: string
  time: Date
  usd: number
}

export interface World {
  config: WorldConfig
  tokens: readonly WorldToken[]
  prices: PricePoint[]
  nodes: WorldNode[]
  customers: WorldCustomer[]
  jobs: WorldJob[]
  actions: ChainAction[]
}
