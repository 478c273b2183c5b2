import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../ingest/config.js'
import { openDb, type Db } from '../../ingest/store/db.js'
import type { JobEventRow, TokenFlowRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import { LIMIT_CODES, QUERY_LIMITS } from '../../server/safety/limits.js'
import { startTestApp, type GraphQLErrorBody, type TestApp } from '../support/test-app.js'
import { openWorldDb, type WorldDb } from '../support/world-db.js'

/** Refusals of abusive queries, and SQL injection attempts in every string argument. */

let world: WorldDb
let t: TestApp

const flow = (network: string, tx: string, payer: string): TokenFlowRow => ({
  network,
  chain: 'solana',
  block_number: 1,
  block_hash: 'h',
  block_time: '2026-01-06 12:00:00',
  tx_id: tx,
  event_index: 0,
  token: 'T',
  token_symbol: 'NOS',
  amount: '10',
  amount_usd: 10,
  kind: 'customer_payment',
  payer,
  payee: 'vault',
  job_id: `${network}-job`,
  finality: 'finalized',
  version: 1,
  is_deleted: 0,
})

const job = (network: string): JobEventRow => ({
  network,
  chain: 'solana',
  job_id: `${network}-job`,
  event: 'posted',
  time: '2026-01-06 12:00:00',
  block_number: 1,
  tx_id: `${network}-tx`,
  event_index: 0,
  customer: `${network}-customer`,
  node_id: `${network}-node-001`,
  gpu_model: 'rtx-4090',
  gpu_count: 1,
  status: 'queued',
  price: '10',
  price_token: 'NOS',
  price_usd: 10,
  source: 'onchain',
  version: 1,
  is_deleted: 0,
})

beforeAll(async () => {
  world = await openWorldDb({ days: 7, chains: false })
  const store = new Store(world.db.writer)
  await store.insert('token_flows', [
    flow('nosana', 'tx-nosana', 'secret-nosana-payer'),
    flow('ionet', 'tx-ionet', 'io-payer'),
  ])
  await store.insert('job_events', [job('nosana'), job('ionet')])
  t = await startTestApp({}, { temp: world })
}, 300_000)
afterAll(async () => {
  await t?.close()
  await world?.dispose()
})

const codes = (errors: GraphQLErrorBody[] | undefined): unknown[] =>
  (errors ?? []).map((e) => e.extensions?.code)

describe('query limits (graphql-armor)', () => {
  it('refuses an over-deep query', async () => {
    const deep = `{ networks { tokens { ${'a { '.repeat(QUERY_LIMITS.maxDepth)}b${' }'.repeat(QUERY_LIMITS.maxDepth)} } } }`
    const res = await t.graphql(deep)
    expect(res.data).toBeUndefined()
    expect(codes(res.errors)).toContain(LIMIT_CODES.maxDepth)
  })

  it('refuses an over-costly query', async () => {
    const spreads = Array.from({ length: 20 }, () => '...Costly').join(' ')
    const query = `{ economics(network: "nosana") { ${spreads} } }
      fragment Costly on Economics { series { start demandUsd { value provenance } subsidyUsd { value provenance }
        burnsUsd { value provenance } netUsd { value provenance } transactions(first: 100) { txId blockTime amount amountUsd
        payer payee kind explorerUrl } } }`
    const res = await t.graphql(query)
    expect(res.data).toBeUndefined()
    expect(codes(res.errors)).toContain(LIMIT_CODES.maxCost)
  })

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: networks { id }`).join(' ')
    const res = await t.graphql(`{ ${aliases} }`)
    expect(res.data).toBeUndefined()
    expect(codes(res.errors)).toContain(LIMIT_CODES.maxAliases)
  })

  it('refuses an over-long query', async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxTokens }, () => 'id').join(' ')
    const res = await t.graphql(`{ networks { ${fields} } }`)
    expect(res.data).toBeUndefined()
    expect(codes(res.errors)).toContain(LIMIT_CODES.maxTokens)
  })

  it('answers a query within the limits, and keeps introspection on', async () => {
    const res = await t.graphql<{ __schema: { queryType: { name: string } } }>(
      '{ __schema { queryType { name } types { name fields { name type { name kind ofType { name kind ofType { name kind ofType { name } } } } } } } }',
    )
    expect(res.errors).toBeUndefined()
    expect(res.data?.__schema.queryType.name).toBe('Query')
  })
})

const INJECTIONS = [
  "nosana' OR 1=1 --",
  "x'); DROP TABLE token_flows; --",
  '{networks:Array(String)}',
  "' UNION SELECT * FROM system.users --",
  "\\' OR \\'1\\'=\\'1",
  "nosana\u0000' OR network != '",
]

describe('SQL injection in every string argument', () => {
  const range = '{ from: "2026-01-05T00:00:00Z", to: "2026-01-12T00:00:00Z" }'
  const fields: ((s: string) => string)[] = [
    (s) => `economics(network: ${s}) { totals { demandUsd { value } } }`,
    (s) => `supply(network: ${s}) { totals { online { value } } }`,
    (s) => `utilization(network: ${s}, kind: TIME) { totals { value } }`,
    (s) =>
      `utilization(network: "nosana", kind: TIME, gpuModel: ${s}, range: ${range}) { totals { value denominator } }`,
    (s) => `reliability(network: ${s}) { jobSuccess { jobs } }`,
    (s) => `reliability(network: "nosana", gpuModel: ${s}, range: ${range}) { jobSuccess { jobs } }`,
    (s) => `retention(network: ${s}) { totals { payingCustomers } }`,
    (s) => `hardwareMix(network: ${s}) { models { group } }`,
    (s) => `prices(network: ${s}) { models { gpuModel } }`,
    (s) => `compare(networks: ["nosana", ${s}]) { networks { tiles { value } } }`,
    (s) => `nodes(network: ${s}) { edges { node { id } } }`,
    (s) => `nodes(network: "nosana", gpuModel: ${s}, range: ${range}) { edges { node { id } } }`,
    (s) => `nodes(network: "nosana", after: ${s}) { edges { node { id } } }`,
    (s) => `node(network: "nosana", id: ${s}, range: ${range}) { id }`,
    (s) => `node(network: ${s}, id: "nosana-node-001") { id }`,
    (s) => `jobs(network: ${s}) { edges { node { id } } }`,
    (s) => `jobs(network: "nosana", customer: ${s}) { edges { node { id network } } }`,
    (s) => `jobs(network: "nosana", node: ${s}) { edges { node { id network } } }`,
    (s) => `jobs(network: "nosana", gpuModel: ${s}) { edges { node { id network } } }`,
    (s) => `jobs(network: "nosana", after: ${s}) { edges { node { id } } }`,
    (s) => `tokenFlows(network: ${s}) { edges { node { payer } } }`,
    (s) => `tokenFlows(network: "nosana", after: ${s}) { edges { node { payer } } }`,
    (s) => `metricDefinition(id: ${s}) { id }`,
    (s) => `network(id: ${s}) { id }`,
    (s) =>
      `economics(network: "nosana", range: { from: ${s}, to: "2026-01-12T00:00:00Z" }) { totals { flows } }`,
  ]

  it('comes back as validation errors or empty results, never a ClickHouse error or other rows', async () => {
    for (const make of fields) {
      for (const injection of INJECTIONS) {
        const res = await t.graphql<Record<string, unknown>>(`query($s: String!) { ${make('$s')} }`, {
          s: injection,
        })
        const what = `${make('$s')} with ${JSON.stringify(injection)}`
        const body = JSON.stringify(res)
        expect(body, what).not.toMatch(/DB::Exception|Code: \d+|clickhouse|SYNTAX_ERROR|stack/i)
        expect(
          codes(res.errors).filter((c) => c !== 'BAD_USER_INPUT' && c !== 'GRAPHQL_VALIDATION_FAILED'),
          what,
        ).toEqual([])
        // No other network's rows: the only payer and job of another network never leak.
        expect(body, what).not.toMatch(/io-payer|ionet-job/)
        if (!res.errors) expect(body, what).not.toMatch(/secret-nosana-payer|nosana-job/)
      }
    }
  }, 120_000)

  it('treats an injection in an ID as an unknown network (BAD_USER_INPUT)', async () => {
    const res = await t.graphql(`{ economics(network: "nosana' OR 1=1 --") { totals { flows } } }`)
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'network' })
  })

  it('in export query strings: 400 or an empty file, never other rows', async () => {
    for (const injection of INJECTIONS) {
      for (const query of [
        `network=${encodeURIComponent(injection)}`,
        `network=nosana&gpuModel=${encodeURIComponent(injection)}`,
        `network=nosana&customer=${encodeURIComponent(injection)}`,
        `network=nosana&after=${encodeURIComponent(injection)}`,
        `network=nosana&preset=${encodeURIComponent(injection)}`,
      ]) {
        for (const name of ['economics', 'jobs', 'nodes', 'supply']) {
          const res = await fetch(`${t.url}/export/${name}.csv?${query}`)
          const text = await res.text()
          const what = `${name} ${query}`
          expect([200, 400], what).toContain(res.status)
          expect(text, what).not.toMatch(/DB::Exception|Code: \d+|io-payer|ionet-job/)
        }
      }
    }
  }, 120_000)
})

describe('errors never leak ClickHouse text', () => {
  let failing: TestApp
  let db: Db
  beforeAll(async () => {
    // The same data, read with a memory limit no query can meet: every query fails in ClickHouse.
    const config = loadConfig({ PLUMB_DATA_DIR: world.config.dataDir, PLUMB_QUERY_MAX_MEMORY: '1000' })
    db = openDb(config)
    failing = await startTestApp({}, { temp: { config, db, dispose: async () => {} } })
  })
  afterAll(async () => {
    await failing?.close()
    await db?.close()
  })

  it('maps an unexpected error to INTERNAL_SERVER_ERROR with a generic message', async () => {
    const res = await failing.graphql('{ economics(network: "nosana") { totals { flows } } }')
    expect(res.errors?.[0]).toEqual({
      message: 'Internal server error',
      path: ['economics'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    })
    expect(JSON.stringify(res)).not.toMatch(/memory|DB::Exception|Code:/i)
    const exported = await fetch(`${failing.url}/export/economics.csv?network=nosana`)
    expect(exported.status).toBe(500)
    expect(await exported.text()).not.toMatch(/memory|DB::Exception|Code:/i)
  })
})

describe('rate limits and CORS', () => {
  let limited: TestApp
  beforeAll(async () => {
    limited = await startTestApp(
      { PLUMB_API_RATE_LIMIT: '3', PLUMB_CORS_ORIGINS: 'https://dash.example' },
      { temp: world },
    )
  })
  afterAll(() => limited?.close())

  it('refuses a client over its budget with TOO_MANY_REQUESTS, on GraphQL and exports', async () => {
    for (let i = 0; i < 3; i++) expect((await limited.graphql('{ networks { id } }')).errors).toBeUndefined()
    const res = await limited.graphql('{ networks { id } }')
    expect(codes(res.errors)).toEqual(['TOO_MANY_REQUESTS'])
    expect((await fetch(`${limited.url}/export/nodes.csv`)).status).toBe(429)
  })

  it('allows the configured origins', async () => {
    const res = await fetch(`${limited.url}/healthz`, { headers: { origin: 'https://dash.example' } })
    expect(res.headers.get('access-control-allow-origin')).toBe('https://dash.example')
  })
})
