import { startSolanaRpcServer, type SolanaRpcServer } from '../solana/rpc-server.js'
import type { WorldConfig } from './config.js'
import type { ChainAction, World } from './model.js'
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
  /** Replays the transactions not yet on chain whose time is at or before `until`; returns how many. */
  advance(until: Date): Promise<number>
  stop(): Promise<void>
}

/**
 * Makes the world from its config, starts both devnets and replays every transaction up to
 * `until` (all of them by default), in time order per chain. The chains keep running; `advance`
 * replays more as (wall-clock) time reaches them, for the live demo.
 */
export async function startWorldChains(
  config: WorldConfig,
  onProgress: (p: WorldProgress) => void = () => {},
  until = new Date(8.64e15),
): Promise<WorldChains> {
  const { world, prices } = makeWorld(config)
  const evm = await startEvmWorld(world)
  const solana = new SolanaExecutor(world)
  const pending: Record<WorldProgress['chain'], ChainAction[]> = {
    arbitrum: world.actions.filter((a) => a.chain === 'arbitrum'),
    solana: world.actions.filter((a) => a.chain === 'solana'),
  }
  const totals = { arbitrum: pending.arbitrum.length, solana: pending.solana.length }
  const advance = async (to: Date): Promise<number> => {
    let executed = 0
    for (const chain of ['arbitrum', 'solana'] as const) {
      const queue = pending[chain]
      while (queue[0] && queue[0].time <= to) {
        const action = queue.shift() as ChainAction
        if (action.chain === 'arbitrum') await evm.executor.execute(action)
        else await solana.execute(action)
        executed++
        const done = totals[chain] - queue.length
        if (done % 250 === 0 || queue.length === 0) onProgress({ chain, done, total: totals[chain] })
      }
    }
    await evm.executor.verify()
    // Seal the open slot so what was just executed is visible at `confirmed`.
    if (executed > 0) solana.finish()
    return executed
  }
  await advance(until)
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
    advance,
    async stop() {
      await Promise.all([evm.anvil.stop(), solanaRpc.close()])
    },
  }
}
