import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TelemetrySampleRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

// Telemetry samples go to ClickHouse as TabSeparated text (ingest/store/tsv.ts): every value must
// come back exactly, whatever characters a node put in its ids.
let temp: TempDb

const sample = (nodeId: string, jobId: string, power: number | null): TelemetrySampleRow => ({
  network: 'ionet',
  node_id: nodeId,
  gpu_uuid: 'GPU-1',
  time: '2026-01-01 00:00:10.250',
  interval_s: 10,
  gpu_model: 'h100-sxm-80gb',
  gpu_name: 'NVIDIA H100 80GB HBM3',
  vram_mib: null,
  utilization_pct: 99.5,
  memory_used_mib: 19818,
  power_w: power,
  temperature_c: -3,
  job_id: jobId,
  provenance: 'signed',
  batch_id: '7',
})

const ROWS = [
  sample('tab\there', 'line\nbreak', 631.95),
  sample('back\\slash \\N', 'cr\rreturn', null),
  sample('ünïcode ✓ 節点', '', 0.01),
]

beforeAll(async () => {
  temp = await openTempDb()
  await new Store(temp.db.writer, temp.db.insertText).insert('telemetry_samples', ROWS, 'text-insert')
})
afterAll(async () => {
  await temp?.dispose()
})

describe('telemetry samples inserted as TabSeparated text', () => {
  it('come back value for value, escapes and nulls included', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT node_id, job_id, toString(time) AS time, vram_mib, utilization_pct, toFloat64(power_w) AS power_w,
                     temperature_c FROM telemetry_samples ORDER BY node_id`,
      format: 'JSONEachRow',
    })
    const stored = await result.json()
    const expected = ROWS.map((r) => ({
      node_id: r.node_id,
      job_id: r.job_id,
      time: r.time,
      vram_mib: null,
      utilization_pct: 99.5,
      power_w: r.power_w,
      temperature_c: -3,
    })).sort((a, b) => (a.node_id < b.node_id ? -1 : 1))
    expect(stored).toEqual(expected)
  })

  it('are deduplicated by their token like any insert', async () => {
    await new Store(temp.db.writer, temp.db.insertText).insert('telemetry_samples', ROWS, 'text-insert')
    const result = await temp.db.writer.query({
      query: 'SELECT count() AS n FROM telemetry_samples',
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([{ n: '3' }])
  })
})
