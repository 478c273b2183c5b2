import type { ListingRow, PriceRow } from '../../ingest/store/rows.js'
import type { Store } from '../../ingest/store/store.js'
import type { World } from './model.js'
import { telemetrySamples } from './telemetry.js'

const text = (date: Date): string =>
  date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')

/** The world's price feed, keyed by token address as flows are. */
export function priceRows(world: World, tokenAddress: ReadonlyMap<string, string>): PriceRow[] {
  return world.prices.map((p) => ({
    token: tokenAddress.get(p.token) ?? p.token,
    time: text(p.time),
    usd: p.usd,
    source: 'devnet-world',
  }))
}

/** Each network's listing feed (claimed supply), as its explorer would publish it. */
export function listingRows(world: World): ListingRow[] {
  return world.nodes.map((n) => ({
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
 * Writes prices, listings and every telemetry sample through the store, a day per insert with a
 * deduplication token, so a re-run stores nothing twice.
 */
export async function publishWorld(
  store: Store,
  world: World,
  tokenAddress: ReadonlyMap<string, string>,
  onProgress: (p: PublishProgress) => void = () => {},
): Promise<number> {
  const c = world.config
  const token = (part: string) => `world:${c.seed}:${c.days}:${c.scale}:${c.telemetryIntervalS}:${part}`
  await store.insert('prices', priceRows(world, tokenAddress), token('prices'))
  await store.insert('listings', listingRows(world), token('listings'))
  let samples = 0
  let day = 0
  for (const batch of telemetrySamples(world)) {
    await store.insert(
      'telemetry_samples',
      batch.map((s) => s.row),
      token(`telemetry:${day}`),
    )
    samples += batch.length
    onProgress({ day: ++day, samples })
  }
  return samples
}
