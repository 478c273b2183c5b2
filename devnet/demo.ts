import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { indexUntilCaughtUp } from '../ingest/chains/source.js'
import { createSources } from '../ingest/plan.js'
import type { Network } from '../ingest/networks/schema.js'
import type { Db } from '../ingest/store/db.js'
import { Store } from '../ingest/store/store.js'
import { DAY_S, worldConfig } from './world/config.js'
import { worldIngestPlan } from './world/ingest.js'
import { publishWorld } from './world/publish.js'
import { startWorldChains } from './world/run.js'

export interface DemoOptions {
  db: Db
  catalog: readonly Network[]
  dataDir: string
  days?: number
  log?: (line: string) => void
}

interface DemoState {
  seed: number
  days: number
  start: string
  completed: boolean
}

/** The demo's world ends at today's UTC midnight, fixed at first run so restarts see the same world. */
function demoState(dataDir: string, days: number): DemoState {
  const path = join(dataDir, 'demo.json')
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as DemoState
  const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S
  return { seed: 42, days, start: new Date((today - days * DAY_S) * 1000).toISOString(), completed: false }
}

function saveState(dataDir: string, state: DemoState): void {
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(join(dataDir, 'demo.json'), `${JSON.stringify(state, null, 1)}\n`)
}

/**
 * The local demo behind `npm start`: the seeded world on both devnets, its prices, listings and
 * telemetry published, and its settlements indexed through the real chain sources. Runs once per
 * data directory; a restart keeps what was stored.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line))
  const state = demoState(options.dataDir, options.days ?? 30)
  if (state.completed) {
    log(
      `demo: world of ${state.days} days from ${state.start.slice(0, 10)} already indexed in ${options.dataDir}`,
    )
    return
  }
  saveState(options.dataDir, state)
  const started = Date.now()
  const config = worldConfig({ seed: state.seed, days: state.days, start: new Date(state.start) })
  const chains = await startWorldChains(config, ({ chain, done, total }) => {
    if (done === total || done % 1000 === 0) log(`demo: ${chain} devnet ${done}/${total} transactions`)
  })
  try {
    log(`demo: EVM devnet ${chains.evm.anvil.rpcUrl}, Solana devnet ${chains.solanaRpc.url}`)
    const store = new Store(options.db.writer)
    await publishWorld(store, chains.world, chains.tokenAddresses, ({ day, samples }) => {
      if (day % 10 === 0 || day === config.days)
        log(`demo: telemetry day ${day}/${config.days} (${samples} samples)`)
    })
    for (const source of await createSources(worldIngestPlan(chains, options.catalog, 'demo'), options.db)) {
      await indexUntilCaughtUp(source)
      const status = source.status()
      log(`demo: indexed ${status.sourceId} to block ${status.lastBlock ?? '?'}`)
    }
    saveState(options.dataDir, { ...state, completed: true })
    log(`demo: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    await chains.stop()
  }
}
