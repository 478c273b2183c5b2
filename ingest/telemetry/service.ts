/**
 * The telemetry ingest: node keys and sequence numbers, rate limits, the bounded backlog, the
 * write-ahead log and the flusher that moves it into ClickHouse. Framework-free: the NestJS
 * controller and the standalone ingest process both drive it through http.ts.
 *
 * Path of an accepted batch: checks → rows → pending (counted against the backlog bound) → a group
 * commit writes everything pending to the WAL and acknowledges it → the flusher inserts durable
 * groups into ClickHouse (merging what piled up while it was busy) → WAL files deleted. Memory is
 * bounded by `maxBacklogBytes`: past it, requests get 503 with Retry-After until the flusher catches up.
 */
import { join } from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import type { TelemetryNodeRow } from '../store/rows.js'
import type { Store } from '../store/store.js'
import { NodeRegistry, nodeKey, type Reservation, type SeqClaim } from './nodes.js'
import { problem, type Problem } from './problem.js'
import { RateLimiter } from './rate-limit.js'
import { RejectionLog, type RejectionCount, type RejectionMeta } from './rejections.js'
import { canonicalPublicKey } from './signature.js'
import { IngestTokens, type NodeIdentity } from './tokens.js'
import type { ValidationContext, ValidBatch } from './validate.js'
import { clickHouseTime, reportedRows, signedRows } from './rows.js'
import type { GpuReading } from './gpu-sample.js'
import {
  rowRecords,
  sampleText,
  signedRecord,
  WriteAheadLog,
  type WalBatch,
  type SampleText,
  type WalFlush,
  type WalGroup,
} from './wal.js'

export interface TelemetryIngestOptions {
  store: Store
  /** Reads node state at start-up (the writer client: the reader is capped for API queries). */
  client: ClickHouseClient
  dataDir: string
  networks: readonly string[]
  tokens: string
  nodeRate: number
  nodeBurst: number
  maxBacklogBytes: number
  maxAgeMs: number
  /** Rows of one ClickHouse insert at most (several WAL groups merge up to this). */
  maxFlushRows?: number
  now?: () => number
  log?: (level: 'log' | 'warn' | 'error', message: string) => void
}

export interface Accepted {
  samples: number
}

export interface EndpointCount {
  batches: number
  samples: number
}

export interface IngestStats {
  ready: boolean
  accepted: Record<string, EndpointCount>
  rejected: RejectionCount[]
  rejectionsDropped: number
  backlogBytes: number
  maxBacklogBytes: number
  walGroups: number
  storedSamples: number
  flushFailures: number
  nodes: number
}

interface Pending {
  batches: WalBatch[]
  samples: SampleText
  text: string
  /** What it weighs against maxBacklogBytes: its WAL text and its samples' insert text. */
  bytes: number
  reservations: Reservation[]
  done: (error: unknown) => void
}

/** A verified signed batch as the WAL and the insert need it (its parsed form is not kept). */
export interface SignedSubmission {
  claim: SeqClaim
  signature: string
  /** The signed text, which goes to the WAL. */
  canonicalJson: string
  samples: SampleText
}

export function signedSubmission(valid: ValidBatch, canonicalJson: string, digest: string): SignedSubmission {
  const { batch } = valid
  return {
    claim: {
      network: batch.network,
      nodeId: batch.nodeId,
      keyType: batch.keyType,
      publicKey: canonicalPublicKey(batch.keyType, batch.publicKey),
      seq: batch.seq,
      digest,
    },
    signature: batch.signature,
    canonicalJson,
    samples: sampleText(signedRows(valid)),
  }
}

/** The samples of several groups or requests as one insert text. */
function joined(parts: readonly SampleText[]): SampleText {
  if (parts.length === 1 && parts[0]) return parts[0]
  return { tsv: parts.map((p) => p.tsv).join(''), count: parts.reduce((n, p) => n + p.count, 0) }
}

/** A wait that does not keep the process alive by itself. */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref())

