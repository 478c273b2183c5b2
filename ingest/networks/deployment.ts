import type { AccountRole, ClassificationRule, Network } from './schema.js'

/**
 * Where a network lives on one set of chains: token and account addresses, and the rules that
 * classify their movements. Mainnet's comes from the catalog; a devnet supplies its own addresses
 * (and, for a simulated market that settles differently, extra rules) for the same network.
 */
export interface Deployment {
  network: string
  tokens: DeployedToken[]
  accounts: { chain: string; role: AccountRole; address: string }[]
  rules: ClassificationRule[]
  explorers: Partial<Record<string, string>>
}

export interface DeployedToken {
  symbol: string
  chain: string
  address: string
  decimals: number
  /** A network's own token belongs to it wherever it moves; a shared one (USDC) only when it touches its accounts. */
  shared: boolean
}

/** The catalog's published addresses; facts marked null (not published) are left out. */
export function mainnetDeployment(network: Network): Deployment {
  return {
    network: network.id,
    tokens: network.tokens.flatMap((t) =>
      t.address !== null && t.decimals !== null
        ? [
            {
              symbol: t.symbol,
              chain: t.chain,
              address: t.address,
              decimals: t.decimals,
              shared: t.role === 'payment',
            },
          ]
        : [],
    ),
    accounts: network.accounts.flatMap((a) =>
      a.address ? [{ chain: a.chain, role: a.role, address: a.address }] : [],
    ),
    rules: network.classification,
    explorers: network.explorers,
  }
}
