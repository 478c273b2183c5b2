/**
 * Every refused request is counted in process (by endpoint, status and reason) and written to
 * ingest_rejections in the background, a batch a second. The buffer is bounded: under a flood
 * rows beyond it are only counted (`dropped`), never queued without limit.
 */
import type { RejectionRow } from '../store/rows.js'
import type { Store } from '../store/store.js'
import { clickHouseTime } from './rows.js'
import type { Problem } from './problem.js'

export interface RejectionMeta {
  network: string
  nodeId: string
  samples: number
}

export interface RejectionCount {
  endpoint: string
  status: number
  reason: string
  count: number
}

const MAX_BUFFERED = 10_000

export class RejectionLog {
  private readonly counts = new Map<string, RejectionCount>()
  private buffer: RejectionRow[] = []
  private timer: NodeJS.Timeout | null = null
  dropped = 0

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.flush()
  }

  record(endpoint: string, p: Problem, meta: RejectionMeta): void {
    const key = `${endpoint} ${p.status} ${p.error}`
    const count = this.counts.get(key) ?? { endpoint, status: p.status, reason: p.error, count: 0 }
    count.count++
    this.counts.set(key, count)
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped++
      return
    }
    this.buffer.push({
      time: clickHouseTime(this.now()),
      endpoint,
      status: p.status,
      reason: p.error,
      path: p.path.slice(0, 200),
      network: meta.network.slice(0, 64),
      node_id: meta.nodeId.slice(0, 128),
      samples: meta.samples,
    })
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return
    const rows = this.buffer
    this.buffer = []
    try {
      await this.store.insert('ingest_rejections', rows)
    } catch {
      // ClickHouse is down: the in-process counters still have them.
      this.dropped += rows.length
    }
  }

  snapshot(): RejectionCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }))
  }
}
