import type { Network } from '../../ingest/networks/schema.js'
import type { IngestPlan } from '../../ingest/plan.js'
import { evmDeployments, solanaDeployments } from './deployment.js'
import { priceRows } from './publish.js'
import type { WorldChains } from './run.js'
import { WALLETS } from './settlement.js'

/**
 * How to index the world's devnets, as an ingest plan: the deployments, an EVM source on the
 * Aethir-like tokens and market, a Solana source on the mints and on the escrow wallets (whose
 * memo-only transactions carry job events), and the world's price feed.
 */
export function worldIngestPlan(
  chains: WorldChains,
  catalog: readonly Network[],
  prefix = 'world',
): IngestPlan {
  const solanaAt = { wallet: (label: string) => chains.solana.address(label), mints: chains.solana.mints }
  const { addresses, abis, fromBlock } = chains.evm.deployment
  return {
    deployments: [...solanaDeployments(catalog, solanaAt), ...evmDeployments(catalog, chains.evm.deployment)],
    sources: [
      {
        kind: 'evm',
        sourceId: `${prefix}-arbitrum`,
        chain: 'arbitrum',
        rpcUrl: chains.evm.anvil.rpcUrl,
        tokens: [addresses.rewardToken, addresses.stablecoin],
        market: { address: addresses.market, abi: abis.market },
        startBlock: fromBlock,
        finalityDepth: 0,
      },
      {
        kind: 'solana',
        sourceId: `${prefix}-solana`,
        rpcUrl: chains.solanaRpc.url,
        addresses: [
          ...chains.solana.mints.values(),
          chains.solana.address(WALLETS.ionetEscrow),
          chains.solana.address(WALLETS.nosanaVault),
        ],
      },
    ],
    prices: priceRows(chains.world, chains.tokenAddresses),
  }
}
