import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSolanaRpcServer } from '../../devnet/solana/rpc-server.js'
import { worldConfig } from '../../devnet/world/config.js'
import type { World } from '../../devnet/world/model.js'
import { WORLD_TOKENS } from '../../devnet/world/networks.js'
import { makeWorld } from '../../devnet/world/plan.js'
import { rawToUnits } from '../../ingest/chains/units.js'
import { WALLETS } from '../../devnet/world/settlement.js'
import { SolanaExecutor } from '../../devnet/world/solana-executor.js'

let world: World
let executor: SolanaExecutor
let server: Awaited<ReturnType<typeof startSolanaRpcServer>>

async function rpc<T>(method: string, params: unknown[]): Promise<T> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result as T
}

beforeAll(async () => {
  world = makeWorld(worldConfig({ seed: 42, days: 30 })).world
  executor = new SolanaExecutor(world)
  for (const action of world.actions) if (action.chain === 'solana') await executor.execute(action)
  executor.finish()
  server = await startSolanaRpcServer(executor.ledger, { finalizedLag: 0 })
}, 300_000)
afterAll(() => server?.close())

describe('world on the Solana devnet (30 days, seed 42)', () => {
  it('changes each token supply by exactly what the world minted minus what it burned', async () => {
    const flows = world.actions.flatMap((a) => (a.chain === 'solana' ? a.ops : []))
    for (const token of WORLD_TOKENS.filter((t) => t.chain === 'solana')) {
      const minted = flows
        .filter((o) => o.token === token.symbol && o.op === 'mintTo')
        .reduce((s, o) => s + o.raw, 0n)
      const burned = flows
        .filter((o) => o.token === token.symbol && o.op === 'burn')
        .reduce((s, o) => s + o.raw, 0n)
      const supply = await rpc<{ value: { amount: string; decimals: number } }>('getTokenSupply', [
        executor.mints.get(token.symbol),
        { commitment: 'finalized' },
      ])
      expect(supply.value.decimals).toBe(token.decimals)
      expect(rawToUnits(BigInt(supply.value.amount), token.decimals)).toBe(
        rawToUnits(minted - burned, token.decimals),
      )
      expect(burned > 0n || !['RENDER', 'IO'].includes(token.symbol)).toBe(true)
    }
  })

  it('carries every Nosana-like job post and finish, with its status, in the vault’s history', async () => {
    const owner = executor.wallet(WALLETS.nosanaVault).address
    const nos = executor.mints.get('NOS')
    if (!nos) throw new Error('no NOS mint')
    const address = executor.ledger.associatedTokenAddress(owner, nos)
    const memos: string[] = []
    let before: string | undefined
    for (;;) {
      const page = await rpc<{ signature: string; memo: string | null }[]>('getSignaturesForAddress', [
        address,
        { limit: 1000, commitment: 'finalized', ...(before ? { before } : {}) },
      ])
      memos.push(...page.map((s) => s.memo ?? ''))
      if (page.length < 1000) break
      before = page.at(-1)?.signature
    }
    const jobs = world.jobs.filter((j) => j.network === 'nosana')
    const posted = memos.filter((m) => m.includes('nosana:post:')).length
    const finished = memos.filter((m) => m.includes('nosana:finish:'))
    expect(posted).toBe(jobs.length)
    expect(finished.length).toBe(jobs.length)
    for (const status of ['succeeded', 'failed', 'timed_out', 'cancelled'] as const) {
      expect(finished.filter((m) => m.endsWith(`:${status}`)).length).toBe(
        jobs.filter((j) => j.status === status).length,
      )
    }
  })
})
