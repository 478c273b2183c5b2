import { gql } from './graphql'
import type { Granularity, Measure, Point, Provenance, RangeInput, ResolvedRange, Unit } from './types'

export interface Tile {
  metric: string
  title: string
  unit: Unit
  value: number | null
  previous: number | null
  change: number | null
  changeRatio: number | null
  provenance: Provenance
}

export interface Series {
  metric: string
  title: string
  unit: Unit
  provenance: Provenance
  points: Point[]
}

export interface NetworkComparison {
  network: { id: string; name: string }
  tiles: Tile[]
  series: Series[]
}

export interface Comparison {
  range: ResolvedRange
  previousRange: ResolvedRange | null
  granularity: Granularity
  networks: NetworkComparison[]
}

/** One document, asked twice: the series (charts) and the tiles come back independently. */
export const COMPARE_QUERY = `query Compare($networks: [ID!]!, $range: RangeInput, $granularity: Granularity!, $previous: Boolean!, $tiles: Boolean!, $series: Boolean!) {
  compare(networks: $networks, range: $range, granularity: $granularity, previous: $previous) {
    range { from to preset }
    previousRange { from to preset }
    granularity
    networks {
      network { id name }
      tiles @include(if: $tiles) { metric title unit value previous change changeRatio provenance }
      series @include(if: $series) { metric title unit provenance points { start end value } }
    }
  }
}`

export interface CompareVariables {
  networks: string[]
  range: RangeInput
  granularity: Granularity
  previous: boolean
}

const prefetched = new Map<string, Promise<Comparison>>()
const prefetchKey = (variables: CompareVariables, part: string) => JSON.stringify([variables, part])

/** Starts a request before the page that needs it has loaded; that page's first fetch takes it over. */
export function prefetchComparison(variables: CompareVariables, part: 'tiles' | 'series'): void {
  const promise = requestComparison(variables, part)
  promise.catch(() => {})
  prefetched.set(prefetchKey(variables, part), promise)
}

export function fetchComparison(variables: CompareVariables, part: 'tiles' | 'series'): Promise<Comparison> {
  const key = prefetchKey(variables, part)
  const early = prefetched.get(key)
  prefetched.delete(key)
  return early ?? requestComparison(variables, part)
}

async function requestComparison(variables: CompareVariables, part: 'tiles' | 'series'): Promise<Comparison> {
  const data = await gql<{ compare: Comparison }>(COMPARE_QUERY, {
    ...variables,
    tiles: part === 'tiles',
    series: part === 'series',
  })
  return {
    ...data.compare,
    networks: data.compare.networks.map((n) => ({ ...n, tiles: n.tiles ?? [], series: n.series ?? [] })),
  }
}

export interface JobSuccess {
  jobs: number | null
  successRate: number | null
  wilsonLow: number | null
  wilsonHigh: number | null
  tooFewJobs: boolean | null
  provenance: Provenance
}

export interface Funnel {
  listed: Measure
  online: Measure
  busy: Measure
  verified: Measure
  mismatched: Measure
}

export interface MixRow {
  group: string
  claimedGpus: Measure
  verifiedGpus: Measure
  claimedGpuShare: Measure
  verifiedGpuShare: Measure
}

export interface CohortCell {
  cohort: string
  period: string
  offset: number
  cohortSize: number | null
  activeCustomers: number | null
  logoRetention: number | null
  revenueRetention: number | null
  provenance: Provenance
}

/** What the compare page needs beyond `compare`, for one network. */
export interface NetworkExtras {
  reliability: { jobSuccess: JobSuccess }
  supply: { totals: Funnel }
  hardwareMix: { byVramClass: MixRow[] }
  retention: { cohorts: CohortCell[] }
}

const MEASURE = '{ value provenance }'
export const FUNNEL_FIELDS = `listed ${MEASURE} online ${MEASURE} busy ${MEASURE} verified ${MEASURE} mismatched ${MEASURE}`

export const EXTRAS_QUERY = `query CompareExtras($network: ID!, $range: RangeInput, $year: RangeInput) {
  reliability(network: $network, range: $range) {
    jobSuccess { jobs successRate wilsonLow wilsonHigh tooFewJobs provenance }
  }
  supply(network: $network, range: $range) { totals { ${FUNNEL_FIELDS} } }
  hardwareMix(network: $network, range: $range) {
    byVramClass {
      group claimedGpus ${MEASURE} verifiedGpus ${MEASURE}
      claimedGpuShare ${MEASURE} verifiedGpuShare ${MEASURE}
    }
  }
  retention(network: $network, range: $year, cohort: MONTH) {
    cohorts { cohort period offset cohortSize activeCustomers logoRetention revenueRetention provenance }
  }
}`

export function fetchExtras(network: string, range: RangeInput, year: RangeInput): Promise<NetworkExtras> {
  return gql<NetworkExtras>(EXTRAS_QUERY, { network, range, year })
}

export const PREVIOUS_SUPPLY_QUERY = `query PreviousSupply($network: ID!, $range: RangeInput) {
  supply(network: $network, range: $range) { totals { ${FUNNEL_FIELDS} } }
}`

export async function fetchPreviousFunnel(network: string, range: ResolvedRange): Promise<Funnel> {
  const data = await gql<{ supply: { totals: Funnel } }>(PREVIOUS_SUPPLY_QUERY, {
    network,
    range: { from: range.from, to: range.to },
  })
  return data.supply.totals
}
