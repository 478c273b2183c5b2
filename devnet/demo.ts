import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { indexUntilCaughtUp } from '../ingest/chains/source.js'
import type { Network } from '../ingest/networks/schema.js'
import { createSources } from '../ingest/plan.js'
import type { Db } from '../ingest/store/db.js'
import { Store } from '../ingest/store/store.js'
import { WorldAgents } from './world/agents.js'
import { DAY_S, worldConfig } from './world/config.js'
import { worldIngestPlan } from './world/ingest.js'
import { listingRows, priceRows, publishTelemetry } from './world/publish.js'
import { startWorldChains, type WorldChains } from './world/run.js'

export interface DemoOptions {
  db: Db
  catalog: readonly Network[]
  dataDir: string
  /** Simulated history before now (default 30 days). */
  historyDays?: number
  /** Plumb's base URL: once live, the world's signing nodes send their telemetry to its endpoint. */
  telemetryEndpoint?: string
  log?: (line: string) => void
}

export interface Demo {
  /** Resolves once the history is on chain and indexed; the world then goes on live. */
  ready: Promise<void>
  stop(): Promise<void>
}

interface DemoState {
  seed: number
  start: string
  days: number
}

/** The world's live horizon after the history: a week, then the world stands still. */
const LIVE_DAYS = 7
const TICK_MS = 10_000

/** Fixed at first run (so restarts replay the very same world): history ends at today's UTC midnight. */
function demoState(dataDir: string, historyDays: number): DemoState {
  const path = join(dataDir, 'demo.json')
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as DemoState
  const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S
  const state = {
    seed: 42,
    start: new Date((today - historyDays * DAY_S) * 1000).toISOString(),
    days: historyDays + LIVE_DAYS,
  }
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(path, `${JSON.stringify(state, null, 1)}\n`)
  return state
}

/** Where the world's telemetry resumes after a restart: the latest sample stored, however it came. */
async function latestSample(db: Db): Promise<Date | null> {
  const result = await db.writer.query({
    query: 'SELECT toUnixTimestamp64Milli(max(time)) AS t, count() AS n FROM telemetry_samples',
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ t: string; n: string }>()
  return row && Number(row.n) > 0 ? new Date(Number(row.t)) : null
}

/**
 * The local demo behind `npm start`: the seeded world on both devnets, fast-forwarded to now,
 * its prices, listings and telemetry published and its settlements indexed through the real chain
 * sources; then live: new transactions and samples as the wall clock reaches them, followed by
 * the sources at the chain heads. A restart replays the same world and resumes from the
 * checkpoints and the latest stored sample.
 */
export function startDemo(options: DemoOptions): Demo {
  const log = options.log ?? ((line: string) => console.log(line))
  const controller = new AbortController()
  let chains: WorldChains | null = null
  let timer: NodeJS.Timeout | null = null
  const store = new Store(options.db.writer, options.db.insertText)

  const ready = (async () => {
    const started = Date.now()
    const state = demoState(options.dataDir, options.historyDays ?? 30)
    const config = worldConfig({ seed: state.seed, days: state.days, start: new Date(state.start) })
    chains = await startWorldChains(
      config,
      ({ chain, done }) => {
        if (done % 1000 === 0) log(`demo: ${chain} devnet, ${done} transactions replayed`)
      },
      new Date(),
    )
    log(`demo: EVM devnet ${chains.evm.anvil.rpcUrl}, Solana devnet ${chains.solanaRpc.url}`)
    const world = chains.world
    await store.insert('prices', priceRows(world, chains.tokenAddresses))
    let published = await latestSample(options.db)
    // The history is written directly (the endpoint refuses samples older than PLUMB_INGEST_MAX_AGE_H);
    // once live, the signing nodes' agents send theirs through the telemetry endpoint.
    const agents = options.telemetryEndpoint
      ? new WorldAgents(state.seed, options.telemetryEndpoint)
      : undefined
    const publish = async (until: Date, live: boolean) => {
      await store.insert('listings', listingRows(world, until))
      await publishTelemetry(store, world, published, until, () => {}, live ? agents : undefined)
      published = until
    }
    await publish(new Date(), false)
    const sources = await createSources(worldIngestPlan(chains, options.catalog, 'demo'), options.db)
    for (const source of sources) await indexUntilCaughtUp(source, controller.signal)
    log(
      `demo: ${state.days - LIVE_DAYS} days of history indexed in ${((Date.now() - started) / 1000).toFixed(1)} s; live now`,
    )
    for (const source of sources) void source.run(controller.signal)
    const live = chains
    const tick = async () => {
      const now = new Date()
      await live.advance(now)
      await publish(now, true)
    }
    timer = setInterval(() => {
      tick().catch((error: unknown) =>
        log(`demo: live tick failed: ${error instanceof Error ? error.message : String(error)}`),
      )
    }, TICK_MS)
  })()

  return {
    ready,
    async stop() {
      controller.abort()
      if (timer) clearInterval(timer)
      await ready.catch(() => {})
      await chains?.stop()
    },
  }
}
