/**
 * The node agent: every interval it reads the GPUs, signs one batch of the new readings and
 * spools it; a sender delivers spooled batches in sequence order, waiting (Retry-After, or backoff
 * up to 30 s) while the endpoint is unreachable, overloaded or rate-limiting.
 */
import { MAX_SAMPLES_PER_BATCH } from '../telemetry/limits.js'
import type { GpuReading } from '../telemetry/gpu-sample.js'
import { batchFromReadings, signBatch } from '../telemetry/sign-batch.js'
import type { NodeSigner } from '../telemetry/signature.js'
import type { GpuSource } from './collect.js'
import { pushBatch, telemetryUrl } from './push.js'
import { Spool, type AgentState } from './spool.js'

export interface AgentOptions {
  endpoint: string
  network: string
  nodeId: string
  signer: NodeSigner
  source: GpuSource
  spoolDir: string
  intervalMs: number
  log?: (message: string) => void
  now?: () => number
}

export interface AgentCounts {
  reads: number
  spooled: number
  delivered: number
  refused: number
}

const MAX_BACKOFF_MS = 30_000

/** After `ms` or on abort; the listener is removed either way (the signal lives as long as the agent). */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
  })

export class Agent {
  readonly counts: AgentCounts = { reads: 0, spooled: 0, delivered: 0, refused: 0 }
  private readonly spool: Spool
  private readonly url: string
  private readonly now: () => number
  private state: AgentState = { lastSeq: 0, lastTimes: {} }
  private wakeSender: (() => void) | null = null
  private readonly stopping = new AbortController()

  constructor(private readonly options: AgentOptions) {
    this.spool = new Spool(options.spoolDir)
    this.url = telemetryUrl(options.endpoint)
    this.now = options.now ?? Date.now
  }

  async open(): Promise<void> {
    this.state = await this.spool.open()
    const waiting = (await this.spool.list()).length
    if (waiting > 0) this.log(`${waiting} spooled batch(es) to deliver`)
  }

  /** Samples `ticks` times (forever when null), delivering as it goes. */
  async sample(ticks: number | null): Promise<void> {
    for (let i = 0; (ticks === null || i < ticks) && !this.stopping.signal.aborted; i++) {
      const started = this.now()
      try {
        await this.tick()
      } catch (error) {
        this.log(`reading GPUs failed: ${(error as Error).message}`)
      }
      if (ticks !== null && i === ticks - 1) break
      await sleep(Math.max(0, this.options.intervalMs - (this.now() - started)), this.stopping.signal)
    }
  }

  /** Delivers spooled batches until stopped. */
  async send(): Promise<void> {
    let backoffMs = 1000
    while (!this.stopping.signal.aborted) {
      const blocked = await this.deliverSpool()
      if (blocked === null) {
        backoffMs = 1000
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.stopping.signal.removeEventListener('abort', done)
            resolve()
          }
          this.wakeSender = done
          this.stopping.signal.addEventListener('abort', done)
        })
        this.wakeSender = null
        continue
      }
      const wait = blocked.afterMs ?? backoffMs
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2)
      await sleep(wait, this.stopping.signal)
    }
  }

  /** True once every spooled batch is delivered (or set aside), false at the deadline. */
  async drained(deadlineMs: number): Promise<boolean> {
    while (this.now() < deadlineMs) {
      if ((await this.spool.list()).length === 0) return true
      await sleep(100, this.stopping.signal)
      if (this.stopping.signal.aborted) break
    }
    return (await this.spool.list()).length === 0
  }

  stop(): void {
    this.stopping.abort()
  }

  private async tick(): Promise<void> {
    const readings = this.fresh(await this.options.source.read())
    this.counts.reads++
    const now = new Date(this.now())
    for (let i = 0; i < readings.length; i += MAX_SAMPLES_PER_BATCH) {
      await this.spoolBatch(readings.slice(i, i + MAX_SAMPLES_PER_BATCH), now)
    }
    this.wakeSender?.()
  }

  /** Readings newer than the last spooled one of their GPU; a reading without time is new. */
  private fresh(readings: GpuReading[]): GpuReading[] {
    return readings.filter((r) => {
      const t = r.time?.getTime()
      return t === undefined || t > (this.state.lastTimes[r.gpuUuid] ?? -Infinity)
    })
  }

  private async spoolBatch(readings: GpuReading[], now: Date): Promise<void> {
    if (readings.length === 0) return
    // Never below the last one, and from the clock so that a lost state file cannot reuse numbers.
    const seq = Math.max(this.state.lastSeq + 1, this.now())
    const { network, nodeId, signer, intervalMs } = this.options
    const intervalS = Math.max(1, Math.round(intervalMs / 1000))
    const unsigned = batchFromReadings(readings, { network, nodeId, seq, intervalS }, signer, now)
    const body = JSON.stringify(signBatch(unsigned, signer))
    const lastTimes = { ...this.state.lastTimes }
    for (const r of readings)
      lastTimes[r.gpuUuid] = Math.max(lastTimes[r.gpuUuid] ?? 0, (r.time ?? now).getTime())
    const state = { lastSeq: seq, lastTimes }
    await this.spool.write(seq, body, state)
    this.state = state
    this.counts.spooled++
  }

  /** Null when the spool is empty, else why and how long to wait. */
  private async deliverSpool(): Promise<{ afterMs: number | null } | null> {
    for (const seq of await this.spool.list()) {
      if (this.stopping.signal.aborted) return { afterMs: 0 }
      const outcome = await pushBatch(this.url, await this.spool.read(seq))
      switch (outcome.kind) {
        case 'stored':
        case 'duplicate':
          await this.spool.remove(seq)
          this.counts.delivered++
          break
        case 'refused':
          this.log(`batch ${seq} refused for good (${outcome.reason}); kept in rejected/`)
          await this.spool.reject(seq, outcome.reason)
          this.counts.refused++
          break
        case 'retry':
          this.log(`endpoint unavailable (${outcome.reason}); batch ${seq} stays spooled`)
          return { afterMs: outcome.afterMs }
      }
    }
    return null
  }

  private log(message: string): void {
    this.options.log?.(message)
  }
}
