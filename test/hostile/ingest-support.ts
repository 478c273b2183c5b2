/**
 * The ingest side of the hostile-input tests: one request and its checks (a 4xx with the ingest's
 * `{error, path, reason}` body, or 200; never 5xx or leaked text), what is stored before and after
 * (nothing for a refused request, only valid rows ever), and the in-process rejection counters
 * (every refusal counted, SECURITY.md).
 */
import { expect } from 'vitest'
import { RANGES } from '../../ingest/telemetry/limits.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import type { TestApp } from '../support/test-app.js'
import { LEAK, parseJson, show } from './support.js'

/** Statuses an ingest route may refuse with (ingest/telemetry/problem.ts), 503 aside. */
export const REFUSALS = [400, 401, 409, 413, 415, 429]

export interface IngestAnswer {
  status: number
  body: Record<string, unknown> | null
  text: string
}

export async function postRaw(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
): Promise<IngestAnswer> {
  const res = await fetch(url, { method: 'POST', headers, body })
  const text = await res.text()
  return { status: res.status, body: parseJson(text), text }
}

/** A refusal has a status of REFUSALS and a JSON body with error, path and reason; nothing leaks. */
export function checkRefusal(answer: IngestAnswer, what: string): void {
  expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).not.toBeGreaterThanOrEqual(500)
  expect(answer.text, what).not.toMatch(LEAK)
  if (answer.status === 200) return
  expect(REFUSALS, `${what}: ${answer.text.slice(0, 300)}`).toContain(answer.status)
  expect(answer.body, `${what}: ${answer.text.slice(0, 300)}`).toMatchObject({
    error: expect.stringMatching(/^[a-z_]+$/),
    path: expect.any(String),
    reason: expect.stringMatching(/\S/),
  })
}

export interface IngestProbe {
  ingest: TelemetryIngest
  /** Samples stored, after everything acknowledged reached ClickHouse. */
  stored(): Promise<number>
  /** Stored samples out of the physical ranges, time window or with NaN: there must be none. */
  invalidStored(): Promise<number>
  /** Refusals counted in process since start. */
  refused(): number
}

export function probe(t: TestApp, maxAgeH: number): IngestProbe {
  const ingest = t.app.get(TelemetryIngest)
  const count = async (query: string): Promise<number> => {
    const result = await t.db.reader.query({ query, format: 'JSONEachRow' })
    const [row] = await result.json<{ n: string }>()
    return Number(row?.n ?? 0)
  }
  const within = (column: string, [min, max]: readonly [number, number]): string =>
    `(${column} IS NULL OR (${column} >= ${min} AND ${column} <= ${max}))`
  return {
    ingest,
    async stored() {
      await ingest.drain()
      return count('SELECT count() AS n FROM telemetry_samples')
    },
    async invalidStored() {
      await ingest.drain()
      return count(`SELECT count() AS n FROM telemetry_samples WHERE NOT (
        ${within('utilization_pct', RANGES.utilizationPct)} AND ${within('power_w', RANGES.powerW)}
        AND ${within('temperature_c', RANGES.temperatureC)} AND ${within('memory_used_mib', RANGES.memoryMiB)}
        AND ${within('vram_mib', RANGES.memoryMiB)}
        AND (memory_used_mib IS NULL OR vram_mib IS NULL OR memory_used_mib <= vram_mib)
        AND time >= now64(3) - INTERVAL ${maxAgeH * 3600 + 600} SECOND AND time <= now64(3) + INTERVAL 6 MINUTE
        AND interval_s BETWEEN 1 AND 3600 AND gpu_uuid != '' AND node_id != '' AND network != '')`)
    },
    refused() {
      return ingest.stats().rejected.reduce((n, r) => n + r.count, 0)
    },
  }
}

/**
 * One request with every check: a refusal stores nothing and is counted; an acceptance stores
 * what it says (when it says) and nothing invalid. Returns the answer for more specific checks.
 */
export async function sendChecked(
  p: IngestProbe,
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  what: string,
): Promise<IngestAnswer> {
  const stored = await p.stored()
  const refused = p.refused()
  const answer = await postRaw(url, body, headers)
  const where = `${what} ${show(headers)} ${show(typeof body === 'string' ? body : `<${body.length} bytes>`)}`
  checkRefusal(answer, where)
  const after = await p.stored()
  if (answer.status === 200) {
    const accepted = answer.body?.accepted
    if (typeof accepted === 'number') expect(after - stored, where).toBe(accepted)
    expect(await p.invalidStored(), `${where}: invalid rows stored`).toBe(0)
    expect(p.refused(), where).toBe(refused)
  } else {
    expect(after, `${where}: refused with ${answer.status} but stored`).toBe(stored)
    expect(p.refused(), `${where}: refusal not counted`).toBe(refused + 1)
  }
  return answer
}
