import type { ListingRow, PriceRow } from '../../ingest/store/rows.js'
import type { Store } from '../../ingest/store/store.js'
import { DAY_S } from './config.js'
import type { World } from './model.js'
import type { WorldAgents } from './agents.js'
import { telemetrySamples } from './telemetry.js'

const text = (date: Date): string =>
  date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
const END_OF_TIME = new Date(8.64e15)

/** The world's price feed up to `until`, keyed by token address as flows are. */
export function priceRows(
  world: World,
  tokenAddress: ReadonlyMap<string, string>,
  until = END_OF_TIME,
): PriceRow[] {
  return world.prices
    .filter((p) => p.time <= until)
    .map((p) => ({
      token: tokenAddress.get(p.token) ?? p.token,
      time: text(p.time),
      usd: p.usd,
      source: 'devnet-world',
    }))
}

/** Each network's listing feed (claimed supply) as of `until`, as its explorer would publish it. */
export function listingRows(world: World, until = END_OF_TIME): ListingRow[] {
  return world.nodes
    .filter((n) => n.listedAt <= until)
    .map((n) => ({
      network: n.network,
      node_id: n.id,
      observed_at: text(n.listedAt),
      listed_at: text(n.listedAt),
      gpu_model: n.listedModel,
      gpu_count: n.gpuCount,
      region: '',
      source: 'devnet-explorer',
    }))
}

export interface PublishProgress {
  day: number
  samples: number
}

/**
 * Writes the telemetry samples with `since < time <= until`, a day per insert. Callers pass as
 * `since` the latest sample already stored, so a restart or the next live tick continues exactly.
 * With `agents`, the signing nodes' samples go through the telemetry endpoint instead.
 */
export async function publishTelemetry(
  store: Store,
  world: World,
  since: Date | null,
  until: Date,
  onProgress: (p: PublishProgress) => void = () => {},
  agents?: WorldAgents,
): Promise<number> {
  const c = world.config
  const dayOf = (t: Date) => Math.floor((t.getTime() - c.start.getTime()) / 1000 / DAY_S)
  const fromDay = since ? Math.max(0, dayOf(since)) : 0
  const toDay = Math.min(c.days, dayOf(until) + 1)
  let samples = 0
  let day = fromDay
  for (const batch of telemetrySamples(world, fromDay, toDay)) {
    const due = batch.filter((s) => (!since || s.time > since) && s.time <= until)
    // With agents, signing nodes send through the telemetry endpoint; the rest are written directly.
    const direct = agents ? due.filter((s) => !s.node.signs) : due
    if (agents) samples += await agents.send(due)
    const window = `${since?.getTime() ?? 'start'}-${Math.min(until.getTime(), 8.64e15)}`
    await store.insert(
      'telemetry_samples',
      direct.map((s) => s.row),
      `world:${c.seed}:${c.days}:${c.scale}:telemetry:${day}:${window}`,
    )
    samples += direct.length
    onProgress({ day: ++day, samples })
  }
  return samples
}

/** Prices, listings and telemetry up to `until` (the whole world by default), idempotently. */
export async function publishWorld(
  store: Store,
  world: World,
  tokenAddress: ReadonlyMap<string, string>,
  onProgress: (p: PublishProgress) => void = () => {},
  until = END_OF_TIME,
): Promise<number> {
  const c = world.config
  const token = (part: string) =>
    `world:${c.seed}:${c.days}:${c.scale}:${c.telemetryIntervalS}:${part}:${until.getTime()}`
  await store.insert('prices', priceRows(world, tokenAddress, until), token('prices'))
  await store.insert('listings', listingRows(world, until), token('listings'))
  return publishTelemetry(store, world, null, until, onProgress)
}
