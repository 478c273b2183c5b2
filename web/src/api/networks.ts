import { gql } from './graphql'
import type { Provenance } from './types'

export type { Provenance } from './types'

export interface Disclosure {
  metric: string
  provenance: Provenance
  how: string
}

export interface NetworkSummary {
  id: string
  name: string
  website: string
  summary: string
  economics: string
  chains: string[]
  tokens: {
    symbol: string
    chain: string
    address: string | null
    decimals: number | null
    unconfirmed: boolean
  }[]
  disclosures: Disclosure[]
}

const NETWORKS = `query Networks {
  networks {
    id name website summary economics chains
    tokens { symbol chain address decimals unconfirmed }
    disclosures { metric provenance how }
  }
}`

let cached: Promise<NetworkSummary[]> | null = null

/** The catalog, once per page load (it changes only with a deploy). */
export function fetchNetworks(): Promise<NetworkSummary[]> {
  cached ??= gql<{ networks: NetworkSummary[] }>(NETWORKS).then((d) => d.networks)
  cached.catch(() => {
    cached = null
  })
  return cached
}

export function disclosureOf(network: NetworkSummary | undefined, metric: string): Provenance {
  return network?.disclosures.find((d) => d.metric === metric)?.provenance ?? 'none'
}
