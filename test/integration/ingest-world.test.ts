import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { worldConfig } from '../../devnet/world/config.js'
import { worldIngestPlan } from '../../devnet/world/ingest.js'
import { startWorldChains, type WorldChains } from '../../devnet/world/run.js'
import { groundTruth, type GroundTruth } from '../../devnet/world/truth.js'
import { indexUntilCaughtUp } from '../../ingest/chains/source.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { createSources } from '../../ingest/plan.js'
import { storedFlowDays, truthFlowDays } from '../support/flows-vs-truth.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

let temp: TempDb
let chains: WorldChains
let truth: GroundTruth

beforeAll(async () => {
  chains = await startWorldChains(worldConfig({ seed: 42, days: 30 }))
  truth = groundTruth(chains.world, chains.prices)
  temp = await openTempDb()
  for (const source of await createSources(worldIngestPlan(chains, loadCatalog()), temp.db)) {
    await indexUntilCaughtUp(source)
  }
}, 600_000)
afterAll(async () => {
  await chains?.stop()
  await temp?.dispose()
})

describe('the world ingested through the real chain sources (30 days, seed 42)', () => {
  it('has token flows per network, day, kind and token equal to the ground truth', async () => {
    const stored = await storedFlowDays(temp.db.writer)
    expect(new Set(stored.map((r) => r.network))).toEqual(new Set(['aethir', 'ionet', 'nosana', 'render']))
    expect(stored).toEqual(truthFlowDays(truth))
  })

  it('values every flow in USD at its block time', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT sum(amount_usd) AS usd, countIf(amount_usd IS NULL) AS missing
              FROM token_flows FINAL GROUP BY network, toDate(block_time), kind, token_symbol
              ORDER BY network, toDate(block_time), kind, token_symbol`,
      format: 'JSONEachRow',
    })
    const stored = await result.json<{ usd: number; missing: string }>()
    expect(stored.length).toBe(truth.flows.length)
    stored.forEach((r, i) => {
      const usd = truth.flows[i]?.usd ?? NaN
      expect(Number(r.missing)).toBe(0)
      expect(Math.abs(r.usd - usd) / Math.max(1, usd)).toBeLessThan(1e-9)
    })
  })

  it('has every on-chain job with its final status and start, as the world settled them', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT network, toString(toDate(ended_at)) AS day, status, count() AS n, countIf(started_at IS NOT NULL) AS started
              FROM jobs WHERE ended_at IS NOT NULL GROUP BY network, day, status ORDER BY network, day, status`,
      format: 'JSONEachRow',
    })
    type Row = { network: string; day: string; status: string; n: string; started: string }
    const rows = await result.json<Row>()
    const stored = rows.map((r) => ({ network: r.network, day: r.day, status: r.status, n: Number(r.n) }))
    const expected = truth.daily
      .flatMap((d) =>
        Object.entries(d.jobs)
          .filter(([, n]) => n > 0)
          .map(([status, n]) => ({ network: d.network, day: d.day, status, n })),
      )
      .sort((a, b) => `${a.network}${a.day}${a.status}`.localeCompare(`${b.network}${b.day}${b.status}`))
    expect(stored).toEqual(expected)
    const started = chains.world.jobs.filter(
      (j) => (j.network === 'nosana' || j.network === 'aethir') && j.started,
    ).length
    expect(rows.reduce((sum, r) => sum + Number(r.started), 0)).toBe(started)
  })
})
