import { gql } from './graphql'
import type { Provenance } from './types'

export interface MetricDefinition {
  id: string
  title: string
  unit: string
  definition: string
  sql: string
  sqlFile: string
  disclosures: { network: string; provenance: Provenance; how: string }[]
}

export interface SourceFreshness {
  sourceId: string
  lastBlock: number | null
  headBlock: number | null
  lagBlocks: number | null
  updatedAt: string | null
  live: boolean
  blocksPerSecond: number | null
  lastError: string | null
  lastErrorAt: string | null
}

export interface Meta {
  engine: string
  clickhouseVersion: string
  sources: SourceFreshness[]
  telemetry: { network: string; provenance: string; lastSeen: string }[]
}

const DEFINITIONS = `query Definitions {
  metricDefinitions { id title unit definition sql sqlFile disclosures { network provenance how } }
}`
const META = `query Meta {
  _meta {
    engine clickhouseVersion
    sources { sourceId lastBlock headBlock lagBlocks updatedAt live blocksPerSecond lastError lastErrorAt }
    telemetry { network provenance lastSeen }
  }
}`

export async function fetchDefinitions(): Promise<MetricDefinition[]> {
  return (await gql<{ metricDefinitions: MetricDefinition[] }>(DEFINITIONS)).metricDefinitions
}

export async function fetchMeta(): Promise<Meta> {
  return (await gql<{ _meta: Meta }>(META))._meta
}
