import { gql } from './graphql'

export type Provenance = 'onchain' | 'signed' | 'reported' | 'none'

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

export async function fetchNetworks(): Promise<NetworkSummary[]> {
  return (await gql<{ networks: NetworkSummary[] }>(NETWORKS)).networks
}
