import type { CohortCell } from '../api/compare'
import type { Provenance } from '../api/types'

export interface CohortRetention {
  /** Share of the cohort that paid in month N; null when not disclosed or no cohort is old enough. */
  value: number | null
  /** Start of the cohort's month, when one is old enough. */
  cohort: string | null
  cohortSize: number | null
  provenance: Provenance
}

function addMonths(iso: string, months: number): number {
  const d = new Date(iso)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)
}

/**
 * Logo retention at month N of the latest monthly cohort whose month N had ended by `at`.
 * The cohorts SQL has a row only for months in which a customer of the cohort paid, so a missing
 * month N of an old enough cohort means nobody came back: 0, not unknown.
 */
export function logoRetentionAt(
  cells: CohortCell[],
  at: string,
  disclosed: Provenance,
  months = 3,
): CohortRetention {
  if (disclosed === 'none') return { value: null, cohort: null, cohortSize: null, provenance: 'none' }
  const end = Date.parse(at)
  const starts = [...new Set(cells.filter((c) => c.offset === 0).map((c) => c.cohort))]
    .filter((c) => addMonths(c, months + 1) <= end)
    .sort()
  const cohort = starts.at(-1)
  if (!cohort) return { value: null, cohort: null, cohortSize: null, provenance: disclosed }
  const size = cells.find((c) => c.cohort === cohort && c.offset === 0)?.cohortSize ?? null
  const active = cells.find((c) => c.cohort === cohort && c.offset === months)?.activeCustomers ?? 0
  return {
    value: size ? active / size : null,
    cohort,
    cohortSize: size,
    provenance: disclosed,
  }
}
