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
 * `meanwhile` runs once the first Solana replay is done, while anvil is likely still mining: work
 * that needs only the world (its ground truth) then costs no wall time of its own.
 */
export async function startWorldChains(
  config: WorldConfig,
  onProgress: (p: WorldProgress) => void = () => {},
  until = new Date(8.64e15),
  meanwhile: (world: World, prices: PricePath) => void = () => {},
): Promise<WorldChains> {
  const { world, prices } = makeWorld(config)
  const evm = await startEvmWorld(world)
  const solana = new SolanaExecutor(world)
  const pending: Record<WorldProgress['chain'], ChainAction[]> = {
    arbitrum: world.actions.filter((a) => a.chain === 'arbitrum'),
    solana: world.actions.filter((a) => a.chain === 'solana'),
  }
  const totals = { arbitrum: pending.arbitrum.length, solana: pending.solana.length }
  const done = { arbitrum: 0, solana: 0 }
  const progressed = (chain: WorldProgress['chain']) => {
    done[chain]++
    if (done[chain] % 250 === 0 || done[chain] === totals[chain])
      onProgress({ chain, done: done[chain], total: totals[chain] })
  }
  const due = (chain: WorldProgress['chain'], to: Date): ChainAction[] => {
    const queue = pending[chain]
    let n = 0
    while (n < queue.length && (queue[n]?.time ?? to) <= to) n++
    return queue.splice(0, n)
  }
  // anvil mines in its own process while this one runs the Solana ledger: both chains at once.
  const replayEvm = async (actions: ChainAction[]) => {
    for (const action of actions)
      if (action.chain === 'arbitrum') await evm.executor.execute(action, () => progressed('arbitrum'))
    await evm.executor.verify()
  }
  const replaySolana = async (actions: ChainAction[]) => {
    for (const action of actions) {
      if (action.chain !== 'solana') continue
      await solana.execute(action)
      progressed('solana')
    }
  }
  const replay = async (to: Date, thenOnSolana: () => void): Promise<number> => {
    const evmActions = due('arbitrum', to)
    const solanaActions = due('solana', to)
    const replays = await Promise.allSettled([
      replayEvm(evmActions),
      replaySolana(solanaActions).then(thenOnSolana),
    ])
    for (const replay of replays) if (replay.status === 'rejected') throw replay.reason
    const executed = evmActions.length + solanaActions.length
    // Seal the open slot so what was just executed is visible at `confirmed`.
    if (executed > 0) solana.finish()
    return executed
  }
  const advance = (to: Date) => replay(to, () => {})
  await replay(until, () => meanwhile(world, prices))
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
      evm.executor.close()
      await Promise.all([evm.anvil.stop(), solanaRpc.close()])
    },
  }
}
