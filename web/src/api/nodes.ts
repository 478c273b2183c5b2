import type { JobSuccess } from './compare'
import { gql } from './graphql'
import { NODE_FIELDS, type GpuPrice, type NodeSummary } from './network'
import type { Granularity, Measure, RangeInput, ResolvedRange } from './types'

export interface NodeHistoryPoint {
  start: string
  end: string
  uptime: Measure
  timeUtilization: Measure
  allocationUtilization: Measure
  computeUtilization: Measure
  onlineGpuSeconds: number
  busyGpuSeconds: number
}

export interface NodeJob {
  id: string
  status: string
  gpuModel: string
  gpuCount: number
  submittedAt: string
  startedAt: string | null
  endedAt: string | null
  priceUsd: number | null
  runSeconds: number | null
  queueSeconds: number | null
  customer: string
}

export interface NodeDetail extends NodeSummary {
  range: ResolvedRange
  listed: boolean
  listedAt: string | null
  source: string | null
  gpusSeen: number
  onlineGpuSeconds: number
  busyGpuSeconds: number
  history: NodeHistoryPoint[]
}

const MEASURE = '{ value provenance }'
const NODE_QUERY = `query Node($network: ID!, $id: ID!, $node: String!, $range: RangeInput, $granularity: Granularity!) {
  node(network: $network, id: $id, range: $range) {
    ${NODE_FIELDS}
    range { from to preset } listed listedAt source gpusSeen onlineGpuSeconds busyGpuSeconds
    history(granularity: $granularity) {
      start end onlineGpuSeconds busyGpuSeconds uptime ${MEASURE} timeUtilization ${MEASURE}
      allocationUtilization ${MEASURE} computeUtilization ${MEASURE}
    }
  }
  jobs(network: $network, node: $node, range: $range, first: 100) {
    edges { node { id status gpuModel gpuCount submittedAt startedAt endedAt priceUsd runSeconds queueSeconds customer } }
    pageInfo { hasNextPage }
  }
}`

export interface NodePageData {
  node: NodeDetail | null
  jobs: { edges: { node: NodeJob }[]; pageInfo: { hasNextPage: boolean } }
}

export function fetchNode(
  network: string,
  id: string,
  range: RangeInput,
  granularity: Granularity,
): Promise<NodePageData> {
  return gql<NodePageData>(NODE_QUERY, { network, id, node: id, range, granularity })
}

const MODELS_QUERY = `query RentModels($network: ID!, $range: RangeInput) {
  hardwareMix(network: $network, range: $range) {
    models { group vramClass segment claimedGpus ${MEASURE} verifiedGpus ${MEASURE} }
  }
}`

export interface ModelRow {
  group: string
  vramClass: string
  segment: string
  claimedGpus: Measure
  verifiedGpus: Measure
}

export async function fetchModels(network: string, range: RangeInput): Promise<ModelRow[]> {
  return (await gql<{ hardwareMix: { models: ModelRow[] } }>(MODELS_QUERY, { network, range })).hardwareMix
    .models
}

const RENT_QUERY = `query Rent($network: ID!, $range: RangeInput, $model: String!) {
  reliability(network: $network, range: $range, gpuModel: $model) {
    jobSuccess { jobs successRate wilsonLow wilsonHigh tooFewJobs provenance }
  }
  prices(network: $network, range: $range) {
    models {
      gpuModel jobs gpuHours medianUsdPerGpuHour p25UsdPerGpuHour p75UsdPerGpuHour provenance
      reference { provider offer usdPerGpuHour date source }
    }
  }
}`

export interface JobStatusRow {
  nodeId: string
  status: string
}

export interface RentData {
  reliability: { jobSuccess: JobSuccess }
  prices: { models: GpuPrice[] }
  nodes: NodeSummary[]
  jobs: JobStatusRow[]
  /** More jobs than were read (the per-node tallies cover the newest ones only). */
  jobsTruncated: boolean
}

interface Page<T> {
  edges: { node: T }[]
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
}

/** Pages of a connection, within the API's cost limit per request, up to `maxPages`. */
async function pages<T>(
  query: string,
  field: string,
  variables: Record<string, unknown>,
  maxPages: number,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = []
  let after: string | null = null
  for (let i = 0; i < maxPages; i++) {
    const data: Record<string, Page<T>> = await gql<Record<string, Page<T>>>(query, { ...variables, after })
    const page = data[field]
    if (!page) throw new Error(`no ${field} in the answer`)
    rows.push(...page.edges.map((e) => e.node))
    if (!page.pageInfo.hasNextPage) return { rows, truncated: false }
    after = page.pageInfo.endCursor
  }
  return { rows, truncated: true }
}

const NODES_PAGE = `query RentNodes($network: ID!, $range: RangeInput, $model: String!, $after: String) {
  nodes(network: $network, range: $range, gpuModel: $model, first: 100, orderBy: UPTIME, after: $after) {
    edges { node { ${NODE_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`
const JOBS_PAGE = `query RentJobs($network: ID, $range: RangeInput, $model: String, $node: String, $after: String) {
  jobs(network: $network, range: $range, gpuModel: $model, node: $node, first: 400, after: $after) {
    edges { node { nodeId status } }
    pageInfo { hasNextPage endCursor }
  }
}`

/** Statuses of the jobs matching a filter, newest first, at most 4,000. */
export function fetchJobStatuses(filter: {
  network: string
  range: RangeInput
  model?: string
  node?: string
}): Promise<{ rows: JobStatusRow[]; truncated: boolean }> {
  return pages<JobStatusRow>(JOBS_PAGE, 'jobs', { ...filter }, 10)
}

export async function fetchRent(network: string, range: RangeInput, model: string): Promise<RentData> {
  const [head, nodes, jobs] = await Promise.all([
    gql<Pick<RentData, 'reliability' | 'prices'>>(RENT_QUERY, { network, range, model }),
    pages<NodeSummary>(NODES_PAGE, 'nodes', { network, range, model }, 5),
    fetchJobStatuses({ network, range, model }),
  ])
  return { ...head, nodes: nodes.rows, jobs: jobs.rows, jobsTruncated: jobs.truncated }
}
