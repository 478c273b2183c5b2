import { createHash } from 'node:crypto'
import type { InterfaceAbi } from 'ethers'
import { z } from 'zod'
import { ClickHouseSink } from './chains/clickhouse-sink.js'
import { EvmSource } from './chains/evm/source.js'
import { SolanaSource } from './chains/solana/source.js'
import type { ChainSource } from './chains/source.js'
import { registerSource } from './chains/status-registry.js'
import type { Deployment } from './networks/deployment.js'
import { HttpPriceSource } from './prices/http-price-source.js'
import { TablePriceSource } from './prices/price-source.js'
import { CheckpointStore } from './store/checkpoints.js'
import type { Db } from './store/db.js'
import type { PriceRow } from './store/rows.js'
import { Store } from './store/store.js'

/**
 * Everything an ingest run needs, as data: which networks live where (deployments), which chain
 * sources follow them, and optionally a price feed to load first. Mainnet plans come from the
 * catalog and RPC settings; the devnet writes its own (`.plumb/devnet/ingest-plan.json`).
 */
const evmSpec = z.strictObject({
  kind: z.literal('evm'),
  sourceId: z.string().min(1),
  chain: z.string().min(1),
  rpcUrl: z.url(),
  tokens: z.array(z.string()).min(1),
  market: z
    .strictObject({ address: z.string(), abi: z.custom<InterfaceAbi>((v) => Array.isArray(v)) })
    .optional(),
  startBlock: z.number().int().min(0),
  finalityDepth: z.number().int().min(0),
})

const solanaSpec = z.strictObject({
  kind: z.literal('solana'),
  sourceId: z.string().min(1),
  rpcUrl: z.url(),
  addresses: z.array(z.string()).min(1),
  startSlot: z.number().int().min(0).optional(),
})

export const ingestPlanSchema = z.strictObject({
  deployments: z.array(z.custom<Deployment>((v) => typeof v === 'object' && v !== null)),
  sources: z.array(z.discriminatedUnion('kind', [evmSpec, solanaSpec])),
  prices: z.array(z.custom<PriceRow>((v) => typeof v === 'object' && v !== null)).default([]),
  /** An HTTP price endpoint template (HttpPriceSource); without it, prices come from the `prices` table. */
  priceUrl: z.string().optional(),
})

export type IngestPlan = z.input<typeof ingestPlanSchema>
export type SourceSpec = IngestPlan['sources'][number]

export class PlanError extends Error {}

export function parseIngestPlan(json: unknown): z.output<typeof ingestPlanSchema> {
  const parsed = ingestPlanSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new PlanError(`ingest plan: ${issue?.path.join('.') || '(plan)'}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

/** The plan's sources over one ClickHouse sink; the price feed is stored first (idempotently). */
export async function createSources(plan: IngestPlan, db: Db): Promise<ChainSource[]> {
  const store = new Store(db.writer)
  if (plan.prices && plan.prices.length > 0) {
    const digest = createHash('sha256').update(JSON.stringify(plan.prices)).digest('hex')
    await store.insert('prices', plan.prices, `plan-prices:${digest}`)
  }
  const prices = plan.priceUrl
    ? new HttpPriceSource(plan.priceUrl, { onError: (message) => console.warn(message) })
    : new TablePriceSource(db.writer)
  const sink = new ClickHouseSink(store, db.writer, plan.deployments, prices)
  const checkpoints = new CheckpointStore(db.writer)
  const sources = plan.sources.map((spec) =>
    spec.kind === 'evm'
      ? new EvmSource({ ...spec, checkpoints, sink })
      : new SolanaSource({ ...spec, chain: 'solana', batchSize: 50, concurrency: 4, checkpoints, sink }),
  )
  for (const source of sources) registerSource(source)
  return sources
}
