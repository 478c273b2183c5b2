import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../../ingest/store/store.js'
import { worldConfig } from '../../devnet/world/config.js'
import { makeWorld } from '../../devnet/world/plan.js'
import { publishWorld } from '../../devnet/world/publish.js'
import { groundTruth, type GroundTruth } from '../../devnet/world/truth.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

let temp: TempDb
let truth: GroundTruth

beforeAll(async () => {
  temp = await openTempDb()
  const { world, prices } = makeWorld(worldConfig({ seed: 42, days: 14 }))
  truth = groundTruth(world, prices)
  const store = new Store(temp.db.writer)
  await publishWorld(store, world, new Map())
  // Publishing again is a no-op: every insert carries a deduplication token.
  await publishWorld(store, world, new Map())
}, 120_000)
afterAll(() => temp?.dispose())

describe('world telemetry through the store', () => {
  it('stores every sample once', async () => {
    const rows = await temp.db.writer.query({
      query: 'SELECT count() AS n FROM telemetry_samples',
      format: 'JSONEachRow',
    })
    expect(Number((await rows.json<{ n: string }>())[0]?.n)).toBe(truth.telemetrySamples)
  })

  it('rolls up online and busy GPU-seconds per network and day exactly as the world ran them', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT network, toString(toDate(hour)) AS day, sum(online_s) AS online, sum(busy_s) AS busy
              FROM telemetry_hourly GROUP BY network, day ORDER BY network, day`,
      format: 'JSONEachRow',
    })
    const stored = (await result.json<{ network: string; day: string; online: string; busy: string }>()).map(
      (r) => ({
        network: r.network,
        day: r.day,
        online: Number(r.online),
        busy: Number(r.busy),
      }),
    )
    const expected = truth.daily
      .filter((d) => d.onlineGpuSeconds > 0)
      .map((d) => ({ network: d.network, day: d.day, online: d.onlineGpuSeconds, busy: d.busyGpuSeconds }))
    expect(stored).toEqual(expected)
  })

  it('publishes one listing per node with the claimed model', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT node_id, gpu_model FROM listings FINAL ORDER BY node_id`,
      format: 'JSONEachRow',
    })
    const stored = await result.json<{ node_id: string; gpu_model: string }>()
    expect(stored).toEqual(
      truth.nodes
        .map((n) => ({ node_id: n.node, gpu_model: n.listedModel }))
        .sort((a, b) => a.node_id.localeCompare(b.node_id)),
    )
  })
})
