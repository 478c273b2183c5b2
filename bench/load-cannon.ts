/**
 * GraphQL load of bench/load.ts, in a worker thread (autocannon's connections do not run on the
 * server's event loop): every connection sends the dashboard's queries (bench/dashboard-queries.ts)
 * in order, round and round, to /graphql for `durationS` seconds; connection c starts at the c-th.
 *
 * autocannon runs here as in its own multi-thread mode: in a worker thread it resolves raw counts,
 * without latency percentiles; those are computed here from its per-response times.
 *
 * Every body is scanned for `"errors"` (a GraphQL error comes with HTTP 200); every `parseEvery`-th
 * one is parsed and must hold `data` with every top-level field set. Per-query latencies come from
 * autocannon's own response times (its `response` event follows the request's `onResponse` at once).
 */
import { serveJobs } from './worker-jobs.js'
import autocannon, { type Request } from 'autocannon'

export interface CannonJob {
  /** http://host:port */
  url: string
  connections: number
  durationS: number
  /** A request unanswered after this many seconds counts as an error (a timeout). */
  timeoutS: number
  /** [name, query] */
  queries: [string, string][]
  parseEvery: number
}

export interface Latency {
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

export interface CannonResult {
  durationS: number
  /** Answered (any status). */
  requests: number
  sent: number
  /** Requests still waiting for their answer when the run ended (dropped by autocannon, no error). */
  unansweredAtEnd: number
  requestsPerS: number
  /** ms, of every answered request. */
  latency: Latency
  /** Connection errors and timeouts (autocannon counts timeouts among errors). */
  errors: number
  timeouts: number
  errorSamples: string[]
  non2xx: number
  statuses: Record<string, number>
  non2xxSamples: string[]
  /** Bodies holding `"errors"`, and the first few of them. */
  graphqlErrors: number
  graphqlErrorSamples: string[]
  bodiesScanned: number
  bodiesParsed: number
  /** Parsed bodies without data, or with a top-level field null. */
  bodiesWithoutData: number
  perQuery: ({ name: string; count: number } & Latency)[]
}

function latencyOf(sorted: number[]): Latency {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
  const mean = sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN, mean }
}

export async function cannon(job: CannonJob): Promise<CannonResult> {
  const times: number[][] = job.queries.map(() => [])
  const keep = (list: string[], what: string) => {
    if (list.length < 5) list.push(what.slice(0, 300))
  }
  const out = {
    graphqlErrors: 0,
    graphqlErrorSamples: [] as string[],
    bodiesScanned: 0,
    bodiesParsed: 0,
    bodiesWithoutData: 0,
    non2xxSamples: [] as string[],
    errorSamples: [] as string[],
  }
  let last = -1
  const request = (i: number): Request => {
    const [name, query] = job.queries[i] ?? ['', '']
    return {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      onResponse(status, body) {
        last = i
        if (status < 200 || status > 299) {
          keep(out.non2xxSamples, `${name}: ${status} ${body}`)
          return
        }
        out.bodiesScanned++
        if (body.includes('"errors"')) {
          out.graphqlErrors++
          keep(out.graphqlErrorSamples, `${name}: ${body}`)
        }
        if (out.bodiesScanned % job.parseEvery === 0) {
          out.bodiesParsed++
          const parsed = JSON.parse(body) as { data?: Record<string, unknown> | null }
          if (!parsed.data || Object.values(parsed.data).some((v) => v === null || v === undefined)) {
            out.bodiesWithoutData++
            keep(out.graphqlErrorSamples, `${name}: no data: ${body}`)
          }
        }
      },
    }
  }
  // Connection c starts at query c mod n: users are on different pages, not all on the first.
  const n = job.queries.length
  const from = (start: number) => job.queries.map((_, j) => request((start + j) % n))
  let clients = 0
  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationS,
    timeout: job.timeoutS,
    requests: from(0),
    setupClient: (client) => client.setRequests(from(clients++ % n)),
  })
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (last >= 0) times[last]?.push(ms)
    last = -1
  })
  instance.on('reqError', (error: unknown) =>
    keep(out.errorSamples, error instanceof Error ? error.message : String(error)),
  )
  const r = await instance
  const all = times.flat().sort((a, b) => a - b)
  return {
    durationS: r.duration,
    requests: all.length,
    sent: r.totalRequests,
    unansweredAtEnd: Math.max(0, r.totalRequests - all.length - r.timeouts),
    requestsPerS: all.length / r.duration,
    latency: latencyOf(all),
    errors: r.errors,
    timeouts: r.timeouts,
    errorSamples: out.errorSamples,
    non2xx: r.non2xx,
    statuses: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
    non2xxSamples: out.non2xxSamples,
    graphqlErrors: out.graphqlErrors,
    graphqlErrorSamples: out.graphqlErrorSamples,
    bodiesScanned: out.bodiesScanned,
    bodiesParsed: out.bodiesParsed,
    bodiesWithoutData: out.bodiesWithoutData,
    perQuery: job.queries.map(([name], i) => {
      const sorted = (times[i] ?? []).sort((a, b) => a - b)
      return { name, count: sorted.length, ...latencyOf(sorted) }
    }),
  }
}

serveJobs('load-cannon', cannon)