export class TelemetryIngest {
  readonly rejections: RejectionLog
  private readonly nodes = new NodeRegistry()
  private readonly limiter: RateLimiter
  private readonly tokens: IngestTokens
  private readonly wal: WriteAheadLog
  private readonly networks: ReadonlySet<string>
  private readonly now: () => number
  private readonly maxFlushRows: number

  private isReady = false
  private stopping = false
  private pending: Pending[] = []
  private committing = false
  private durable: WalGroup[] = []
  private current: WalFlush | null = null
  /** Groups taken from `durable` whose manifest is being written. */
  private pinning: WalGroup[] | null = null
  private flusher: Promise<void> | null = null
  private wake: (() => void) | null = null
  private drained: (() => void)[] = []
  private backlogBytes = 0
  private flushFailures = 0
  private storedSamples = 0
  private readonly accepted = new Map<string, EndpointCount>()
  private requestStop: () => void = () => undefined
  private readonly stopRequested = new Promise<void>((resolve) => (this.requestStop = resolve))

  constructor(private readonly options: TelemetryIngestOptions) {
    this.now = options.now ?? Date.now
    this.networks = new Set(options.networks)
    this.tokens = IngestTokens.parse(options.tokens, this.networks)
    this.limiter = new RateLimiter(options.nodeRate, options.nodeBurst, this.now)
    this.wal = new WriteAheadLog(join(options.dataDir, 'telemetry-wal'))
    this.rejections = new RejectionLog(options.store, this.now)
    this.maxFlushRows = options.maxFlushRows ?? 200_000
  }

  get ready(): boolean {
    return this.isReady
  }

