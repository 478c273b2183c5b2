import type { KeyType } from '../../ingest/telemetry/batch.js'
/** How each simulated network behaves (NETWORKS.md mechanics, scaled down). */
export type WorldNetworkId = 'render' | 'ionet' | 'aethir' | 'nosana' | 'akash'

export interface WorldToken {
  symbol: string
  chain: 'solana' | 'arbitrum'
  decimals: number
  /** Price at world start, USD; stablecoins stay at 1. */
  startUsd: number
  stable: boolean
}

export const WORLD_TOKENS: readonly WorldToken[] = [
  { symbol: 'RENDER', chain: 'solana', decimals: 8, startUsd: 7.2, stable: false },
  { symbol: 'IO', chain: 'solana', decimals: 8, startUsd: 2.1, stable: false },
  { symbol: 'NOS', chain: 'solana', decimals: 6, startUsd: 1.15, stable: false },
  { symbol: 'USDC', chain: 'solana', decimals: 6, startUsd: 1, stable: true },
  { symbol: 'ATHARB', chain: 'arbitrum', decimals: 18, startUsd: 0.052, stable: false },
  { symbol: 'USDCARB', chain: 'arbitrum', decimals: 6, startUsd: 1, stable: true },
]

export interface WorldNetworkSpec {
  id: WorldNetworkId
  /** Nodes at scale 1. */
  nodes: number
  gpuMix: readonly (readonly [string, number])[]
  /** Share of nodes that list a better GPU than they run. */
  liarRate: number
  /** Share of listed nodes that never come online. */
  ghostRate: number
  /** Share of online nodes whose agent signs telemetry (the rest only report). */
  signedRate: number
  /** The operators' key: a Solana keypair (ed25519) or an EVM key (secp256k1), as on the network's chain. */
  agentKey: KeyType
  newCustomersPerDay: number
  churnPerDay: number
  jobsPerCustomerDay: number
}

export const WORLD_NETWORKS: readonly WorldNetworkSpec[] = [
  {
    id: 'render',
    nodes: 14,
    gpuMix: [
      ['rtx-4090', 5],
      ['rtx-3090', 3],
      ['a100-sxm-80gb', 1],
    ],
    liarRate: 0.05,
    ghostRate: 0.1,
    signedRate: 0.8,
    agentKey: 'ed25519',
    newCustomersPerDay: 0.9,
    churnPerDay: 0.02,
    jobsPerCustomerDay: 0.9,
  },
  {
    id: 'ionet',
    nodes: 18,
    gpuMix: [
      ['h100-sxm-80gb', 2],
      ['a100-sxm-80gb', 2],
      ['rtx-4090', 4],
      ['rtx-3090', 3],
    ],
    liarRate: 0.2,
    ghostRate: 0.3,
    signedRate: 0.6,
    agentKey: 'ed25519',
    newCustomersPerDay: 1.2,
    churnPerDay: 0.04,
    jobsPerCustomerDay: 0.7,
  },
  {
    id: 'aethir',
    nodes: 10,
    gpuMix: [
      ['h100-sxm-80gb', 3],
      ['l40s-48gb', 2],
      ['rtx-4090', 1],
    ],
    liarRate: 0.1,
    ghostRate: 0.1,
    signedRate: 0.7,
    agentKey: 'secp256k1',
    newCustomersPerDay: 0.5,
    churnPerDay: 0.015,
    jobsPerCustomerDay: 0.8,
  },
  {
    id: 'nosana',
    nodes: 12,
    gpuMix: [
      ['rtx-4090', 3],
      ['rtx-3090', 4],
      ['l40s-48gb', 1],
    ],
    liarRate: 0.08,
    ghostRate: 0.15,
    signedRate: 0.9,
    agentKey: 'ed25519',
    newCustomersPerDay: 1,
    churnPerDay: 0.03,
    jobsPerCustomerDay: 1.1,
  },
  {
    id: 'akash',
    nodes: 10,
    gpuMix: [
      ['h100-sxm-80gb', 1],
      ['a100-sxm-80gb', 2],
      ['rtx-4090', 2],
    ],
    liarRate: 0.1,
    ghostRate: 0.2,
    signedRate: 0.5,
    agentKey: 'ed25519',
    newCustomersPerDay: 0.6,
    churnPerDay: 0.02,
    jobsPerCustomerDay: 0.6,
  },
]
