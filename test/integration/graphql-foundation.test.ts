import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TokenFlowRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import { registerSource } from '../../ingest/chains/status-registry.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

const flow: TokenFlowRow = {
  network: 'nosana',
  chain: 'solana',
  block_number: 301_234_567,
  block_hash: '5Gx1',
  block_time: '2026-03-01 12:34:56',
  tx_id: '4LXpF3MCexample',
  event_index: 2001,
  token: 'nosXBVoaCTtYdLvKY6Csb4AC8JCdQKKAaWYtx2ZMoo7',
  token_symbol: 'NOS',
  amount: '123.456789',
  amount_usd: 61.72,
  kind: 'customer_payment',
  payer: 'Cust1',
  payee: 'Vault1',
  job_id: 'job-7',
  finality: 'finalized',
  version: 1,
  is_deleted: 0,
}

beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

describe('GraphQL foundation', () => {
  it('lists the five catalog networks with their disclosures', async () => {
    const res = await t.graphql<{
      networks: { id: string; disclosures: { metric: string; provenance: string }[] }[]
    }>('{ networks { id disclosures { metric provenance } } }')
    expect(res.errors).toBeUndefined()
    expect(res.data?.networks.map((n) => n.id)).toEqual(['render', 'ionet', 'aethir', 'nosana', 'akash'])
    const nosanaSuccess = res.data?.networks
      .find((n) => n.id === 'nosana')
      ?.disclosures.find((d) => d.metric === 'job_success')
    expect(nosanaSuccess?.provenance).toBe('onchain')
  })

  it('returns a token flow written through the store, with its explorer link', async () => {
    await new Store(t.db.writer).insert('token_flows', [flow])
    const res = await t.graphql<{ tokenFlows: { edges: { node: Record<string, unknown> }[] } }>(
      `{ tokenFlows(network: "nosana", first: 10) { edges { node {
          network chain blockNumber blockTime txId eventIndex tokenSymbol amount amountUsd kind payer payee jobId explorerUrl
        } } } }`,
    )
    expect(res.errors).toBeUndefined()
    expect(res.data?.tokenFlows.edges.map((e) => e.node)).toEqual([
      {
        network: 'nosana',
        chain: 'solana',
        blockNumber: 301_234_567,
        blockTime: '2026-03-01T12:34:56.000Z',
        txId: '4LXpF3MCexample',
        eventIndex: 2001,
        tokenSymbol: 'NOS',
        amount: '123.456789',
        amountUsd: 61.72,
        kind: 'customer_payment',
        payer: 'Cust1',
        payee: 'Vault1',
        jobId: 'job-7',
        explorerUrl: 'https://solscan.io/tx/4LXpF3MCexample',
      },
    ])
  })

  it('pages with opaque cursors and refuses a forged one', async () => {
    const second = { ...flow, tx_id: 'second', block_time: '2026-03-01 12:00:00' }
    await new Store(t.db.writer).insert('token_flows', [second])
    type Page = {
      tokenFlows: {
        edges: { node: { txId: string } }[]
        pageInfo: { hasNextPage: boolean; endCursor: string }
      }
    }
    const query = `query($after: String) { tokenFlows(first: 1, after: $after) {
      edges { node { txId } } pageInfo { hasNextPage endCursor } } }`
    const first = await t.graphql<Page>(query)
    expect(first.data?.tokenFlows.edges.map((e) => e.node.txId)).toEqual(['4LXpF3MCexample'])
    expect(first.data?.tokenFlows.pageInfo.hasNextPage).toBe(true)
    const next = await t.graphql<Page>(query, { after: first.data?.tokenFlows.pageInfo.endCursor })
    expect(next.data?.tokenFlows.edges.map((e) => e.node.txId)).toEqual(['second'])
    expect(next.data?.tokenFlows.pageInfo.hasNextPage).toBe(false)
    const forged = await t.graphql<Page>(query, { after: "'; DROP TABLE token_flows; --" })
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' })
  })

  it('reports the embedded engine and its version in _meta, and is healthy', async () => {
    const res = await t.graphql<{
      _meta: { engine: string; clickhouseVersion: string; migrations: string[] }
    }>('{ _meta { engine clickhouseVersion migrations } }')
    expect(res.data?._meta.engine).toBe('embedded')
    expect(res.data?._meta.clickhouseVersion).toMatch(/^\d+\.\d+/)
    expect(res.data?._meta.migrations).toContain('0001_token_flows.sql')
    const health = await fetch(`${t.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true, engine: 'embedded', pendingMigrations: [] })
  })

  it('shows the lag, rate and last error of a source running in this process', async () => {
    registerSource({
      status: () => ({
        sourceId: 'test-source',
        chain: 'solana',
        lastBlock: 90,
        headBlock: 100,
        blocksPerSecond: 12.5,
        lastError: 'HTTP 429 (retry 1 in 2000 ms)',
        lastErrorAt: new Date('2026-03-01T00:00:00Z'),
        rpcRequests: 3,
        rpcWaitMs: 40,
      }),
    })
    const res = await t.graphql<{ _meta: { sources: Record<string, unknown>[] } }>(
      '{ _meta { sources { sourceId live lastBlock headBlock lagBlocks blocksPerSecond lastError lastErrorAt } } }',
    )
    expect(res.data?._meta.sources).toContainEqual({
      sourceId: 'test-source',
      live: true,
      lastBlock: 90,
      headBlock: 100,
      lagBlocks: 10,
      blocksPerSecond: 12.5,
      lastError: 'HTTP 429 (retry 1 in 2000 ms)',
      lastErrorAt: '2026-03-01T00:00:00.000Z',
    })
    const health = (await (await fetch(`${t.url}/healthz`)).json()) as { sourceErrors: unknown[] }
    expect(health.sourceErrors).toContainEqual({
      sourceId: 'test-source',
      lastError: 'HTTP 429 (retry 1 in 2000 ms)',
      lastErrorAt: '2026-03-01T00:00:00.000Z',
    })
  })

  it('runs API queries read-only', async () => {
    const attempt = t.db.reader.command({ query: 'CREATE TABLE should_not_exist (a UInt8) ENGINE = Memory' })
    await expect(attempt).rejects.toThrow(/readonly/i)
  })
})
