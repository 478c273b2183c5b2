import { worldConfig, type WorldConfig } from '../../devnet/world/config.js'
import { worldIngestPlan } from '../../devnet/world/ingest.js'
import type { World } from '../../devnet/world/model.js'
import { makeWorld } from '../../devnet/world/plan.js'
import { publishWorld } from '../../devnet/world/publish.js'
import { startWorldChains } from '../../devnet/world/run.js'
import { groundTruth, type GroundTruth } from '../../devnet/world/truth.js'
import { indexUntilCaughtUp } from '../../ingest/chains/source.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { createSources } from '../../ingest/plan.js'
import { Store } from '../../ingest/store/store.js'
import { openTempDb, type TempDb } from './temp-db.js'

/** Networks whose settlements the world puts on a devnet and the fixture ingests through a chain source. */
export const CHAIN_NETWORKS = ['render', 'ionet', 'aethir', 'nosana'] as const

/** Networks whose telemetry and listings the fixture publishes: every network of the world. */
export const TELEMETRY_NETWORKS = ['render', 'ionet', 'aethir', 'nosana', 'akash'] as const

export interface WorldDbOptions {
  seed?: number
  days?: number
  /** false: telemetry, listings and prices only (no devnets; seconds instead of a minute). */
  chains?: boolean
}

export interface WorldDb extends TempDb {
  world: World
  worldConfig: WorldConfig
  truth: GroundTruth
}

/**
 * The seeded world in a fresh embedded ClickHouse: its settlements replayed on both devnets and
 * ingested through the real chain sources and sink, its telemetry, listings and prices published
 * through the store; with the ground truth computed from the world's own events. Rollups are left
 * as inserted (unmerged), as a live database has them.
 */
export async function openWorldDb(options: WorldDbOptions = {}): Promise<WorldDb> {
  const config = worldConfig({ seed: options.seed ?? 42, days: options.days ?? 30 })
  const temp = await openTempDb()
  const store = new Store(temp.db.writer)
  if (options.chains === false) {
    const { world, prices } = makeWorld(config)
    await publishWorld(store, world, new Map())
    return { ...temp, world, worldConfig: config, truth: groundTruth(world, prices) }
  }
  const chains = await startWorldChains(config)
  try {
    await publishWorld(store, chains.world, chains.tokenAddresses)
    for (const source of await createSources(worldIngestPlan(chains, loadCatalog()), temp.db)) {
      await indexUntilCaughtUp(source)
    }
    return {
      ...temp,
      world: chains.world,
      worldConfig: config,
      truth: groundTruth(chains.world, chains.prices),
    }
  } finally {
    await chains.stop()
  }
}
