/**
 * API latency against the raw ClickHouse time of the same SQL:
 *
 *   node --import @swc-node/register/esm-register bench/api.ts [--samples 100000000] [--flows 10000000]
 *       [--jobs 300000] [--runs 30] [--dir /path/to/reuse]
 *
 * - data generated inside ClickHouse (INSERT … SELECT FROM numbers()): telemetry samples of 1,000
 *   GPUs (5 networks × 40 nodes × 5 GPUs) every 60 s back from the end date, through the hourly
 *   rollup's materialized view as ingest writes them; token flows over a year; jobs with their events;
 *   listings (some nodes list a better GPU than they run);
 * - every query the dashboard sends (the compare page first, then a network page), over HTTP to the
 *   real server: p50 and p95 of `runs` requests after two warm-ups;
 * - beside each, the raw ClickHouse time of the same SQL with the same parameters (recorded from the
 *   request, replayed on the same client one after the other, as the embedded engine runs them);
 *   the ratio is API / raw (p50). Targets: compare page p95 < 150 ms, ratio ≤ 1.2. These requests go
 *   to a server with its result cache off, so each runs its SQL;
 * - then the same queries to a server with its result cache (server/core/result-cache.ts), the data
 *   unchanged: what a repeated page view costs until the next insert.
 *
 * With --dir, an existing data directory is reused (generated once, measured many times).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { ClickHouseClient } from '@clickhouse/client'
import { loadConfig, type PlumbConfig } from '../ingest/config.js'
import { loadCatalog } from '../ingest/networks/index.js'
import { openDb, type Db } from '../ingest/store/db.js'
import { migrate } from '../ingest/store/migrate.js'
import { rebuildSnapshots } from '../ingest/store/snapshots.js'
import { createApp } from '../server/app.js'
import { DASHBOARD } from './dashboard-queries.js'
import { report } from './report.js'

const { values } = parseArgs({
  // npm run bench passes the same arguments to every benchmark: ignore the others' options.
  strict: false,
  allowPositionals: true,
  options: {
    samples: { type: 'string', default: '100000000' },
    flows: { type: 'string', default: '10000000' },
    jobs: { type: 'string', default: '300000' },
    runs: { type: 'string', default: '30' },
    dir: { type: 'string' },
    detail: { type: 'boolean', default: false },
  },
})
const SAMPLES = Number(values.samples)
const FLOWS = Number(values.flows)
const JOBS = Number(values.jobs)
const RUNS = Number(values.runs)
const DIR = typeof values.dir === 'string' ? values.dir : undefined
const GPUS = 1_000
const INTERVAL_S = 60
const END = '2026-03-01 00:00:00'
const NETWORKS = ['render', 'ionet', 'aethir', 'nosana', 'akash']
const MODELS = ['h100-sxm-80gb', 'a100-sxm-80gb', 'l40s-48gb', 'rtx-4090', 'rtx-3090']
const CHUNK = 10_000_000

const steps = Math.ceil(SAMPLES / GPUS)
const params = { networks: NETWORKS, models: MODELS, end: END, steps, interval: INTERVAL_S }

async function generate(client: ClickHouseClient): Promise<void> {
  const started = Date.now()
  const log = (what: string) => console.log(`  ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  await client.command({
    query: `INSERT INTO listings
      SELECT {networks:Array(String)}[intDiv(node, 40) + 1], concat('node-', toString(node)),
             toDateTime({end:String}, 'UTC') - toIntervalSecond({steps:UInt64} * {interval:UInt32}) - toIntervalDay(node % 30),
             toDateTime({end:String}, 'UTC') - toIntervalSecond({steps:UInt64} * {interval:UInt32}) - toIntervalDay(node % 30),
             {models:Array(String)}[if(node % 13 = 0, 1, node % 5 + 1)], 5, '', 'bench'
      FROM (SELECT number AS node FROM numbers(200))`,
    query_params: params,
  })
  for (let offset = 0; offset < SAMPLES; offset += CHUNK) {
    await client.command({
      query: `INSERT INTO telemetry_samples
        SELECT
          {networks:Array(String)}[intDiv(gpu, 200) + 1],
          concat('node-', toString(intDiv(gpu, 5))),
          concat('GPU-', toString(gpu)),
          toDateTime64({end:String}, 3, 'UTC') - toIntervalSecond(({steps:UInt64} - step) * {interval:UInt32}),
          {interval:UInt32},
          {models:Array(String)}[intDiv(gpu, 5) % 5 + 1],
          'NVIDIA GPU',
          81920,
          if(job != '', 55 + cityHash64(n) % 45, cityHash64(n) % 4),
          if(job != '', 40000, 0),
          if(job != '', 400 + (cityHash64(n, 1) % 20000) / 100, 60),
          if(job != '', 70, 35),
          job,
          if(intDiv(gpu, 5) % 10 < 7, 'signed', 'reported'),
          concat('b', toString(intDiv(step, 60)))
        FROM
        (
          SELECT number AS n, n % ${GPUS} AS gpu, intDiv(n, ${GPUS}) AS step,
                 if(cityHash64(gpu, intDiv(step, 90)) % 3 = 0,
                    concat('job-', toString(gpu), '-', toString(intDiv(step, 90))), '') AS job
          FROM numbers({offset:UInt64}, {count:UInt64})
        )`,
      query_params: { ...params, offset, count: Math.min(CHUNK, SAMPLES - offset) },
    })
    log(`telemetry ${Math.min(offset + CHUNK, SAMPLES).toLocaleString()} samples`)
  }
  await client.command({
    query: `INSERT INTO token_flows
      SELECT
        {networks:Array(String)}[n % 4 + 1], 'solana', n, '',
        toDateTime({end:String}, 'UTC') - toIntervalSecond(intDiv(({flows:UInt64} - n) * 31536000, {flows:UInt64})),
        lower(hex(SHA256(toString(n)))), 0, 'T', 'TOK',
        toDecimal128((cityHash64(n, 2) % 100000) / 100, 18), (cityHash64(n, 2) % 100000) / 100,
        multiIf(r < 6, 'customer_payment', r < 11, 'provider_payout', r < 16, 'reward_emission',
                r < 18, 'fee', r < 19, 'burn', 'other'),
        if(r < 6 OR r = 18, concat('cust-', toString(cityHash64(n, 1) % 20000)), 'pool'),
        'payee', if(r < 6 OR r = 18, concat('job-', toString(n)), ''), 'finalized', 1, 0
      FROM (SELECT number AS n, cityHash64(number) % 20 AS r FROM numbers({flows:UInt64}))`,
    query_params: { ...params, flows: FLOWS },
  })
  log(`token flows ${FLOWS.toLocaleString()}`)
  await client.command({
    query: `INSERT INTO job_events
      SELECT
        {networks:Array(String)}[j % 2 * 2 + 2] AS network, 'solana', concat('job-', toString(j)), ev,
        posted + toIntervalSecond(multiIf(ev = 'posted', 0, ev = 'started', queue, queue + run)),
        j, concat('tx-', toString(j), ev), 0,
        if(ev = 'posted', concat('cust-', toString(j % 5000)), ''),
        concat('node-', toString(j % 200)),
        if(ev = 'posted', {models:Array(String)}[j % 5 + 1], ''), if(ev = 'posted', 1 + j % 4, 0),
        multiIf(ev = 'posted', 'queued', ev = 'started', 'running', status),
        toDecimal128(if(ev = 'posted', 1 + (j % 500) / 10, 0), 18), 'TOK', if(ev = 'posted', 1 + (j % 500) / 10, NULL),
        'onchain', 1, 0
      FROM
      (
        SELECT number AS j,
               toDateTime({end:String}, 'UTC') - toIntervalSecond(intDiv(({jobs:UInt64} - j) * 31536000, {jobs:UInt64})) AS posted,
               30 + cityHash64(j) % 600 AS queue, 600 + cityHash64(j, 1) % 20000 AS run,
               multiIf(cityHash64(j, 2) % 100 < 90, 'succeeded', cityHash64(j, 2) % 100 < 96, 'failed',
                       cityHash64(j, 2) % 100 < 98, 'timed_out', 'cancelled') AS status,
               arrayJoin(if(status = 'cancelled', ['posted', 'finished'], ['posted', 'started', 'finished'])) AS ev
        FROM numbers({jobs:UInt64})
      )
      WHERE posted + toIntervalSecond(queue + run) < toDateTime({end:String}, 'UTC')`,
    query_params: { ...params, jobs: JOBS },
  })
  log(`jobs ${JOBS.toLocaleString()}`)
}

/** Every reader query of the API, recorded while `recording` is set. */
function recordingDb(db: Db): { db: Db; record: <T>(run: () => Promise<T>) => Promise<Recorded[]> } {
  let recording: Recorded[] | null = null
  const reader = new Proxy(db.reader, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (args: Parameters<ClickHouseClient['query']>[0]) => {
          recording?.push({ query: args.query, params: args.query_params ?? {} })
          return target.query(args)
        }
      }
      return Reflect.get(target, prop, receiver) as unknown
    },
  })
  return {
    db: { ...db, reader },
    async record(run) {
      recording = []
      await run()
      const done = recording
      recording = null
      return done
    },
  }
}