  /**
   * Replays the WAL into ClickHouse, then loads node state (which the replay may have advanced).
   * Retries until ClickHouse answers; the routes answer 503 until then.
   */
  async start(): Promise<void> {
    const { flushes, discarded } = await this.wal.open()
    if (discarded.length > 0)
      this.log('warn', `telemetry WAL: ${discarded.length} unreadable group(s) set aside`)
    for (const flush of flushes) {
      for (const group of flush.groups) {
        // Read back, a group weighs its WAL text; in memory its samples' text counts as well.
        group.bytes += group.samples.tsv.length
        this.backlogBytes += group.bytes
      }
    }
    const replayed = flushes.reduce((n, f) => n + f.groups.reduce((m, g) => m + g.samples.count, 0), 0)
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        for (let flush = flushes[0]; flush; flush = flushes[0]) {
          await this.insert(flush)
          flushes.shift()
        }
        await this.nodes.load(this.options.client)
        break
      } catch (error) {
        this.log('warn', `telemetry ingest start-up: ClickHouse: ${message(error)}; retrying`)
        await Promise.race([sleep(Math.min(30_000, 500 * 2 ** attempt)), this.stopRequested])
      }
    }
    if (this.stopping) return
    if (replayed > 0) this.log('log', `telemetry WAL: replayed ${replayed} samples`)
    this.rejections.start()
    this.flusher = this.flushLoop()
    this.isReady = true
  }

  /** Stops accepting, flushes what it can within `timeoutMs`; the rest stays in the WAL. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.isReady = false
    const drained = this.drain()
    await Promise.race([drained, sleep(timeoutMs)])
    this.stopping = true
    this.requestStop()
    this.wake?.()
    await this.flusher
    await this.rejections.stop()
  }

  /** Resolves when everything acknowledged so far is in ClickHouse. */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve()
    return new Promise((resolve) => this.drained.push(resolve))
  }

  validationContext(): ValidationContext {
    return { now: this.now(), maxAgeMs: this.options.maxAgeMs, networks: this.networks }
  }

  identify(authorization: string | undefined): NodeIdentity | null {
    return this.tokens.identify(authorization)
  }

  reject(endpoint: string, p: Problem, meta: RejectionMeta): void {
    this.rejections.record(endpoint, p, meta)
  }

  /** A batch whose signature verified (signedSubmission): key binding, rate, sequence, then the WAL. */
  async acceptSigned(endpoint: string, submission: SignedSubmission): Promise<Accepted | Problem> {
    const { claim } = submission
    const refused =
      this.nodes.checkKey(claim) ?? this.rateLimited(claim) ?? this.nodes.checkSeq(claim) ?? this.overloaded()
    if (refused) return refused
    const reservation = this.nodes.reserve(claim)
    const key = `${claim.network}/${claim.nodeId}/${claim.seq}`
    const record = signedRecord(submission.signature, submission.canonicalJson)
    return this.submit(endpoint, [{ key, claim }], submission.samples, record, [reservation])
  }

  /** Readings from a token-authenticated route (Prometheus, OTLP): provenance `reported`. */
  async acceptReported(
    endpoint: string,
    node: NodeIdentity,
    readings: readonly GpuReading[],
    intervalS: number,
    bodyDigest: string,
  ): Promise<Accepted | Problem> {
    const refused = this.rateLimited(node) ?? this.overloaded()
    if (refused) return refused
    const receivedAt = this.now()
    const batchId = `r${receivedAt}`
    const rows = reportedRows(readings, { ...node, intervalS, receivedAt, batchId })
    const key = `${node.network}/${node.nodeId}/r/${receivedAt}/${bodyDigest.slice(0, 16)}`
    return this.submit(endpoint, [{ key, claim: null }], sampleText(rows), rowRecords(rows), [])
  }

  stats(): IngestStats {
    return {
      ready: this.isReady,
      accepted: Object.fromEntries(this.accepted),
      rejected: this.rejections.snapshot(),
      rejectionsDropped: this.rejections.dropped,
      backlogBytes: this.backlogBytes,
      maxBacklogBytes: this.options.maxBacklogBytes,
      walGroups: this.durable.length + (this.pinning?.length ?? 0) + (this.current?.groups.length ?? 0),
      storedSamples: this.storedSamples,
      flushFailures: this.flushFailures,
      nodes: this.nodes.size,
    }
  }

  private rateLimited(node: { network: string; nodeId: string }): Problem | null {
    const wait = this.limiter.take(nodeKey(node.network, node.nodeId))
    if (wait === 0) return null
    return problem(
      429,
      'rate_limited',
      `too many requests from node ${node.nodeId}; retry in ${wait} s`,
      '',
      {
        retryAfterS: wait,
      },
    )
  }

  private overloaded(): Problem | null {
    if (this.backlogBytes < this.options.maxBacklogBytes) return null
    const retryAfterS = this.flushFailures > 0 ? Math.min(30, 2 ** this.flushFailures) : 2
    const why = this.flushFailures > 0 ? 'ClickHouse is not accepting inserts' : 'ClickHouse is behind'
    return problem(503, 'backpressure', `${why}; nothing was stored, retry in ${retryAfterS} s`, '', {
      retryAfterS,
    })
  }

  private async submit(
    endpoint: string,
    batches: WalBatch[],
    samples: SampleText,
    text: string,
    reservations: Reservation[],
  ): Promise<Accepted | Problem> {
    const bytes = text.length + samples.tsv.length
    this.backlogBytes += bytes
    const committed = new Promise<unknown>((resolve) => {
      this.pending.push({ batches, samples, text, bytes, reservations, done: resolve })
    })
    void this.commitLoop()
    const error = await committed
    if (error !== undefined) {
      return problem(503, 'wal_unavailable', `the write-ahead log cannot be written: ${message(error)}`, '', {
        retryAfterS: 5,
      })
    }
    const count = this.accepted.get(endpoint) ?? { batches: 0, samples: 0 }
    count.batches++
    count.samples += samples.count
    this.accepted.set(endpoint, count)
    return { samples: samples.count }
  }

  /** Group commit: whatever is pending when a WAL write starts goes into one file. */
  private async commitLoop(): Promise<void> {
    if (this.committing) return
    this.committing = true
    try {
      while (this.pending.length > 0) {
        const entries = this.pending
        this.pending = []
        let text = ''
        let bytes = 0
        for (const e of entries) {
          text += e.text
          bytes += e.bytes
        }
        try {
          const group = await this.wal.append(
            entries.flatMap((e) => e.batches),
            joined(entries.map((e) => e.samples)),
            text,
          )
          group.bytes = bytes
          this.durable.push(group)
          this.wake?.()
          for (const e of entries) e.done(undefined)
        } catch (error) {
          this.backlogBytes -= bytes
          for (const e of [...entries].reverse()) e.reservations.forEach((r) => this.nodes.release(r))
          for (const e of entries) e.done(error)
        }
      }
    } finally {
      this.committing = false
    }
  }

  private async flushLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.current) {
          if (this.durable.length === 0) {
            this.notifyDrained()
            await new Promise<void>((resolve) => (this.wake = resolve))
            this.wake = null
            continue
          }
          this.pinning = this.takeDurable()
          try {
            this.current = await this.wal.pin(this.pinning)
          } catch (error) {
            this.durable.unshift(...this.pinning)
            throw error
          } finally {
            this.pinning = null
          }
        }
        await this.insert(this.current)
        this.flushFailures = 0
      } catch (error) {
        this.flushFailures++
        if (this.flushFailures === 1 || this.flushFailures % 10 === 0) {
          this.log(
            'warn',
            `telemetry flush failed (${this.flushFailures}x): ${message(error)}; kept in the WAL`,
          )
        }
        await Promise.race([sleep(Math.min(10_000, 100 * 2 ** this.flushFailures)), this.stopRequested])
      }
    }
  }

  private takeDurable(): WalGroup[] {
    let rows = 0
    let n = 0
    while (
      n < this.durable.length &&
      (n === 0 || rows + (this.durable[n]?.samples.count ?? 0) <= this.maxFlushRows)
    ) {
      rows += this.durable[n]?.samples.count ?? 0
      n++
    }
    return this.durable.splice(0, n)
  }

  /** Samples (deduplicated by the flush token), then node state, then the WAL files go. */
  private async insert(flush: WalFlush): Promise<void> {
    const samples = joined(flush.groups.map((g) => g.samples))
    await this.options.store.insertSamplesTsv(samples.tsv, flush.token)
    const nodeRows = latestClaims(flush).map((c): TelemetryNodeRow => ({
      network: c.network,
      node_id: c.nodeId,
      key_type: c.keyType,
      public_key: c.publicKey,
      last_seq: c.seq,
      last_digest: c.digest,
      updated_at: clickHouseTime(this.now()),
    }))
    await this.options.store.insert('telemetry_nodes', nodeRows)
    await this.wal.release(flush)
    this.current = null
    this.storedSamples += samples.count
    for (const group of flush.groups) this.backlogBytes -= group.bytes
  }

  private idle(): boolean {
    return (
      this.pending.length === 0 &&
      !this.committing &&
      this.durable.length === 0 &&
      this.pinning === null &&
      this.current === null
    )
  }

  private notifyDrained(): void {
    if (!this.idle()) return
    for (const resolve of this.drained.splice(0)) resolve()
  }

  private log(level: 'log' | 'warn' | 'error', text: string): void {
    ;(this.options.log ?? defaultLog)(level, text)
  }
}

/** The highest claim per node among the flushed batches. */
function latestClaims(flush: WalFlush): SeqClaim[] {
  const latest = new Map<string, SeqClaim>()
  for (const group of flush.groups) {
    for (const { claim } of group.batches) {
      if (!claim) continue
      const key = nodeKey(claim.network, claim.nodeId)
      const seen = latest.get(key)
      if (!seen || claim.seq > seen.seq) latest.set(key, claim)
    }
  }
  return [...latest.values()]
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function defaultLog(level: 'log' | 'warn' | 'error', text: string): void {
  console[level === 'log' ? 'log' : level](`plumb telemetry: ${text}`)
}
