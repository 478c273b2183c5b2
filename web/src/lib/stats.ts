/** 95% Wilson score interval of a proportion, as METRICS.md asks for job success. */
export function wilson(successes: number, n: number, z = 1.959964): { low: number; high: number } | null {
  if (n <= 0) return null
  const p = successes / n
  const z2 = z * z
  const centre = p + z2 / (2 * n)
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  const denom = 1 + z2 / n
  return { low: Math.max(0, (centre - margin) / denom), high: Math.min(1, (centre + margin) / denom) }
}

/** Jobs that count towards the success rate: cancelled (by the customer) and unfinished ones do not. */
export const JUDGED = new Set(['succeeded', 'failed', 'timed_out'])
export const TOO_FEW_JOBS = 30

export interface SuccessTally {
  succeeded: number
  n: number
  rate: number | null
  low: number | null
  high: number | null
  tooFew: boolean
}

export function tally(statuses: string[]): SuccessTally {
  const judged = statuses.filter((s) => JUDGED.has(s))
  const succeeded = judged.filter((s) => s === 'succeeded').length
  const n = judged.length
  const ci = wilson(succeeded, n)
  return {
    succeeded,
    n,
    rate: n ? succeeded / n : null,
    low: ci?.low ?? null,
    high: ci?.high ?? null,
    tooFew: n < TOO_FEW_JOBS,
  }
}
