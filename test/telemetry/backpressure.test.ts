import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { count, ed25519Key, h100Batch, post, signed, type Reply } from './support.js'

let t: TestApp
let ingest: TelemetryIngest

const MAX_BACKLOG_BYTES = 0.02 * 1024 * 1024

beforeAll(async () => {
  // ~20 kB of accepted-but-not-stored telemetry at most: a few batches of 10 samples.
  t = await startTestApp({ PLUMB_INGEST_MAX_BACKLOG_MB: '0.02' })
  ingest = t.app.get(TelemetryIngest)
})
afterAll(() => t?.close())

describe('ClickHouse down: acknowledged into the WAL up to the bound, then 503, never dropped', () => {
  it('answers 503 with Retry-After once the backlog is full, and stores every acknowledged batch later', async () => {
    const key = ed25519Key()
    const base = Date.now() - 3600_000
    const batch = (seq: number): Promise<string> =>
      signed(
        h100Batch(
          key,
          seq,
          Array.from({ length: 10 }, (_, i) => new Date(base + (seq * 10 + i) * 1000)),
        ),
        key,
      ).then((b) => JSON.stringify(b))
    const url = `${t.url}/ingest/v1/telemetry`

    await t.db.writer.command({ query: 'DETACH TABLE telemetry_samples' })
    const acked: number[] = []
    let refused: { seq: number; reply: Reply } | null = null
    for (let seq = 1; seq <= 30 && refused === null; seq++) {
      const reply = await post(url, await batch(seq))
      if (reply.status === 200) acked.push(seq)
      else refused = { seq, reply }
    }
    expect(acked.length).toBeGreaterThanOrEqual(2)
    expect(refused?.reply.status).toBe(503)
    expect(refused?.reply.body).toMatchObject({ error: 'backpressure' })
    expect(String(refused?.reply.body.reason)).toMatch(/not accepting inserts; nothing was stored/)
    expect(Number(refused?.reply.retryAfter)).toBeGreaterThanOrEqual(1)
    const stats = ingest.stats()
    expect(stats.flushFailures).toBeGreaterThan(0)
    // Bounded: at most the limit plus the one batch that crossed it.
    expect(stats.backlogBytes).toBeLessThan(MAX_BACKLOG_BYTES + 10_000)
    await expect
      .poll(() =>
        count(
          t.db.reader,
          `SELECT count() AS n FROM ingest_rejections WHERE status = 503 AND reason = 'backpressure'`,
        ),
      )
      .toBe(1)

    await t.db.writer.command({ query: 'ATTACH TABLE telemetry_samples' })
    await ingest.drain()
    const perBatch = await count(
      t.db.reader,
      `SELECT count() AS n FROM telemetry_samples WHERE node_id = {n:String} AND toUInt64(batch_id) IN {acked:Array(UInt64)}`,
      { n: key.publicKey, acked },
    )
    expect(perBatch).toBe(acked.length * 10)
    expect(await count(t.db.reader, 'SELECT count() AS n FROM telemetry_samples')).toBe(acked.length * 10)

    // The refused batch, sent again now, is taken.
    const again = await post(url, await batch(refused?.seq ?? 0))
    expect(again.status).toBe(200)
    await ingest.drain()
    expect(await count(t.db.reader, 'SELECT count() AS n FROM telemetry_samples')).toBe(
      (acked.length + 1) * 10,
    )
    expect(ingest.stats().backlogBytes).toBe(0)
  }, 60_000)
})