interface Recorded {
  query: string
  params: Record<string, unknown>
}

const percentile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN

async function timed(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await run()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await run()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
}

type Percentiles = Awaited<ReturnType<typeof timed>>

/** The real server over `db` on a free port, and a GraphQL request that fails on any error. */
async function serve(config: PlumbConfig, db: Db) {
  const app = await createApp({ config, db, catalog: loadCatalog() })
  await app.listen(0, '127.0.0.1')
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`
  const request = async (query: string): Promise<void> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    })
    const body = (await res.json()) as { errors?: unknown[] }
    if (body.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`)
  }
  return { request, close: () => app.close() }
}

/** --detail: the raw time of each SQL of a query on its own, named by its file's first line. */
async function detail(reader: ClickHouseClient, sql: Recorded[]): Promise<void> {
  for (const q of sql) {
    const t = await timed(async () => {
      await (await reader.query({ query: q.query, query_params: q.params, format: 'JSONEachRow' })).json()
    })
    const title = q.query
      .split('\n', 1)[0]
      ?.replace(/^--\s*/, '')
      .slice(0, 60)
    console.log(`    ${t.p50.toFixed(1).padStart(7)} ms p50  ${title}`)
  }
}

async function main(): Promise<void> {
  const dir = DIR ?? mkdtempSync(join(tmpdir(), 'plumb-bench-api-'))
  const fresh = !existsSync(join(dir, 'clickhouse'))
  const config = loadConfig({
    PLUMB_DATA_DIR: dir,
    PLUMB_LOG_LEVEL: 'error',
    PLUMB_API_RATE_LIMIT: '1000000',
  })
  const base = openDb(config)
  await migrate(base.writer)
  if (fresh) {
    console.log(
      `generating ${SAMPLES.toLocaleString()} samples, ${FLOWS.toLocaleString()} flows, ${JOBS.toLocaleString()} jobs in ${dir}`,
    )
    await generate(base.writer)
    // Generated with INSERT … SELECT, not through the Store: compute the daily snapshots once.
    await rebuildSnapshots(base.writer)
  }
  const counts = await (
    await base.writer.query({
      query: `SELECT (SELECT count() FROM telemetry_samples) AS samples, (SELECT count() FROM telemetry_hourly) AS hourly,
                     (SELECT count() FROM token_flows) AS flows, (SELECT count() FROM job_events) AS job_events`,
      format: 'JSONEachRow',
    })
  ).json<Record<string, string>>()
  console.log('data:', JSON.stringify(counts[0]))

  const { db, record } = recordingDb(base)
  // Uncached (every request runs its SQL: the figure beside raw ClickHouse), then with the result cache.
  const uncached = await serve({ ...config, PLUMB_API_CACHE_ENTRIES: 0 }, db)
  const cached = await serve(config, db)

  const rows: string[][] = []
  const measured: { name: string; api: Percentiles; raw: Percentiles; cached: Percentiles }[] = []
  for (const [name, query] of DASHBOARD) {
    const sql = await record(() => uncached.request(query))
    const api = await timed(() => uncached.request(query))
    const raw = await timed(async () => {
      for (const q of sql)
        await (
          await base.reader.query({ query: q.query, query_params: q.params, format: 'JSONEachRow' })
        ).json()
    })
    const hit = await timed(() => cached.request(query))
    rows.push([
      name,
      String(sql.length),
      api.p50.toFixed(1),
      api.p95.toFixed(1),
      raw.p50.toFixed(1),
      raw.p95.toFixed(1),
      (api.p50 / raw.p50).toFixed(2),
      hit.p50.toFixed(1),
      hit.p95.toFixed(1),
    ])
    measured.push({ name, api, raw, cached: hit })
    if (values.detail) await detail(base.reader, sql)
  }
  const head = [
    'query',
    'SQL',
    'API p50 ms',
    'API p95 ms',
    'raw p50 ms',
    'raw p95 ms',
    'API/raw',
    'cached p50 ms',
    'cached p95 ms',
  ]
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`)
  console.log(
    `\n${RUNS} runs each after 2 warm-ups; embedded ClickHouse (chdb) runs one query at a time.\n` +
      'API: every request runs its SQL (result cache off); cached: the same server with its result cache, ' +
      'data unchanged (server/core/result-cache.ts).',
  )
  const page = measured[0]
  if (page) {
    report({
      name: 'compare page p95, every SQL run (baseline: raw ClickHouse p95)',
      value: page.api.p95,
      unit: 'ms',
      baseline: page.raw.p95,
      ratio: page.api.p95 / page.raw.p95,
      target: { op: '<', value: 150 },
    })
    report({
      name: 'compare page p95, result cache, data unchanged (baseline: every SQL run)',
      value: page.cached.p95,
      unit: 'ms',
      baseline: page.api.p95,
      ratio: page.cached.p95 / page.api.p95,
      target: { op: '<', value: 150 },
    })
  }
  const worst = measured.reduce<(typeof measured)[number] | undefined>(
    (w, m) => (w && w.api.p50 / w.raw.p50 >= m.api.p50 / m.raw.p50 ? w : m),
    undefined,
  )
  if (worst) {
    report({
      name: 'API/raw p50, worst query',
      value: worst.api.p50 / worst.raw.p50,
      unit: '',
      target: { op: '<=', value: 1.2 },
      note: worst.name,
    })
  }

  await uncached.close()
  await cached.close()
  await base.close()
  if (!DIR) rmSync(dir, { recursive: true, force: true })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
