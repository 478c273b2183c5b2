import type { CohortCell } from '../api/compare'

export type CohortUnit = 'WEEK' | 'MONTH'
export type RetentionKind = 'logo' | 'revenue'

export interface HeatCell {
  cohort: string
  offset: number
  value: number
  partial: boolean
  cohortSize: number | null
}

const DAY_MS = 86_400_000

export function periodStart(cohort: string, unit: CohortUnit, offset: number): number {
  const d = new Date(cohort)
  if (unit === 'WEEK') return d.getTime() + offset * 7 * DAY_MS
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)
}

/**
 * Every observed (cohort, period) cell up to `until`. The SQL has a row only where a customer of the
 * cohort paid, so an observed period without a row is 0 retention, not unknown; periods after
 * `until` are not drawn.
 */
export function heatCells(
  cells: CohortCell[],
  unit: CohortUnit,
  kind: RetentionKind,
  until: string,
  now = Date.now(),
): HeatCell[] {
  const end = Math.min(Date.parse(until), now)
  const cohorts = [...new Set(cells.map((c) => c.cohort))].sort()
  return cohorts.flatMap((cohort) => {
    const first = cells.find((c) => c.cohort === cohort && c.offset === 0)
    const out: HeatCell[] = []
    for (let offset = 0; periodStart(cohort, unit, offset) < end; offset++) {
      const row = cells.find((c) => c.cohort === cohort && c.offset === offset)
      const value = kind === 'logo' ? (row?.logoRetention ?? 0) : (row?.revenueRetention ?? 0)
      out.push({
        cohort,
        offset,
        value,
        partial: periodStart(cohort, unit, offset + 1) > now,
        cohortSize: first?.cohortSize ?? null,
      })
    }
    return out
  })
}
