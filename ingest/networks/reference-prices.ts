import { referencePriceSchema, type ReferencePrice, type ReferencePriceInput } from './schema.js'

/**
 * Reference cloud list prices (on-demand, per GPU-hour), to read the networks' prices against.
 * Figures as the providers' pricing pages listed them on the date given; cards no large cloud lists
 * (RTX 3090/4090) have none rather than a guess.
 */
export const REFERENCE_PRICE_ENTRIES: readonly ReferencePriceInput[] = [
  {
    gpuModel: 'h100-sxm-80gb',
    provider: 'Lambda',
    offer: '1x H100 SXM on-demand instance',
    usdPerGpuHour: 3.78,
    date: '2026-05-07',
    source: 'https://lambda.ai/pricing',
  },
  {
    gpuModel: 'h100-sxm-80gb',
    provider: 'Modal',
    offer: 'H100 serverless GPU, per-second billing',
    usdPerGpuHour: 3.9492,
    date: '2026-05-07',
    source: 'https://modal.com/pricing',
  },
  {
    gpuModel: 'a100-sxm-80gb',
    provider: 'Modal',
    offer: 'A100 80GB serverless GPU, per-second billing',
    usdPerGpuHour: 2.4984,
    date: '2026-05-07',
    source: 'https://modal.com/pricing',
  },
  {
    gpuModel: 'l40s-48gb',
    provider: 'Modal',
    offer: 'L40S serverless GPU, per-second billing',
    usdPerGpuHour: 1.9512,
    date: '2026-05-07',
    source: 'https://modal.com/pricing',
  },
]

export function loadReferencePrices(): ReferencePrice[] {
  return REFERENCE_PRICE_ENTRIES.map((entry, i) => {
    const parsed = referencePriceSchema.safeParse(entry)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new Error(`reference price #${i}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
    }
    return parsed.data
  })
}
