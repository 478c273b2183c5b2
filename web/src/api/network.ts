import type { CohortCell, JobSuccess } from './compare'
import { gql } from './graphql'
import type { Granularity, Measure, Provenance, RangeInput, ResolvedRange } from './types'

export interface CustomerPoint {
  start: string
  end: string
  payingCustomers: number | null
  newCustomers: number | null
  returningCustomers: number | null
  top10Share: Measure
  provenance: Provenance
}

export interface ReferencePrice {
  provider: string
  offer: string
  usdPerGpuHour: number
  date: string
  source: string
}

export interface GpuPrice {
  gpuModel: string
  jobs: number | null
  gpuHours: number | null
  medianUsdPerGpuHour: number | null
  p25UsdPerGpuHour: number | null
  p75UsdPerGpuHour: number | null
  provenance: Provenance
  reference: ReferencePrice[]
}

export interface TokenFlow {
  txId: string
  kind: string
  amount: string
  tokenSymbol: string
  amountUsd: number | null
  blockTime: string
  chain: string
  explorerUrl: string | null
  payer: string
  payee: string
  finality: string
}

export interface NodeSummary {
  id: string
  network: string
  listedModel: string | null
  listedName: string | null
  listedGpus: number | null
  signedModels: string[]
  signedGpus: number
  verification: 'verified' | 'mismatch' | 'unverified'
  verificationReason: string
  region: string | null
  lastSeen: string | null
  uptime: Measure
  timeUtilization: Measure
}

export interface NetworkDetail {
  retention: {
    range: ResolvedRange
    cohorts: CohortCell[]
    customers: CustomerPoint[]
    totals: CustomerPoint
  }
  prices: { models: GpuPrice[] }
  hardwareMix: { models: { group: string; vramClass: string; claimedGpus: Measure }[] }
  supply: { totals: { mismatched: Measure; listed: Measure } }
  nodes: { edges: { node: NodeSummary }[] }
  tokenFlows: { edges: { node: TokenFlow }[] }
}

const MEASURE = '{ value provenance }'
const CUSTOMER = `start end payingCustomers newCustomers returningCustomers top10Share ${MEASURE} provenance`
export const NODE_FIELDS = `id network listedModel listedName listedGpus signedModels signedGpus verification
  verificationReason region lastSeen uptime ${MEASURE} timeUtilization ${MEASURE}`

const DETAIL_QUERY = `query NetworkDetail($network: ID!, $flowNetwork: String!, $range: RangeInput, $granularity: Granularity!, $cohort: CohortUnit!) {
  retention(network: $network, range: $range, granularity: $granularity, cohort: $cohort) {
    range { from to preset }
    cohorts { cohort period offset cohortSize activeCustomers logoRetention revenueRetention provenance }
    customers { ${CUSTOMER} }
    totals { ${CUSTOMER} }
  }
  prices(network: $network, range: $range) {
    models {
      gpuModel jobs gpuHours medianUsdPerGpuHour p25UsdPerGpuHour p75UsdPerGpuHour provenance
      reference { provider offer usdPerGpuHour date source }
    }
  }
  hardwareMix(network: $network, range: $range) { models { group vramClass claimedGpus ${MEASURE} } }
  supply(network: $network, range: $range) { totals { mismatched ${MEASURE} listed ${MEASURE} } }
  nodes(network: $network, range: $range, status: mismatch, first: 50) { edges { node { ${NODE_FIELDS} } } }
  tokenFlows(network: $flowNetwork, first: 15) {
    edges { node { txId kind amount tokenSymbol amountUsd blockTime chain explorerUrl payer payee finality } }
  }
}`

export interface DetailVariables {
  network: string
  range: RangeInput
  granularity: Granularity
  cohort: 'WEEK' | 'MONTH'
}

export function fetchNetworkDetail(variables: DetailVariables): Promise<NetworkDetail> {
  return gql<NetworkDetail>(DETAIL_QUERY, { ...variables, flowNetwork: variables.network })
}

/** At most this many GPU models in one success-rate request (the API allows 30 aliases). */
export const MAX_MODELS = 25

/** Job success per GPU model, one aliased field per model. */
export async function fetchSuccessByModel(
  network: string,
  range: RangeInput,
  models: string[],
): Promise<{ gpuModel: string; jobSuccess: JobSuccess }[]> {
  const list = models.slice(0, MAX_MODELS)
  if (list.length === 0) return []
  const vars = list.map((_, i) => `$m${i}: String`).join(', ')
  const fields = list
    .map(
      (_, i) => `m${i}: reliability(network: $network, range: $range, gpuModel: $m${i}) {
        jobSuccess { jobs successRate wilsonLow wilsonHigh tooFewJobs provenance }
      }`,
    )
    .join('\n')
  const query = `query SuccessByModel($network: ID!, $range: RangeInput, ${vars}) {\n${fields}\n}`
  const variables: Record<string, unknown> = { network, range }
  list.forEach((m, i) => (variables[`m${i}`] = m))
  const data = await gql<Record<string, { jobSuccess: JobSuccess }>>(query, variables)
  return list.map((gpuModel, i) => {
    const row = data[`m${i}`]
    if (!row) throw new Error(`no answer for ${gpuModel}`)
    return { gpuModel, jobSuccess: row.jobSuccess }
  })
}
