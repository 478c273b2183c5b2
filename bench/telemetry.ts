/**
 * Telemetry ingest throughput and storage:
 *
 *   node --import @swc-node/register/esm-register bench/telemetry.ts [--samples 400000] [--batch 2000] [--lanes 4]
 *
 * - samples/s end to end: signed batches POSTed to /ingest/v1/telemetry of the real server (a
 *   worker thread sends; the server validates, verifies ed25519, writes the WAL, acknowledges),
 *   timed until every sample is in ClickHouse;
 * - beside it, in the same run and the same embedded ClickHouse, `client.insert` of the same rows
 *   (one insert per batch, and in 100k-row inserts); the ratio is end to end / the faster of the two;
 * - bytes per stored sample after OPTIMIZE TABLE ... FINAL, from system.parts and system.columns.
 *
 * The data: nodes of 8 GPUs sampled every 10 s (a few ms of timer jitter); each GPU alternates
 * jobs and idle spells of 10–60 min: utilisation 95–100 % and 560–680 W while busy, 0–1 % and
 * 65–75 W idle (watts with nvidia-smi's two decimals), memory constant per job, temperature
 * drifting towards its load level.
 */
import { parseArgs } from 'node:util'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Worker } from 'node:worker_threads'
import type { TelemetrySampleRow } from '../ingest/store/rows.js'
import type { UnsignedBatch } from '../ingest/telemetry/batch.js'
import { signedRows } from '../ingest/telemetry/rows.js'
import { TelemetryIngest } from '../ingest/telemetry/service.js'
import { signBatch } from '../ingest/telemetry/sign-batch.js'
import { ed25519Signer, type NodeSigner } from '../ingest/telemetry/signature.js'
import { parseBatch } from '../ingest/telemetry/validate.js'
import { createPrng } from '../devnet/faults/prng.js'
import { startTestApp } from '../test/support/test-app.js'
import { gpuReading, h100Gpus, simulatedGpu, stepGpu } from './simulated-gpu.js'
import { report } from './report.js'
import type { ClientJob, ClientResult } from './telemetry-client.js'

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '400000' },
    batch: { type: 'string', default: '2000' },
    lanes: { type: 'string', default: '4' },
  },
})
const GPUS = 8
const INTERVAL_S = 10
/** Busy and idle spells of 60–360 samples (10–60 min). */
const SPELL = [60, 300] as const
const total = Number(values.samples)
const perBatch = Number(values.batch)
const lanes = Number(values.lanes)
if (perBatch % GPUS !== 0) throw new Error(`--batch must be a multiple of ${GPUS}`)

interface Generated {
  bodies: string[][]
  rows: TelemetrySampleRow[]
  batches: number
}

function generate(): Generated {
  const rand = createPrng(42)
  const batches = Math.ceil(total / perBatch)
  const perNode = 4
  const nodes = Math.ceil(batches / perNode)
  const samplesPerGpu = perBatch / GPUS
  const start = Date.now() - 3 * 86_400_000
  const now = Date.now()
  const bodiesByLane: string[][] = Array.from({ length: lanes }, () => [])
  const rows: TelemetrySampleRow[] = []
  let made = 0
  for (let n = 0; n < nodes && made < batches; n++) {
    const seed = new Uint8Array(32).map(() => Math.floor(rand() * 256))
    const signer: NodeSigner = ed25519Signer(keypair(seed))
    const gpus = Array.from({ length: GPUS }, () => simulatedGpu(rand))
    for (let b = 0; b < perNode && made < batches; b++, made++) {
      const samples: UnsignedBatch['samples'] = []
      for (let i = 0; i < samplesPerGpu; i++) {
        const t = start + (b * samplesPerGpu + i) * INTERVAL_S * 1000
        gpus.forEach((state, g) => {
          const jitterMs = Math.floor(rand() * 20)
          stepGpu(state, rand, SPELL)
          samples.push({ ...gpuReading(state, rand), gpu: g, time: new Date(t + jitterMs).toISOString() })
        })
      }
      const unsigned: UnsignedBatch = {
        version: 1,
        network: 'ionet',
        nodeId: signer.publicKey,
        keyType: signer.keyType,
        publicKey: signer.publicKey,
        seq: b + 1,
        intervalS: INTERVAL_S,
        gpus: h100Gpus(signer.publicKey, GPUS),
        samples,
      }
      const body = JSON.stringify(signBatch(unsigned, signer))
      bodiesByLane[n % lanes]?.push(body)
      const parsed = parseBatch(JSON.parse(body), {
        now,
        maxAgeMs: 7 * 86_400_000,
        networks: new Set(['ionet']),
      })
      if (!parsed.ok) throw new Error(`generated an invalid batch: ${parsed.problem.reason}`)
      rows.push(...signedRows(parsed.value))
    }
  }
  return { bodies: bodiesByLane, rows, batches }
}

function keypair(seed: Uint8Array): Uint8Array {
  return Uint8Array.from([...seed, ...ed25519.getPublicKey(seed)])
}

function perSecond(n: number, ms: number): string {
  return Math.round(n / (ms / 1000)).toLocaleString('en-US')
}

