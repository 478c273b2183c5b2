import type { JsonRpcProvider } from 'ethers'
import { startAnvil, type AnvilHandle, type AnvilOptions } from '../../devnet/evm/anvil.js'
import { deployDevnet, devnetProvider, type DevnetDeployment } from '../../devnet/evm/deploy.js'

export interface EvmDevnet {
  anvil: AnvilHandle
  provider: JsonRpcProvider
  dep: DevnetDeployment
  stop(): Promise<void>
}

/** A fresh anvil with Plumb's devnet contracts deployed; `stop()` ends both the provider and anvil. */
export async function startEvmDevnet(options: AnvilOptions): Promise<EvmDevnet> {
  const anvil = await startAnvil(options)
  const provider = devnetProvider(anvil.rpcUrl, anvil.chainId)
  const dep = await deployDevnet(provider)
  return {
    anvil,
    provider,
    dep,
    async stop() {
      provider.destroy()
      await anvil.stop()
    },
  }
}
