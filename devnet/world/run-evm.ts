import { startAnvil, type AnvilHandle } from '../evm/anvil.js'
import { deployDevnet, devnetProvider, type DevnetDeployment } from '../evm/deploy.js'
import { EvmExecutor, evmAccountsNeeded, evmWallets } from './evm-executor.js'
import type { World } from './model.js'

export interface EvmWorldChain {
  anvil: AnvilHandle
  deployment: DevnetDeployment
  /** World wallet label → address. */
  wallets: Map<string, string>
  executor: EvmExecutor
}

/** Starts anvil just before the world's first day, deploys the contracts and prepares the wallets. */
export async function startEvmWorld(world: World): Promise<EvmWorldChain> {
  const anvil = await startAnvil({
    startTime: Math.floor(world.config.start.getTime() / 1000) - 86_400,
    accounts: evmAccountsNeeded(world) + 1,
    pruneHistory: true,
  })
  const provider = devnetProvider(anvil.rpcUrl)
  const deployment = await deployDevnet(provider)
  const wallets = evmWallets(world, deployment.accounts)
  const executor = new EvmExecutor(anvil.rpcUrl, deployment, wallets)
  await executor.prepare(world.config.start)
  return { anvil, deployment, wallets, executor }
}
