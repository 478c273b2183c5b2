import type { FlowKind } from '../store/rows.js'
import type { Deployment, DeployedToken } from './deployment.js'
import type { AccountRole, ClassificationRule } from './schema.js'

/** A token movement as classification sees it: addresses already normalised by the chain decoder. */
export interface MovementFacts {
  chain: string
  kind: 'transfer' | 'mint' | 'burn'
  token: string
  from: string | null
  to: string | null
}

/** What the transaction says about a job: a post, or a finish with its outcome. */
export interface TxJobContext {
  jobId: string
  posted: boolean
  finished: 'succeeded' | 'not_succeeded' | null
}

export interface Classified {
  network: string
  token: DeployedToken
  kind: FlowKind
  payer: string
  payee: string
}

const JOB_SIDES: readonly AccountRole[] = ['escrow', 'market']

const same = (chain: string, a: string, b: string): boolean =>
  chain === 'solana' ? a === b : a.toLowerCase() === b.toLowerCase()

function roleOf(d: Deployment, chain: string, address: string | null): AccountRole | null {
  if (address === null) return null
  return d.accounts.find((a) => a.chain === chain && same(chain, a.address, address))?.role ?? null
}

/** The movement types a rule may name, for this movement in this transaction. */
function movementTypes(
  m: MovementFacts,
  from: AccountRole | null,
  to: AccountRole | null,
  job: TxJobContext | null,
) {
  const types: ClassificationRule['movement'][] = [m.kind]
  if (m.kind !== 'transfer' || !job) return types
  if (job.posted && to !== null && JOB_SIDES.includes(to)) types.push('job_payment')
  if (job.finished && from !== null && JOB_SIDES.includes(from)) {
    types.push(job.finished === 'succeeded' ? 'job_payout' : 'job_refund')
  }
  return types
}

function partyMatches(
  party: ClassificationRule['from'],
  role: AccountRole | null,
  isMintSide: boolean,
): boolean {
  if (party === 'any') return true
  if (party === 'mint') return isMintSide
  return role === party
}

/**
 * Classifies one movement by the first matching rule of the deployment that owns it. A network
 * owns its own tokens' movements, and a shared token's (USDC) only when one side is its account.
 * Returns null when no deployment owns the movement.
 */
export function classify(
  deployments: readonly Deployment[],
  m: MovementFacts,
  job: TxJobContext | null,
): Classified | null {
  for (const d of deployments) {
    const token = d.tokens.find((t) => t.chain === m.chain && same(m.chain, t.address, m.token))
    if (!token) continue
    const from = roleOf(d, m.chain, m.from)
    const to = roleOf(d, m.chain, m.to)
    if (token.shared && from === null && to === null) continue
    const types = movementTypes(m, from, to, job)
    const rule = d.rules.find(
      (r) =>
        r.token === token.symbol &&
        types.includes(r.movement) &&
        partyMatches(r.from, from, m.kind === 'mint') &&
        partyMatches(r.to, to, m.kind === 'burn'),
    )
    return { network: d.network, token, kind: rule?.kind ?? 'other', payer: m.from ?? '', payee: m.to ?? '' }
  }
  return null
}
