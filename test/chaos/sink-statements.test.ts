/**
 * Two defects of ClickHouseSink's INSERT … SELECT statements, found by the chaos run (its
 * `token_flows finality` check):
 *
 * - finalize relabelled nothing: ClickHouse resolves SELECT aliases in WHERE, and its filter
 *   `finality = 'confirmed'` stood beside `'finalized' AS finality`. Rows written as confirmed stayed
 *   confirmed, and the first-payment rollup, which counts finalized flows only, never saw them.
 * - with the embedded engine, finalize and retract could be dropped silently: chdb applies settings
 *   with SET on its session, so the deduplication token of the last insert was still in force. Every
 *   ingest run first loads the plan's prices with the same token; a retraction or relabel issued
 *   before any other insert of the run then counted as a duplicate of the previous run's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClickHouseSink } from '../../ingest/chains/clickhouse-sink.js'
import { TablePriceSource } from '../../ingest/prices/price-source.js'
import type { PriceRow, TokenFlowRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

let temp: TempDb
let store: Store
let sink: ClickHouseSink

const flow = (block: number, chain: string): TokenFlowRow => ({
  network: 'sink',
  chain,
  block_number: block,
  block_hash: `h${block}`,
  block_time: `2026-01-05 0${block % 10}:00:00`,
  tx_id: `${chain}-tx${block}`,
  event_index: 0,
  token: 'T',
  token_symbol: 'TOK',
  amount: '1',
  amount_usd: 1,
  kind: 'customer_payment',
  payer: `payer-${chain}-${block}`,
  payee: 'market',
  job_id: '',
  finality: 'confirmed',
  version: 1,
  is_deleted: 0,
})

const PRICES: PriceRow[] = [{ token: 'T', time: '2026-01-05 00:00:00', usd: 1, source: 'plan' }]

/** What an ingest run does first: the plan's prices, with the same token every run. */
const loadPlanPrices = () => store.insert('prices', PRICES, 'plan-prices:same-every-run')

async function flows(chain: string): Promise<{ block_number: string; finality: string }[]> {
  const result = await temp.db.writer.query({
    query: `SELECT block_number, finality FROM token_flows FINAL WHERE chain = {chain:String} ORDER BY block_number`,
    query_params: { chain },
    format: 'JSONEachRow',
  })
  return result.json()
}

beforeAll(async () => {
  temp = await openTempDb()
  store = new Store(temp.db.writer)
  sink = new ClickHouseSink(store, temp.db.writer, [], new TablePriceSource(temp.db.writer))
})
afterAll(() => temp?.dispose())

describe('ClickHouseSink statements', () => {
  it('finalize relabels the confirmed flows of its chain up to the block, and only those', async () => {
    await store.insert(
      'token_flows',
      [1, 2, 3, 4].map((b) => flow(b, 'arbitrum')),
    )
    await store.insert('token_flows', [flow(1, 'solana')])
    await sink.finalize('arbitrum', 2)

    expect(await flows('arbitrum')).toEqual([
      { block_number: '1', finality: 'finalized' },
      { block_number: '2', finality: 'finalized' },
      { block_number: '3', finality: 'confirmed' },
      { block_number: '4', finality: 'confirmed' },
    ])
    expect(await flows('solana')).toEqual([{ block_number: '1', finality: 'confirmed' }])
    const payers = await temp.db.writer.query({
      query: `SELECT payer FROM customer_first_payment WHERE network = 'sink' GROUP BY payer ORDER BY payer`,
      format: 'JSONEachRow',
    })
    expect(await payers.json()).toEqual([{ payer: 'payer-arbitrum-1' }, { payer: 'payer-arbitrum-2' }])
  })

  it('finalizes and retracts run after run, whatever token the last insert left in the session', async () => {
    for (let run = 1; run <= 3; run++) {
      await store.insert('token_flows', [flow(10 * run, 'base'), flow(10 * run + 1, 'base')])
      await loadPlanPrices()
      await sink.finalize('base', 10 * run)
      await loadPlanPrices()
      await sink.retract('base', 10 * run + 1)
    }
    expect(await flows('base')).toEqual([
      { block_number: '10', finality: 'finalized' },
      { block_number: '20', finality: 'finalized' },
      { block_number: '30', finality: 'finalized' },
    ])
  })
})
