/**
 * The load run of bench/load.ts and test/load/load.test.ts: the real server (createApp, through
 * test/support/test-app.ts) over a prepared database, the dashboard's GraphQL queries from
 * autocannon in one worker thread WHILE signed telemetry batches are POSTed at a fixed rate from
 * another; then the ingest is drained and what it stored is counted.
 */
import { basename } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ClickHouseClient } from '@clickhouse/client'
import type { Db } from '../ingest/store/db.js'
import { TelemetryIngest, type IngestStats } from '../ingest/telemetry/service.js'
import type { TempDb } from '../test/support/temp-db.js'
import { startTestApp, type TestApp } from '../test/support/test-app.js'
import { DASHBOARD } from './dashboard-queries.js'
import type { CannonJob, CannonResult } from './load-cannon.js'
import { GPUS_PER_NODE, type SenderMessage, type SenderResult } from './load-sender.js'

export interface LoadOptions {
  /**
   * A migrated database holding the data the queries read, or its preparation (the worker threads
   * start meanwhile); the caller disposes it.
   */
  temp: TempDb | Promise<TempDb>
  /** Concurrent GraphQL connections. */
  connections: number
  durationS: number
  /** Offered telemetry samples per second. */
  rate: number
  /** Samples per batch (a multiple of 8: nodes have 8 GPUs). */
  batch: number
  /** A GraphQL request unanswered after this many seconds is an error. */
  timeoutS: number
  /** Parse every n-th GraphQL body in full (every body is scanned for "errors"). */
  parseEvery: number
  /** Send each dashboard query once before the run (default true): they answer, the server is warm. */
  warmUp?: boolean
  /** Nodes sending telemetry; default: enough for each to stay at half its rate limit. */
  nodes?: number
  network?: string
  /** Server settings (PLUMB_*) on top of the test defaults; the API rate limit is lifted. */
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
}

export interface LoadResult {
  connections: number
  durationS: number
  rate: number
  batch: number
  nodes: number
  api: CannonResult
  ingest: SenderResult
  /** Acknowledged samples over the run's duration (or up to the last acknowledgement, if later). */
  achievedSamplesPerS: number
  /** From the sender's end to everything acknowledged being in ClickHouse (TelemetryIngest.drain()). */
  lagMs: number
  /** Rows of the sending nodes in telemetry_samples after the drain, and distinct (node, GPU, time). */
  storedSamples: number
  distinctSamples: number
  /** GraphQL errors, non-2xx, connection errors and timeouts, bodies without data, ingest failures. */
  errors: number
  /**
   * After the run, until the API's last ClickHouse query ended: requests the load left unanswered
   * at its end (autocannon drops them) are still being worked on by the server. NaN: still busy
   * after 5 minutes (the run ends anyway).
   */
  settleMs: number
  stats: IngestStats
}

/** Sampling interval of the sending nodes' GPUs. */
const INTERVAL_S = 10

interface Ready {
  ready: true
}
type Outcome<T> = { ok: true; result: T } | { ok: false; error: string }

/**
 * A worker thread running a TypeScript file of bench/ (through @swc-node/register, as npm run bench
 * does, and also under vitest, whose own transform does not reach worker threads).
 */
function startWorker<J, R>(
  file: string,
): { ready: Promise<void>; run(job: J): Promise<R>; stop(): Promise<number> } {
  const worker = new Worker(new URL(file, import.meta.url), {
    execArgv: ['--import', '@swc-node/register/esm-register'],
    workerData: basename(file, '.ts'),
  })
  let failed: (error: Error) => void = () => undefined
  const crashed = new Promise<never>((_, reject) => (failed = reject))
  crashed.catch(() => undefined)
  worker.once('error', failed)
  worker.once('exit', (code) => failed(new Error(`${file} exited with ${code}`)))
  const next = <T>() =>
    Promise.race([new Promise<T>((resolve) => worker.once('message', (m: T) => resolve(m))), crashed])
  const ready = next<Ready>().then(() => undefined)
  return {
    ready,
    async run(job) {
      const done = next<Outcome<R>>()
      worker.postMessage(job)
      const outcome = await done
      if (!outcome.ok) throw new Error(`${file}: ${outcome.error}`)
      return outcome.result
    },
    stop: () => worker.terminate(),
  }
}

/** The API's queries in progress (the read-only client), to know when the server is quiet again. */
function countingDb(db: Db): { db: Db; active: () => number } {
  let active = 0
  const reader = new Proxy(db.reader, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown
      return async (args: Parameters<ClickHouseClient['query']>[0]) => {
        active++
        try {
          return await target.query(args)
        } finally {
          active--
        }
      }
    },
  })
  return { db: { ...db, reader }, active: () => active }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Waits until no API query has run for `quietMs` (a request runs its queries one after another),
 * for at most `maxMs`; returns how long after the call the last one ended (NaN: still busy).
 */
