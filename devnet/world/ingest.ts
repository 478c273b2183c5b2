import { ClickHouseSink } from '../../ingest/chains/clickhouse-sink.js'
import { EvmSource } from '../../ingest/chains/evm/source.js'
import { SolanaSource } from '../../ingest/chains/solana/source.js'
import type { ChainSource } from '../../ingest/chains/source.js'
import type { Network } from '../../ingest/networks/schema.js'
import { TablePriceSource } from '../../ingest/prices/price-source.js'
import { CheckpointStore } from '../../ingest/store/checkpoints.js'
import type { Db } from '../../ingest/store/db.js'
import { Store } from '../../ingest/store/store.js'
import { evmDeployments, solanaDeployments } from './deployment.js'
import type { WorldChains } from './run.js'
import { WALLETS } from './settlement.js'

/**
 * The chain sources that index the world's devnets, writing through one ClickHouse sink: the EVM
 * source follows the Aethir-like tokens and market; the Solana source follows the mints and the
 * escrow wallets whose memo-only transactions carry job events.
 */
export function worldSources(
  chains: WorldChains,
  db: Db,
  catalog: readonly Network[],
  prefix = 'world',
): ChainSource[] {
  const store = new Store(db.writer)
  const solanaAt = { wallet: (label: string) => chains.solana.address(label), mints: chains.solana.mints }
  const sink = new ClickHouseSink(
    store,
    db.writer,
    [...solanaDeployments(catalog, solanaAt), ...evmDeployments(catalog, chains.evm.deployment)],
    new TablePriceSource(db.writer),
  )
  const checkpoints = new CheckpointStore(db.writer)
  const { addresses, abis, fromBlock } = chains.evm.deployment
  const evm = new EvmSource({
    sourceId: `${prefix}-arbitrum`,
    chain: 'arbitrum',
    rpcUrl: chains.evm.anvil.rpcUrl,
    tokens: [addresses.rewardToken, addresses.stablecoin],
    market: { address: addresses.market, abi: abis.market },
    startBlock: fromBlock,
    finalityDepth: 0,
    checkpoints,
    sink,
  })
  const solana = new SolanaSource({
    sourceId: `${prefix}-solana`,
    chain: 'solana',
    rpcUrl: chains.solanaRpc.url,
    addresses: [
      ...chains.solana.mints.values(),
      chains.solana.address(WALLETS.ionetEscrow),
      chains.solana.address(WALLETS.nosanaVault),
    ],
    batchSize: 50,
    concurrency: 4,
    checkpoints,
    sink,
  })
  return [evm, solana]
}
