import { startSolanaRpcServer, type SolanaRpcServer } from '../solana/rpc-server.js'
import type { WorldConfig } from './config.js'
import type { World } from './model.js'
import { makeWorld } from './plan.js'
import type { PricePath } from './prices.js'
import { startEvmWorld, type EvmWorldChain } from './run-evm.js'
import { SolanaExecutor } from './solana-executor.js'

export interface WorldProgress {
  chain: 'arbitrum' | 'solana'
  done: number
  total: number
}

export interface WorldChains {
  world: World
  prices: PricePath
  evm: EvmWorldChain
  solana: SolanaExecutor
  solanaRpc: SolanaRpcServer
  /** Token symbol → devnet address (mint or contract), as flows and prices are keyed. */
  tokenAddresses: Map<string, string>
  stop(): Promise<void>
}

/**
 * Makes the world from its config, starts both devnets and replays every transaction on them,
 * in time order per chain. Returns the chains, still running, with their RPC endpoints.
 */
export async function startWorldChains(
  config: WorldConfig,
  onProgress: (p: WorldProgress) => void = () => {},
): Promise<WorldChains> {
  const { world, prices } = makeWorld(config)
  const evm = await startEvmWorld(world)
  const solana = new SolanaExecutor(world)
  for (const chain of ['arbitrum', 'solana'] as const) {
    const actions = world.actions.filter((a) => a.chain === chain)
    let done = 0
    for (const action of actions) {
      if (action.chain === 'arbitrum') await evm.executor.execute(action)
      else await solana.execute(action)
      if (++done % 250 === 0 || done === actions.length) onProgress({ chain, done, total: actions.length })
    }
  }
  solana.finish()
  const solanaRpc = await startSolanaRpcServer(solana.ledger)
  const { rewardToken, stablecoin } = evm.deployment.addresses
  const tokenAddresses = new Map<string, string>([
    ...solana.mints,
    ['ATHARB', rewardToken],
    ['USDCARB', stablecoin],
  ])
  return {
    world,
    prices,
    evm,
    solana,
    solanaRpc,
    tokenAddresses,
    async stop() {
      await Promise.all([evm.anvil.stop(), solanaRpc.close()])
    },
  }
}
