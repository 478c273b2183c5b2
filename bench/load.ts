/**
 * The dashboard under load while telemetry is ingested:
 *
 *   node --import @swc-node/register/esm-register bench/load.ts [--connections 100] [--duration 60]
 *       [--rate 50000] [--batch 2000] [--days 30] [--timeout 60] [--parse-every 10] [--nodes N]
 *
 * - data: the demo world (test/support/demo-db.ts: `days` of history up to now, settlements replayed
 *   on the devnets and indexed by the chain sources, telemetry, listings, prices), about a minute
 *   to prepare at 30 days, not timed;
 * - the real server (createApp) on 127.0.0.1 with the API rate limit lifted (every request comes
 *   from one address) and every other setting at its default (PLUMB_INGEST_*, PLUMB_QUERY_* and
 *   PLUMB_API_* from the environment are passed on: PLUMB_API_MAX_STALE_S=5 lets the result cache
 *   answer up to 5 s behind the data, README.md);
 * - autocannon in a worker thread: `connections` connections send the dashboard's queries
 *   (bench/dashboard-queries.ts) to /graphql for `duration` seconds, each connection in the
 *   dashboard's order from its own starting query, round and round (closed loop: a connection sends
 *   its next request when the previous one is answered); every body is scanned for GraphQL errors, every
 *   `parse-every`-th one parsed in full; a request unanswered after `timeout` s is an error (the
 *   server goes on working on it: it does not cancel the queries of a client gone away);
 * - at the same time, in another worker thread, ed25519-signed batches of `batch` samples from
 *   8-GPU nodes POSTed to /ingest/v1/telemetry at `rate` samples/s offered (503 and 429 retried
 *   after Retry-After, a request without an answer after 1 s, as the agent does);
 * - at the end: the ingest lag (until everything acknowledged is in ClickHouse, drain()), and the
 *   sending nodes' rows in telemetry_samples counted against what was acknowledged.
 * Targets: GraphQL p99 < 500 ms and 0 errors; ingest at ≥ 98 % of the offered rate.
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { openDemoDb } from '../test/support/demo-db.js'
import { runLoad } from './load-run.js'
import { formatMet, formatNumber, formatTarget, markdownTable, report, textTable } from './report.js'

const { values } = parseArgs({
  // npm run bench may pass arguments meant for other benchmarks: ignore those.
  strict: false,
  allowPositionals: true,
  options: {
    connections: { type: 'string', default: '100' },
    duration: { type: 'string', default: '60' },
    rate: { type: 'string', default: '50000' },
    batch: { type: 'string', default: '2000' },
    days: { type: 'string', default: '30' },
    timeout: { type: 'string', default: '60' },
    'parse-every': { type: 'string', default: '10' },
    nodes: { type: 'string' },
  },
})
const P99_TARGET_MS = 500
const INGEST_SHARE = 0.98

const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => k.startsWith('PLUMB_INGEST_') || k.startsWith('PLUMB_QUERY_') || k.startsWith('PLUMB_API_'),
  ),
)
const days = Number(values.days)
const n = (x: number) => formatNumber(x)

console.log(`preparing the demo world: ${days} days up to now …`)
const preparing = performance.now()
const temp = openDemoDb({ days }).then((t) => {
  console.log(`  ready in ${((performance.now() - preparing) / 1000).toFixed(0)} s`)
  return t
})
try {
  const r = await runLoad({
    temp, // prepared while the load's worker threads start
    connections: Number(values.connections),
    durationS: Number(values.duration),
    rate: Number(values.rate),
    batch: Number(values.batch),
    timeoutS: Number(values.timeout),
    parseEvery: Number(values['parse-every']),
    ...(typeof values.nodes === 'string' ? { nodes: Number(values.nodes) } : {}),
    env,
    log: (line) => console.log(line),
  })
  const { api, ingest } = r
  const storedOnce = r.storedSamples === ingest.acknowledgedSamples && r.distinctSamples === r.storedSamples
  const statuses = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([code, count]) => `${code}: ${n(count)}`)
      .join(', ')

  const rows: [string, string][] = [
    [
      `GraphQL requests answered (${r.connections} connections)`,
      `${n(api.requests)} in ${n(api.durationS)} s`,
    ],
    [
      'API result cache (PLUMB_API_MAX_STALE_S)',
      env.PLUMB_API_MAX_STALE_S && Number(env.PLUMB_API_MAX_STALE_S) > 0
        ? `answers up to ${env.PLUMB_API_MAX_STALE_S} s behind the data`
        : 'exact: every answer reflects every change before it (0, the default)',
    ],
    ['requests/s', n(api.requestsPerS)],
    [
      'latency p50 / p90 / p99 / max',
      `${n(api.latency.p50)} / ${n(api.latency.p90)} / ${n(api.latency.p99)} / ${n(api.latency.max)} ms`,
    ],
    ['HTTP statuses', statuses(api.statuses)],
    ['non-2xx', n(api.non2xx)],
    ['connection errors (timeouts among them)', `${n(api.errors)} (${n(api.timeouts)})`],
    [
      'GraphQL errors in bodies',
      `${n(api.graphqlErrors)} of ${n(api.bodiesScanned)} scanned; ${n(api.bodiesWithoutData)} of ${n(api.bodiesParsed)} parsed without data`,
    ],
    [
      `telemetry offered (${r.nodes} nodes, batches of ${r.batch})`,
      `${n(r.rate)} samples/s: ${n(ingest.scheduledSamples)} samples in ${n(ingest.scheduledBatches)} batches`,
    ],
    [
      'acknowledged',
      `${n(ingest.acknowledgedSamples)} samples in ${n(ingest.acknowledgedBatches)} batches, the last at ${n(ingest.lastAckMs / 1000)} s`,
    ],
    [
      'achieved samples/s',
      `${n(r.achievedSamplesPerS)} (${n((100 * r.achievedSamplesPerS) / r.rate)} % of offered)`,
    ],
    ['ingest HTTP statuses', statuses(ingest.statuses)],
    ['503 / 429 answers (retried)', `${n(ingest.retried503)} / ${n(ingest.retried429)}`],
    [
      'no answer (sent again) / 409 duplicate to those',
      `${n(ingest.networkErrors)} / ${n(ingest.duplicates)}`,
    ],
    ['ingest failures', n(ingest.failed)],
    ['sender lateness mean / worst', `${n(ingest.meanLateMs)} / ${n(ingest.maxLateMs)} ms`],
    ['generating and signing before the start (sender thread)', `${n(ingest.generateMs / 1000)} s`],
    ['ingest lag at the end (drain)', `${n(r.lagMs)} ms`],
    [
      'server busy after the end (requests left unanswered)',
      Number.isNaN(r.settleMs) ? 'still busy after 5 min' : `${n(r.settleMs)} ms`,
    ],
    [
      'stored rows / distinct (node, GPU, time)',
      `${n(r.storedSamples)} / ${n(r.distinctSamples)}: ${storedOnce ? 'each acknowledged sample once' : 'NOT equal to acknowledged'}`,
    ],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  console.log(
    `\nLoad benchmark (embedded ClickHouse, demo world of ${days} days, ${os.cpus().length} cores, ` +
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')})\n`,
  )
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)

  console.log('\nPer query (autocannon response times, ms)\n')
  console.log(
    textTable(
      ['query', 'requests', 'p50', 'p90', 'p99', 'max'],
      api.perQuery.map((q) => [q.name, n(q.count), n(q.p50), n(q.p90), n(q.p99), n(q.max)]),
    ),
  )
  for (const s of [
    ...api.non2xxSamples,
    ...api.graphqlErrorSamples,
    ...api.errorSamples,
    ...ingest.failures,
  ]) {
    console.log(`  sample problem: ${s}`)
  }

  const figures = [
    report({ name: 'GraphQL requests/s under ingest', value: api.requestsPerS, unit: 'req/s' }),
    report({ name: 'GraphQL latency p50', value: api.latency.p50, unit: 'ms' }),
    report({
      name: 'GraphQL latency p99',
      value: api.latency.p99,
      unit: 'ms',
      target: { op: '<', value: P99_TARGET_MS },
    }),
    report({ name: 'GraphQL requests still unanswered at the end', value: api.unansweredAtEnd, unit: '' }),
    report({
      name: 'errors (GraphQL, non-2xx, connection/timeout, ingest)',
      value: r.errors,
      unit: '',
      target: { op: '=', value: 0 },
    }),
    report({
      name: 'ingest achieved (baseline: offered)',
      value: r.achievedSamplesPerS,
      unit: 'samples/s',
      baseline: r.rate,
      ratio: r.achievedSamplesPerS / r.rate,
      target: { op: '>=', value: INGEST_SHARE * r.rate },
    }),
    report({ name: 'ingest lag at the end (drain)', value: r.lagMs, unit: 'ms' }),
    report({ name: 'ingest 503 answers (retried)', value: ingest.retried503, unit: '' }),
    report({ name: 'ingest 429 answers (retried)', value: ingest.retried429, unit: '' }),
    report({
      name: 'stored minus acknowledged samples',
      value: r.storedSamples - ingest.acknowledgedSamples,
      unit: '',
      target: { op: '=', value: 0 },
    }),
    report({
      name: 'samples stored twice',
      value: r.storedSamples - r.distinctSamples,
      unit: '',
      target: { op: '=', value: 0 },
    }),
  ]
  console.log('\nTargets\n')
  console.log(
    markdownTable(
      ['figure', 'value', 'target', 'met'],
      figures
        .filter((f) => f.target)
        .map((f) => [
          f.name,
          `${n(f.value ?? NaN)} ${f.unit}`.trim(),
          formatTarget(f.target, f.unit),
          formatMet(f.met),
        ]),
    ),
  )
} finally {
  await (await temp).dispose()
}
