/**
 * Telemetry sender of bench/load.ts, in a worker thread (its generating, signing and sending do
 * not run on the server's event loop): ed25519-signed batches of `nodes` nodes with 8 GPUs each,
 * POSTed to /ingest/v1/telemetry at a fixed offered rate.
 *
 * Batch k is due at k / (rate / batch) seconds after the start and goes to node k mod nodes, whose
 * batches leave one at a time in sequence order (as an agent's do), so a sender that falls behind
 * shows as lateness, not as a queue of ready bodies. Every batch is generated and signed before the
 * start: on a machine of few cores the sender would otherwise take its CPU from the server under
 * test (about 25–50 s of a 60 s run at 50k samples/s). 503 and 429 are retried after their Retry-After, and a request without an answer
 * after 1 s, as the agent does, for at most `retryForMs` after the end of the run; other answers
 * are failures (counted, first ones kept).
 */
import { serveJobs } from './worker-jobs.js'
import { ed25519 } from '@noble/curves/ed25519.js'
import { canonicalJsonOfValid, SIGNING_DOMAIN, type UnsignedBatch } from '../ingest/telemetry/batch.js'
import { ed25519Signer, type NodeSigner } from '../ingest/telemetry/signature.js'
import { createPrng } from '../devnet/faults/prng.js'
import { gpuReading, h100Gpus, simulatedGpu, stepGpu, type SimulatedGpu } from './simulated-gpu.js'

export const GPUS_PER_NODE = 8

export interface SenderJob {
  /** http://host:port/ingest/v1/telemetry */
  url: string
  network: string
  /** Offered samples per second. */
  rate: number
  /** Samples per batch: a multiple of GPUS_PER_NODE. */
  batch: number
  durationMs: number
  nodes: number
  /** Time of the first sample of every node (ms since the epoch); each GPU then steps by intervalS. */
  startTimeMs: number
  intervalS: number
  seed: number
  retryForMs: number
}

export interface SenderResult {
  nodeIds: string[]
  /** Batches due within the run, and their samples. */
  scheduledBatches: number
  scheduledSamples: number
  /** Answered 200, and the samples those answers counted as accepted. */
  acknowledgedBatches: number
  acknowledgedSamples: number
  requests: number
  /** Every answer by HTTP status (retries included). */
  statuses: Record<string, number>
  retried503: number
  retried429: number
  /** Requests without an answer (sent again), the first few reasons. */
  networkErrors: number
  networkErrorSamples: string[]
  /** 409 duplicate to a batch sent again after no answer: it was stored the first time (acknowledged). */
  duplicates: number
  /** Other answers than 200/503/429/409 duplicate, and batches still refused when retrying stopped. */
  failed: number
  failures: string[]
  /** From the start to the last acknowledgement. */
  lastAckMs: number
  /** How late the first attempt of a batch left compared with its due time: mean and worst. */
  meanLateMs: number
  maxLateMs: number
  /** Time spent generating and signing batches before the start (this thread). */
  generateMs: number
}

interface Node {
  signer: NodeSigner
  gpus: SimulatedGpu[]
  seq: number
  /** Time of this node's next sample step. */
  nextTimeMs: number
}

/** Busy and idle spells of 10–60 samples. */
const SPELL = [10, 50] as const

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function makeNodes(count: number, seed: number, startTimeMs: number): Node[] {
  const rand = createPrng(seed)
  return Array.from({ length: count }, () => {
    const secret = new Uint8Array(32).map(() => Math.floor(rand() * 256))
    const signer = ed25519Signer(Uint8Array.from([...secret, ...ed25519.getPublicKey(secret)]))
    const gpus = Array.from({ length: GPUS_PER_NODE }, () => simulatedGpu(rand))
    return { signer, gpus, seq: 0, nextTimeMs: startTimeMs }
  })
}

/** The next batch of a node: `steps` samples per GPU; busy spells of 10–60 samples, then idle ones. */
function nextBatch(node: Node, steps: number, job: SenderJob, rand: () => number): string {
  const samples: UnsignedBatch['samples'] = []
  for (let s = 0; s < steps; s++) {
    const t = node.nextTimeMs
    node.nextTimeMs += job.intervalS * 1000
    node.gpus.forEach((gpu, g) => {
      stepGpu(gpu, rand, SPELL)
      const time = new Date(t + Math.floor(rand() * 20)).toISOString()
      samples.push({ gpu: g, time, ...gpuReading(gpu, rand) })
    })
  }
  node.seq++
  const { signer } = node
  const unsigned: UnsignedBatch = {
    version: 1,
    network: job.network,
    nodeId: signer.publicKey,
    keyType: signer.keyType,
    publicKey: signer.publicKey,
    seq: node.seq,
    intervalS: job.intervalS,
    gpus: h100Gpus(signer.publicKey, node.gpus.length),
    samples,
  }
  // What signBatch and JSON.stringify would send, without the generic canonical walk: the canonical
  // text (the ingest's own fast writer) is the body, with the signature over it added at the end.
  const canonical = canonicalJsonOfValid({ ...unsigned, signature: '' })
  const signature = signer.sign(Buffer.from(SIGNING_DOMAIN + canonical, 'utf8'))
  return `${canonical.slice(0, -1)},"signature":${JSON.stringify(signature)}}`
}

