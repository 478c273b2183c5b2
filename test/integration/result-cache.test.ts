import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQL_DIR } from '../../ingest/store/paths.js'
import { tablesRead } from '../../server/core/result-cache.js'
import type { TokenFlowRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp

const payment = (txId: string, amountUsd: number, blockTime = '2026-03-01 12:00:00'): TokenFlowRow => ({
  network: 'nosana',
  chain: 'solana',
  block_number: 1,
  block_hash: 'h',
  block_time: blockTime,
  tx_id: txId,
  event_index: 0,
  token: 'nosXBVoaCTtYdLvKY6Csb4AC8JCdQKKAaWYtx2ZMoo7',
  token_symbol: 'NOS',
  amount: '1',
  amount_usd: amountUsd,
  kind: 'customer_payment',
  payer: 'Cust1',
  payee: 'Vault1',
  job_id: '',
  finality: 'finalized',
  version: 1,
  is_deleted: 0,
})

const DEMAND = `{ economics(network: "nosana", range: { from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" }) {
  totals { demandUsd { value } } } }`

async function demand(): Promise<number | null | undefined> {
  const res = await t.graphql<{ economics: { totals: { demandUsd: { value: number | null } } } }>(DEMAND)
  expect(res.errors).toBeUndefined()
  return res.data?.economics.totals.demandUsd.value
}

beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

describe('API results over changing data (server/core/result-cache.ts)', () => {
  it('versions every query the API runs by tables that hold its data: no view, no unknown name', async () => {
    const tables = await (
      await t.db.writer.query({
        query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'`,
        format: 'JSONEachRow',
      })
    ).json<{ name: string }>()
    const stored = new Set(tables.map((r) => r.name))
    for (const dir of ['metrics', 'queries']) {
      for (const file of readdirSync(join(SQL_DIR, dir)).filter((f) => f.endsWith('.sql'))) {
        const sql = readFileSync(join(SQL_DIR, dir, file), 'utf8')
        const ctes = new Set([...sql.matchAll(/\b(\w+)\s+AS\s*\(/gi)].map((m) => m[1]))
        const unknown = (tablesRead(sql) ?? []).filter((name) => !stored.has(name) && !ctes.has(name))
        expect({ file: `${dir}/${file}`, unknown }).toEqual({ file: `${dir}/${file}`, unknown: [] })
      }
    }
  })

  it('sees every insert and truncation at once, though a repeated query is answered from the cache', async () => {
    const store = new Store(t.db.writer)
    await store.insert('token_flows', [payment('a', 10)])
    expect(await demand()).toBe(10)
    expect(await demand()).toBe(10)
    await store.insert('token_flows', [payment('b', 5)])
    expect(await demand()).toBe(15)
    await t.db.writer.command({ query: 'TRUNCATE TABLE token_flows' })
    await t.db.writer.command({ query: 'TRUNCATE TABLE flows_daily' })
    expect(await demand()).toBe(0)
  })

  it('moves the end of range presets with new data (sql/queries/latest_data.sql, cached by its tables)', async () => {
    const end = async (): Promise<string | undefined> => {
      const res = await t.graphql<{ compare: { range: { to: string } } }>(
        '{ compare(networks: ["nosana"], range: { preset: D7 }) { range { to } } }',
      )
      expect(res.errors).toBeUndefined()
      return res.data?.compare.range.to
    }
    const store = new Store(t.db.writer)
    await store.insert('token_flows', [payment('c', 1, '2026-04-01 08:00:00')])
    expect(await end()).toBe('2026-04-02T00:00:00.000Z')
    expect(await end()).toBe('2026-04-02T00:00:00.000Z')
    await store.insert('token_flows', [payment('d', 1, '2026-04-05 08:00:00')])
    expect(await end()).toBe('2026-04-06T00:00:00.000Z')
  })
})
