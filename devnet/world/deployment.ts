import type { Deployment } from '../../ingest/networks/deployment.js'
import type { Network } from '../../ingest/networks/schema.js'
import type { DevnetDeployment } from '../evm/deploy.js'
import { WORLD_TOKENS } from './networks.js'
import { WALLETS } from './settlement.js'

export interface SolanaAddresses {
  /** World wallet label → Solana address. */
  wallet: (label: string) => string
  mints: ReadonlyMap<string, string>
}

const decimals = (symbol: string): number => WORLD_TOKENS.find((t) => t.symbol === symbol)?.decimals ?? 0

const explorers = {}
const rulesOf = (catalog: readonly Network[], id: string) =>
  catalog.find((n) => n.id === id)?.classification ?? []

/** The catalog's Solana-settled networks as the devnet world deploys them: same rules, devnet addresses. */
export function solanaDeployments(catalog: readonly Network[], at: SolanaAddresses): Deployment[] {
  const rules = (id: string) => rulesOf(catalog, id)
  const mint = (symbol: string): string => {
    const address = at.mints.get(symbol)
    if (!address) throw new Error(`no devnet mint for ${symbol}`)
    return address
  }
  const spl = (symbol: string, shared = false) => ({
    symbol,
    chain: 'solana',
    address: mint(symbol),
    decimals: decimals(symbol),
    shared,
  })
  const account = (role: Deployment['accounts'][number]['role'], label: string) => ({
    chain: 'solana',
    role,
    address: at.wallet(label),
  })
  return [
    {
      network: 'render',
      tokens: [spl('RENDER')],
      accounts: [account('treasury', WALLETS.renderTreasury), account('fee_wallet', WALLETS.renderFees)],
      rules: rules('render'),
      explorers,
    },
    {
      network: 'ionet',
      tokens: [spl('IO'), spl('USDC', true)],
      accounts: [
        account('treasury', WALLETS.ionetTreasury),
        account('escrow', WALLETS.ionetEscrow),
        account('fee_wallet', WALLETS.ionetFees),
      ],
      rules: rules('ionet'),
      explorers,
    },
    {
      network: 'nosana',
      tokens: [spl('NOS')],
      accounts: [
        account('treasury', WALLETS.nosanaTreasury),
        account('escrow', WALLETS.nosanaVault),
        account('reward_pool', WALLETS.nosanaRewards),
      ],
      rules: rules('nosana'),
      explorers,
    },
  ]
}

/**
 * The Aethir-like network on the EVM devnet. Its market settles in a stablecoin on chain, so the
 * devnet adds the job-payment rules for that token to the catalog's.
 */
export function evmDeployments(catalog: readonly Network[], deployment: DevnetDeployment): Deployment[] {
  const rules = (id: string) => rulesOf(catalog, id)
  const evm = deployment.addresses
  return [
    {
      network: 'aethir',
      tokens: [
        { symbol: 'ATHARB', chain: 'arbitrum', address: evm.rewardToken, decimals: 18, shared: false },
        { symbol: 'USDCARB', chain: 'arbitrum', address: evm.stablecoin, decimals: 6, shared: true },
      ],
      accounts: [
        { chain: 'arbitrum', role: 'market', address: evm.market },
        { chain: 'arbitrum', role: 'reward_pool', address: evm.rewardPool },
      ],
      rules: [
        ...rules('aethir'),
        {
          token: 'USDCARB',
          movement: 'job_payment',
          from: 'any',
          to: 'any',
          kind: 'customer_payment',
          note: 'job paid into the market',
        },
        {
          token: 'USDCARB',
          movement: 'job_payout',
          from: 'any',
          to: 'any',
          kind: 'provider_payout',
          note: 'market pays the host',
        },
        {
          token: 'USDCARB',
          movement: 'job_refund',
          from: 'any',
          to: 'any',
          kind: 'other',
          note: 'refund to the customer',
        },
      ],
      explorers,
    },
  ]
}