/** The messages of the worker: prepare (generate and sign every batch), then send them. */
export type SenderMessage = { prepare: SenderJob } | { send: true }

/** Every batch of a job, generated and signed, in the order they are due. */
export interface Prepared {
  job: SenderJob
  nodeIds: string[]
  bodies: string[]
  generateMs: number
}

export function prepare(job: SenderJob): Prepared {
  if (job.batch % GPUS_PER_NODE !== 0)
    throw new Error(`the batch size must be a multiple of ${GPUS_PER_NODE}`)
  const rand = createPrng(job.seed + 1)
  const nodes = makeNodes(job.nodes, job.seed, job.startTimeMs)
  const steps = job.batch / GPUS_PER_NODE
  const due = Math.max(1, Math.floor(job.durationMs / everyMs(job)))
  const generating = performance.now()
  const bodies = Array.from({ length: due }, (_, k) => {
    const node = nodes[k % nodes.length]
    return node ? nextBatch(node, steps, job, rand) : ''
  })
  return {
    job,
    nodeIds: nodes.map((n) => n.signer.publicKey),
    bodies,
    generateMs: performance.now() - generating,
  }
}

const everyMs = (job: SenderJob): number => (1000 * job.batch) / job.rate

export async function send(prepared: Prepared): Promise<SenderResult> {
  const { job, bodies } = prepared
  const due = bodies.length
  const result: SenderResult = {
    nodeIds: prepared.nodeIds,
    scheduledBatches: due,
    scheduledSamples: due * job.batch,
    acknowledgedBatches: 0,
    acknowledgedSamples: 0,
    requests: 0,
    statuses: {},
    retried503: 0,
    retried429: 0,
    networkErrors: 0,
    networkErrorSamples: [],
    duplicates: 0,
    failed: 0,
    failures: [],
    lastAckMs: 0,
    meanLateMs: 0,
    maxLateMs: 0,
    generateMs: prepared.generateMs,
  }
  let lateSum = 0
  const fail = (what: string) => {
    result.failed++
    if (result.failures.length < 10) result.failures.push(what)
  }
  const start = performance.now()
  const giveUpAt = start + job.durationMs + job.retryForMs

  const sendOne = async (body: string, dueAt: number): Promise<void> => {
    const late = performance.now() - dueAt
    lateSum += late
    result.maxLateMs = Math.max(result.maxLateMs, late)
    for (;;) {
      let status: number
      let text: string
      let retryAfterS: number
      try {
        const res = await fetch(job.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
        status = res.status
        text = await res.text()
        retryAfterS = Number(res.headers.get('retry-after') ?? 1)
      } catch (error) {
        // No answer (e.g. the connection closed under load): sent again, as the agent does; if the
        // first one was stored after all, the server says 409 duplicate.
        result.requests++
        result.networkErrors++
        const cause = error instanceof Error ? (error.cause ?? error) : error
        if (performance.now() + 1000 > giveUpAt) {
          fail(`no answer until retrying stopped: ${cause instanceof Error ? cause.message : String(cause)}`)
          return
        }
        if (result.networkErrorSamples.length < 5) {
          result.networkErrorSamples.push(cause instanceof Error ? cause.message : String(cause))
        }
        await sleep(1000)
        continue
      }
      result.requests++
      result.statuses[status] = (result.statuses[status] ?? 0) + 1
      if (status === 200) {
        result.acknowledgedBatches++
        result.acknowledgedSamples += Number((JSON.parse(text) as { accepted?: number }).accepted ?? 0)
        result.lastAckMs = performance.now() - start
        return
      }
      if (status === 409 && text.includes('"duplicate"')) {
        result.duplicates++
        result.acknowledgedBatches++
        result.acknowledgedSamples += job.batch
        result.lastAckMs = performance.now() - start
        return
      }
      if (status === 503 || status === 429) {
        if (status === 503) result.retried503++
        else result.retried429++
        if (performance.now() + retryAfterS * 1000 > giveUpAt) {
          fail(`${status} until retrying stopped: ${text.slice(0, 200)}`)
          return
        }
        await sleep(retryAfterS * 1000)
        continue
      }
      fail(`${status} ${text.slice(0, 200)}`)
      return
    }
  }

  // One chain per node: its batches leave one at a time, in sequence order.
  const chains = prepared.nodeIds.map(() => Promise.resolve())
  for (let k = 0; k < due; k++) {
    const dueAt = start + k * everyMs(job)
    const wait = dueAt - performance.now()
    if (wait > 1) await sleep(wait)
    const n = k % chains.length
    const body = bodies[k] ?? ''
    bodies[k] = '' // sent once: let it go
    chains[n] = (chains[n] ?? Promise.resolve()).then(() => sendOne(body, dueAt))
  }
  await Promise.all(chains)
  result.meanLateMs = lateSum / due
  return result
}

let prepared: Prepared | null = null
serveJobs('load-sender', async (message: SenderMessage): Promise<number | SenderResult> => {
  if ('prepare' in message) {
    prepared = prepare(message.prepare)
    return prepared.generateMs
  }
  if (!prepared) throw new Error('send before prepare')
  const ready = prepared
  prepared = null
  return send(ready)
})