async function main(): Promise<void> {
  const t = await startTestApp({
    PLUMB_INGEST_NODE_RATE: '100000',
    PLUMB_INGEST_NODE_BURST: '100000',
    PLUMB_INGEST_MAX_BACKLOG_MB: '256',
    PLUMB_INGEST_MAX_AGE_H: '168',
  })
  const worker = new Worker(new URL('./telemetry-client.ts', import.meta.url))
  try {
    const generating = performance.now()
    const data = generate()
    const generateMs = performance.now() - generating
    const count = async (): Promise<number> => {
      const r = await t.db.reader.query({
        query: 'SELECT count() AS n FROM telemetry_samples',
        format: 'JSONEachRow',
      })
      return Number((await r.json<{ n: string }>())[0]?.n)
    }
    const truncate = async (): Promise<void> => {
      await t.db.writer.command({ query: 'TRUNCATE TABLE telemetry_samples' })
      await t.db.writer.command({ query: 'TRUNCATE TABLE telemetry_hourly' })
    }

    // Direct inserts of the same rows: one insert per batch, then 100k-row inserts.
    const direct = async (chunk: number): Promise<number> => {
      await truncate()
      const started = performance.now()
      for (let i = 0; i < data.rows.length; i += chunk) {
        await t.db.writer.insert({
          table: 'telemetry_samples',
          values: data.rows.slice(i, i + chunk),
          format: 'JSONEachRow',
        })
      }
      const ms = performance.now() - started
      if ((await count()) !== data.rows.length) throw new Error('direct insert lost rows')
      return ms
    }
    const perBatchMs = await direct(perBatch)
    const bulkMs = await direct(100_000)
    await truncate()
    // The server under test runs in this thread: it must not carry the baseline's row objects (and
    // the request bodies, once the client has them) through its garbage collections.
    const n = data.rows.length
    data.rows = []

    // End to end over HTTP.
    const ingest = t.app.get(TelemetryIngest)
    const job: ClientJob = { url: `${t.url}/ingest/v1/telemetry`, lanes: data.bodies }
    const started = performance.now()
    const client = new Promise<ClientResult>((resolve) => worker.once('message', resolve))
    worker.postMessage(job)
    data.bodies = []
    const sent = await client
    await ingest.drain()
    const e2eMs = performance.now() - started
    if (sent.failed.length > 0) throw new Error(`refused: ${sent.failed.slice(0, 3).join('; ')}`)
    const stored = await count()
    if (stored !== n) throw new Error(`stored ${stored} of ${n}`)

    await t.db.writer.command({ query: 'OPTIMIZE TABLE telemetry_samples FINAL' })
    const [parts] = await (
      await t.db.reader.query({
        query: `SELECT sum(rows) AS rows, sum(bytes_on_disk) AS disk, sum(data_compressed_bytes) AS compressed,
                       sum(data_uncompressed_bytes) AS raw, count() AS parts
                FROM system.parts WHERE database = currentDatabase() AND table = 'telemetry_samples' AND active`,
        format: 'JSONEachRow',
      })
    ).json<{ rows: string; disk: string; compressed: string; raw: string; parts: string }>()
    const columns = await (
      await t.db.reader.query({
        query: `SELECT name, data_compressed_bytes AS bytes FROM system.columns
                WHERE database = currentDatabase() AND table = 'telemetry_samples' ORDER BY data_compressed_bytes DESC`,
        format: 'JSONEachRow',
      })
    ).json<{ name: string; bytes: string }>()

    const bestDirectMs = Math.min(perBatchMs, bulkMs)
    const bytesPerSample = Number(parts?.disk) / n
    const table: [string, string][] = [
      [
        'samples (ed25519-signed batches)',
        `${n.toLocaleString('en-US')} in ${data.batches} batches of ${perBatch}`,
      ],
      ['generation and signing (not timed)', `${(generateMs / 1000).toFixed(1)} s`],
      ['client.insert, one insert per batch', `${perSecond(n, perBatchMs)} samples/s`],
      ['client.insert, 100k rows per insert', `${perSecond(n, bulkMs)} samples/s`],
      [`HTTP, acknowledged (${lanes} lanes)`, `${perSecond(n, sent.ms)} samples/s`],
      ['HTTP, end to end (all in ClickHouse)', `${perSecond(n, e2eMs)} samples/s`],
      ['ratio end to end / best client.insert', (bestDirectMs / e2eMs).toFixed(2)],
      ['retried (503 backpressure / 429)', `${sent.retried[503] ?? 0} / ${sent.retried[429] ?? 0}`],
      ['targets', '>= 250,000 samples/s, ratio >= 0.5, <= 4 bytes/sample'],
      [
        'stored bytes on disk (OPTIMIZE FINAL)',
        `${Number(parts?.disk).toLocaleString('en-US')} in ${parts?.parts} part(s)`,
      ],
      ['bytes per stored sample (on disk)', bytesPerSample.toFixed(2)],
      [
        'bytes per sample, column data',
        `${(Number(parts?.compressed) / n).toFixed(2)} (uncompressed ${(Number(parts?.raw) / n).toFixed(1)})`,
      ],
    ]
    for (const c of columns) table.push([`  ${c.name}`, (Number(c.bytes) / n).toFixed(3)])
    const width = Math.max(...table.map(([k]) => k.length))
    console.log(
      `\nTelemetry ingest benchmark (embedded ClickHouse, ${GPUS} GPUs per node, ${INTERVAL_S} s interval)\n`,
    )
    for (const [k, v] of table) console.log(`${k.padEnd(width)}  ${v}`)
    report({
      name: 'HTTP end to end (baseline: best client.insert)',
      value: n / (e2eMs / 1000),
      unit: 'samples/s',
      baseline: n / (bestDirectMs / 1000),
      ratio: bestDirectMs / e2eMs,
      target: { op: '>=', value: 250_000 },
    })
    report({
      name: 'ratio end to end / best client.insert',
      value: bestDirectMs / e2eMs,
      unit: '',
      target: { op: '>=', value: 0.5 },
    })
    report({
      name: 'bytes per stored sample (on disk)',
      value: bytesPerSample,
      unit: 'B',
      target: { op: '<=', value: 4 },
    })
  } finally {
    await worker.terminate()
    await t.close()
  }
}

await main()
