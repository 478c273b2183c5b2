import { DAY_S, worldConfig } from '../../devnet/world/config.js'
import { worldIngestPlan } from '../../devnet/world/ingest.js'
import { publishWorld } from '../../devnet/world/publish.js'
import { startWorldChains } from '../../devnet/world/run.js'
import { indexUntilCaughtUp } from '../../ingest/chains/source.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { createSources } from '../../ingest/plan.js'
import { Store } from '../../ingest/store/store.js'
import { openTempDb, type TempDb } from './temp-db.js'

export interface DemoDbOptions {
  /** Whole days of history before today (default 14). */
  days?: number
  seed?: number
}

/**
 * The seeded world as the live demo has it, in a fresh embedded ClickHouse: `days` of history up to
 * now (so today's bucket is partial), its settlements replayed on both devnets and indexed through
 * the real chain sources, its prices, listings and telemetry published through the store. The
 * caller passes it to startTestApp({ temp }) (chdb binds one data dir per process) and disposes it.
 */
export async function openDemoDb(options: DemoDbOptions = {}): Promise<TempDb> {
  const days = options.days ?? 14
  const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S
  const config = worldConfig({
    seed: options.seed ?? 42,
    days: days + 1,
    start: new Date((today - days * DAY_S) * 1000),
  })
  const now = new Date()
  const temp = await openTempDb()
  const chains = await startWorldChains(config, () => {}, now)
  try {
    await publishWorld(new Store(temp.db.writer), chains.world, chains.tokenAddresses, () => {}, now)
    for (const source of await createSources(worldIngestPlan(chains, loadCatalog()), temp.db)) {
      await indexUntilCaughtUp(source)
    }
    return temp
  } catch (error) {
    await temp.dispose()
    throw error
  } finally {
    await chains.stop()
  }
}
