import type { PlumbConfig } from './config.js'
import { mainnetDeployment } from './networks/deployment.js'
import type { Network } from './networks/schema.js'
import type { IngestPlan, SourceSpec } from './plan.js'

type RpcConfig = Pick<
  PlumbConfig,
  'SOLANA_RPC_URL' | 'ETHEREUM_RPC_URL' | 'ARBITRUM_RPC_URL' | 'PLUMB_PRICE_URL'
>

const EVM_RPC: Record<string, keyof RpcConfig> = {
  ethereum: 'ETHEREUM_RPC_URL',
  arbitrum: 'ARBITRUM_RPC_URL',
}

/** Blocks an EVM chain may still reorganise (Ethereum's ~2 epochs; Arbitrum follows L1 batches). */
const FINALITY_DEPTH: Record<string, number> = { ethereum: 64, arbitrum: 1_200 }

export class MainnetPlanError extends Error {}

/**
 * A plan for one network on mainnet: its published tokens and accounts from the catalog, one
 * source per chain with an RPC endpoint configured. `from` is where a first run starts.
 */
export function mainnetPlan(network: Network, rpc: RpcConfig, from: number | undefined): IngestPlan {
  const deployment = mainnetDeployment(network)
  const sources: SourceSpec[] = []
  const solana = [
    ...deployment.tokens.filter((t) => t.chain === 'solana').map((t) => t.address),
    ...deployment.accounts.filter((a) => a.chain === 'solana').map((a) => a.address),
  ]
  if (solana.length > 0 && rpc.SOLANA_RPC_URL) {
    sources.push({
      kind: 'solana',
      sourceId: `${network.id}-solana`,
      rpcUrl: rpc.SOLANA_RPC_URL,
      addresses: solana,
      ...(from === undefined ? {} : { startSlot: from }),
    })
  }
  for (const chain of ['ethereum', 'arbitrum']) {
    const tokens = deployment.tokens.filter((t) => t.chain === chain).map((t) => t.address)
    const key = EVM_RPC[chain]
    const url = key ? rpc[key] : undefined
    if (tokens.length === 0 || !url) continue
    sources.push({
      kind: 'evm',
      sourceId: `${network.id}-${chain}`,
      chain,
      rpcUrl: url,
      tokens,
      startBlock: from ?? 0,
      finalityDepth: FINALITY_DEPTH[chain] ?? 64,
    })
  }
  if (sources.length === 0) {
    const chains = network.chains.join(', ')
    throw new MainnetPlanError(
      `${network.id}: no source to run: set an RPC endpoint for one of its chains (${chains}): ` +
        'SOLANA_RPC_URL, ETHEREUM_RPC_URL or ARBITRUM_RPC_URL',
    )
  }
  return {
    deployments: [deployment],
    sources,
    ...(rpc.PLUMB_PRICE_URL ? { priceUrl: rpc.PLUMB_PRICE_URL } : {}),
  }
}
