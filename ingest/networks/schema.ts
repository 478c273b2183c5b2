import { z } from 'zod'
import { FLOW_KINDS, PROVENANCES } from '../store/rows.js'

/** Chains Plumb knows how to name. Only `solana` and the EVM chains have ingesters. */
export const CHAINS = ['solana', 'ethereum', 'arbitrum', 'akash'] as const

/** Metrics a network may or may not be able to disclose (METRICS.md). */
export const METRIC_IDS = [
  'demand',
  'subsidy',
  'burns',
  'customers',
  'listed_gpus',
  'online_gpus',
  'verified_gpus',
  'time_utilization',
  'allocation_utilization',
  'compute_utilization',
  'job_success',
  'uptime',
  'price_per_gpu_hour',
] as const
export type MetricId = (typeof METRIC_IDS)[number]

const unconfirmed = z
  .boolean()
  .default(false)
  .describe('true when the fact was seen only in third-party code or press ([B] in NETWORKS.md)')

const tokenSchema = z.strictObject({
  symbol: z.string().regex(/^[A-Z0-9]+$/, 'upper-case symbol'),
  chain: z.enum(CHAINS),
  address: z.string().min(1).nullable().describe('mint / contract address; null for a native coin'),
  decimals: z.number().int().min(0).max(36).nullable().describe('null when not confirmed'),
  role: z.enum(['native', 'payment', 'credit', 'legacy']),
  unconfirmed,
})

export const ACCOUNT_ROLES = [
  'jobs_program',
  'rewards_program',
  'staking_program',
  'pools_program',
  'nodes_program',
  'escrow',
  'market',
  'reward_pool',
  'fee_wallet',
  'treasury',
  'licence_nft',
] as const
export type AccountRole = (typeof ACCOUNT_ROLES)[number]

const accountSchema = z.strictObject({
  chain: z.enum(CHAINS),
  role: z.enum(ACCOUNT_ROLES),
  address: z.string().min(1).nullable().describe('null when the network does not publish it'),
  label: z.string().min(1),
  unconfirmed,
})

/** Which side of a movement matches: a catalog account role, the zero/mint side, or anyone. */
const partySchema = z.union([z.enum(ACCOUNT_ROLES), z.literal('mint'), z.literal('any')])

/** First matching rule wins; a movement no rule matches is `other`. */
const ruleSchema = z.strictObject({
  token: z.string().regex(/^[A-Z0-9]+$/),
  movement: z.enum(['transfer', 'mint', 'burn', 'job_payment', 'job_payout', 'job_refund']),
  from: partySchema.default('any'),
  to: partySchema.default('any'),
  kind: z.enum(FLOW_KINDS),
  note: z.string().min(1),
})

const disclosureSchema = z.strictObject({
  provenance: z.enum(PROVENANCES),
  how: z.string().min(1).describe('where the evidence comes from, or why there is none'),
})

export const networkSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9]*$/, 'lower-case letters and digits'),
    name: z.string().min(1),
    website: z.url(),
    summary: z.string().min(1),
    economics: z.enum([
      'burn-and-mint',
      'emission-and-buyback',
      'emission-and-fees',
      'job-escrow',
      'lease-settlement',
    ]),
    chains: z.array(z.enum(CHAINS)).min(1),
    explorers: z.partialRecord(z.enum(CHAINS), z.string().includes('{tx}', { message: 'must contain {tx}' })),
    tokens: z.array(tokenSchema).min(1),
    accounts: z.array(accountSchema),
    classification: z.array(ruleSchema),
    disclosure: z.record(z.enum(METRIC_IDS), disclosureSchema),
  })
  .superRefine((network, ctx) => {
    const symbols = new Set(network.tokens.map((t) => t.symbol))
    network.classification.forEach((rule, i) => {
      if (!symbols.has(rule.token)) {
        ctx.addIssue({
          code: 'custom',
          path: ['classification', i, 'token'],
          message: `unknown token ${rule.token}`,
        })
      }
    })
    network.tokens.forEach((token, i) => {
      if (!network.chains.includes(token.chain)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tokens', i, 'chain'],
          message: `${token.chain} is not in chains`,
        })
      }
    })
    for (const id of METRIC_IDS) {
      if (!(id in network.disclosure)) {
        ctx.addIssue({
          code: 'custom',
          path: ['disclosure', id],
          message: 'every metric must say its provenance',
        })
      }
    }
  })

export type NetworkInput = z.input<typeof networkSchema>
export type Network = z.output<typeof networkSchema>
export type Token = Network['tokens'][number]
export type Account = Network['accounts'][number]
export type ClassificationRule = Network['classification'][number]

/**
 * A reference cloud list price for one GPU model (METRICS.md, Price: "beside reference cloud list
 * prices kept in the catalog with their date and source"). On-demand, one GPU, USD per hour.
 */
export const referencePriceSchema = z.strictObject({
  gpuModel: z.string().regex(/^[a-z0-9-]+$/, 'canonical GPU model id (ingest/telemetry/gpu-models.ts)'),
  provider: z.string().min(1),
  offer: z.string().min(1).describe('the offer as the provider names it'),
  usdPerGpuHour: z.number().positive(),
  date: z.iso.date().describe('when the price was read'),
  source: z.url(),
})
export type ReferencePriceInput = z.input<typeof referencePriceSchema>
export type ReferencePrice = z.output<typeof referencePriceSchema>