async function settle(active: () => number, quietMs = 500, maxMs = 300_000): Promise<number> {
  const started = performance.now()
  let quietSince = started
  while (performance.now() - quietSince < quietMs) {
    if (performance.now() - started > maxMs) return NaN
    await sleep(25)
    if (active() > 0) quietSince = performance.now()
  }
  return quietSince - started
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => undefined)
  const network = options.network ?? 'ionet'
  if (options.batch % GPUS_PER_NODE !== 0) throw new Error(`--batch must be a multiple of ${GPUS_PER_NODE}`)
  const sender = startWorker<SenderMessage, number | SenderResult>('./load-sender.ts')
  const api = startWorker<CannonJob, CannonResult>('./load-cannon.ts')
  let app: TestApp | undefined
  try {
    const temp = await options.temp
    const counting = countingDb(temp.db)
    app = await startTestApp(
      { PLUMB_LOG_LEVEL: 'error', ...options.env, PLUMB_API_RATE_LIMIT: '1000000000' },
      { temp: { ...temp, db: counting.db } },
    )
    const { config } = app
    // Each node sends at half its rate limit; its data must stay within the accepted age.
    const batchesPerS = options.rate / options.batch
    const maxAgeMs = config.PLUMB_INGEST_MAX_AGE_H * 3_600_000
    const spanMs = maxAgeMs - 2 * 3_600_000
    const batchSpanMs = (options.batch / GPUS_PER_NODE) * INTERVAL_S * 1000
    const nodes =
      options.nodes ??
      Math.max(
        1,
        Math.ceil((2 * batchesPerS) / config.PLUMB_INGEST_NODE_RATE),
        Math.ceil((batchesPerS * options.durationS * batchSpanMs) / spanMs),
      )

    if (options.warmUp !== false) {
      for (const [name, query] of DASHBOARD) {
        const { errors } = await app.graphql(query)
        if (errors) throw new Error(`${name}: ${JSON.stringify(errors)}`)
      }
    }
    await Promise.all([sender.ready, api.ready])
    const durationMs = options.durationS * 1000
    // Every batch generated and signed before the clock starts (bench/load-sender.ts).
    await sender.run({
      prepare: {
        url: `${app.url}/ingest/v1/telemetry`,
        network,
        rate: options.rate,
        batch: options.batch,
        durationMs,
        nodes,
        startTimeMs: Date.now() - maxAgeMs + 3_600_000,
        intervalS: INTERVAL_S,
        seed: 7,
        retryForMs: 60_000,
      },
    })
    log(
      `load: ${options.connections} GraphQL connections for ${options.durationS} s, telemetry ${options.rate.toLocaleString('en-US')} samples/s ` +
        `in batches of ${options.batch} from ${nodes} nodes`,
    )

    const ingest = app.app.get(TelemetryIngest)
    let lagMs = NaN
    const sending = sender.run({ send: true }).then(async (result) => {
      if (typeof result === 'number') throw new Error('the sender answered send with a preparation')
      const ended = performance.now()
      await ingest.drain()
      lagMs = performance.now() - ended
      return result
    })
    const querying = api.run({
      url: app.url,
      connections: options.connections,
      durationS: options.durationS,
      timeoutS: options.timeoutS,
      queries: DASHBOARD,
      parseEvery: options.parseEvery,
    })
    const [sent, answered] = await Promise.all([sending, querying])
    const settleMs = await settle(counting.active)

    const [stored] = await (
      await app.db.writer.query({
        query: `SELECT count() AS n, uniqExact(node_id, gpu_uuid, time) AS d FROM telemetry_samples
                WHERE network = {network:String} AND node_id IN {nodes:Array(String)}`,
        query_params: { network, nodes: sent.nodeIds },
        format: 'JSONEachRow',
      })
    ).json<{ n: string; d: string }>()
    const errors =
      answered.errors + answered.non2xx + answered.graphqlErrors + answered.bodiesWithoutData + sent.failed
    return {
      connections: options.connections,
      durationS: options.durationS,
      rate: options.rate,
      batch: options.batch,
      nodes,
      api: answered,
      ingest: sent,
      achievedSamplesPerS: sent.acknowledgedSamples / (Math.max(durationMs, sent.lastAckMs) / 1000),
      lagMs,
      storedSamples: Number(stored?.n),
      distinctSamples: Number(stored?.d),
      errors,
      settleMs,
      stats: ingest.stats(),
    }
  } finally {
    await Promise.all([sender.stop(), api.stop()])
    await app?.close()
  }
}
