import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClickHouseSink } from '../../ingest/chains/clickhouse-sink.js'
import { TablePriceSource } from '../../ingest/prices/price-source.js'
import type { FlowKind, JobEventRow, JobStatus, TokenFlowRow } from '../../ingest/store/rows.js'
import { rebuildSnapshots } from '../../ingest/store/snapshots.js'
import { Store } from '../../ingest/store/store.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

// The daily snapshots (migration 0010) against rows written here, whose sums are known by construction.
let temp: TempDb
let store: Store
let sink: ClickHouseSink

const flow = (
  block: number,
  day: string,
  kind: FlowKind,
  payer: string,
  usd: number | null,
): TokenFlowRow => ({
  network: 'snap',
  chain: 'solana',
  block_number: block,
  block_hash: `h${block}`,
  block_time: `${day} 12:00:00`,
  tx_id: `tx${block}`,
  event_index: 0,
  token: 'T',
  token_symbol: 'TOK',
  amount: '1',
  amount_usd: usd,
  kind,
  payer,
  payee: 'pool',
  job_id: kind === 'burn' ? `job${block}` : '',
  finality: 'confirmed',
  version: 1,
  is_deleted: 0,
})

const finished = (block: number, day: string, status: JobStatus): JobEventRow => ({
  network: 'snap',
  chain: 'solana',
  job_id: `job${block}`,
  event: 'finished',
  time: `${day} 08:00:00`,
  block_number: block,
  tx_id: `jtx${block}`,
  event_index: 0,
  customer: '',
  node_id: 'n1',
  gpu_model: '',
  gpu_count: 0,
  status,
  price: '0',
  price_token: '',
  price_usd: null,
  source: 'onchain',
  version: 1,
  is_deleted: 0,
})

const FLOWS = [
  flow(1, '2026-01-01', 'customer_payment', 'alice', 10),
  flow(2, '2026-01-01', 'customer_payment', 'bob', 5),
  flow(3, '2026-01-01', 'customer_payment', 'alice', 1),
  flow(4, '2026-01-01', 'reward_emission', 'mint', 7),
  flow(5, '2026-01-01', 'burn', 'carol', 3),
  flow(6, '2026-01-01', 'fee', 'alice', null),
  flow(7, '2026-01-02', 'customer_payment', 'dave', 20),
  flow(8, '2026-01-02', 'reward_emission', 'mint', 2),
]

interface DayRow {
  day: string
  payment_usd: number
  payment_flows: string
  job_burn_usd: number
  emission_usd: number
  fee_unpriced: string
  payers: string
  burners: string
}

async function flowsDaily(): Promise<DayRow[]> {
  const result = await temp.db.writer.query({
    query: `SELECT toString(day) AS day, payment_usd, payment_flows, job_burn_usd, emission_usd, fee_unpriced,
                   length(payment_payers) AS payers, length(job_burn_payers) AS burners
            FROM flows_daily FINAL WHERE network = 'snap' ORDER BY day`,
    format: 'JSONEachRow',
  })
  return result.json<DayRow>()
}

async function jobsDaily(): Promise<{ day: string; succeeded: string; failed: string }[]> {
  const result = await temp.db.writer.query({
    query: `SELECT toString(day) AS day, succeeded, failed FROM jobs_daily FINAL WHERE network = 'snap' ORDER BY day`,
    format: 'JSONEachRow',
  })
  return result.json()
}

beforeAll(async () => {
  temp = await openTempDb()
  store = new Store(temp.db.writer)
  sink = new ClickHouseSink(store, temp.db.writer, [], new TablePriceSource(temp.db.writer))
  await store.insert('token_flows', FLOWS, 'first')
  await store.insert('job_events', [
    finished(1, '2026-01-01', 'succeeded'),
    finished(2, '2026-01-01', 'failed'),
    finished(7, '2026-01-02', 'succeeded'),
  ])
})
afterAll(async () => {
  await temp?.dispose()
})

describe('daily snapshots of the chain tables', () => {
  it('hold each day as written: sums, counts, distinct payers, unpriced flows', async () => {
    expect(await flowsDaily()).toEqual([
      {
        day: '2026-01-01',
        payment_usd: 16,
        payment_flows: '3',
        job_burn_usd: 3,
        emission_usd: 7,
        fee_unpriced: '1',
        payers: '2',
        burners: '1',
      },
      {
        day: '2026-01-02',
        payment_usd: 20,
        payment_flows: '1',
        job_burn_usd: 0,
        emission_usd: 2,
        fee_unpriced: '0',
        payers: '1',
        burners: '0',
      },
    ])
    expect(await jobsDaily()).toEqual([
      { day: '2026-01-01', succeeded: '1', failed: '1' },
      { day: '2026-01-02', succeeded: '1', failed: '0' },
    ])
  })

  it('do not count a replayed batch twice (another deduplication token, same flows)', async () => {
    await store.insert('token_flows', FLOWS.slice(0, 3), 'replayed')
    expect((await flowsDaily())[0]?.payment_usd).toBe(16)
  })

  it('drop retracted flows and jobs: a day left empty becomes zeros', async () => {
    await sink.retract('solana', 7)
    const [first, second] = await flowsDaily()
    expect(first?.payment_usd).toBe(16)
    expect(second).toMatchObject({ payment_usd: 0, payment_flows: '0', emission_usd: 0, payers: '0' })
    expect((await jobsDaily())[1]).toEqual({ day: '2026-01-02', succeeded: '0', failed: '0' })
  })

  it('are rebuilt from their sources whole (after a migration)', async () => {
    const before = await flowsDaily()
    await temp.db.writer.command({ query: 'TRUNCATE TABLE flows_daily' })
    await rebuildSnapshots(temp.db.writer)
    expect(await flowsDaily()).toEqual(before)
  })
})
