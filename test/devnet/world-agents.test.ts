import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorldAgents } from '../../devnet/world/agents.js'
import { worldConfig } from '../../devnet/world/config.js'
import { makeWorld } from '../../devnet/world/plan.js'
import { listingRows, publishTelemetry } from '../../devnet/world/publish.js'
import { groundTruth, type GroundTruth } from '../../devnet/world/truth.js'
import { Store } from '../../ingest/store/store.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

// The world's node agents send their telemetry through the real endpoint (signed batches, verified,
// WAL, flusher); what is stored must equal the world's own record of it.
const DAYS = 4
let t: TestApp
let truth: GroundTruth
let published = 0

beforeAll(async () => {
  t = await startTestApp({
    PLUMB_INGEST_MAX_AGE_H: String(24 * 365 * 20),
    PLUMB_INGEST_NODE_RATE: '1000',
    PLUMB_INGEST_NODE_BURST: '1000',
  })
  const config = worldConfig({ seed: 42, days: DAYS })
  const { world, prices } = makeWorld(config)
  truth = groundTruth(world, prices)
  const store = new Store(t.db.writer, t.db.insertText)
  await store.insert('listings', listingRows(world))
  published = await publishTelemetry(
    store,
    world,
    null,
    new Date(8.64e15),
    () => {},
    new WorldAgents(42, t.url),
  )
  await t.app.get(TelemetryIngest).drain()
}, 180_000)
afterAll(async () => {
  await t?.close()
})

describe('world agents over the telemetry endpoint', () => {
  it('stores every sample once, signed ones through the endpoint with provenance signed', async () => {
    const rows = await (
      await t.db.writer.query({
        query: 'SELECT provenance, count() AS samples FROM telemetry_samples GROUP BY provenance',
        format: 'JSONEachRow',
      })
    ).json<{ provenance: string; samples: string }>()
    const total = rows.reduce((s, r) => s + Number(r.samples), 0)
    expect(total).toBe(truth.telemetrySamples)
    expect(published).toBe(truth.telemetrySamples)
    const signedNodes = new Set(truth.nodes.filter((n) => n.signs && !n.ghost).map((n) => n.node))
    const signedSamples = truth.gpuDays
      .filter((g) => signedNodes.has(g.node))
      .reduce((s, g) => s + g.samples, 0)
    expect(signedSamples).toBeGreaterThan(0)
    expect(rows.filter((r) => r.provenance === 'signed').reduce((s, r) => s + Number(r.samples), 0)).toBe(
      signedSamples,
    )
    // They came through the endpoint, not the store: it acknowledged exactly those.
    const accepted = t.app.get(TelemetryIngest).stats().accepted['/ingest/v1/telemetry']
    expect(accepted?.samples).toBe(signedSamples)
  })

  it('gives each network and day the busy and online GPU-seconds of the truth', async () => {
    const rows = await (
      await t.db.writer.query({
        query: `SELECT network, toString(toDate(time)) AS day, sum(interval_s) AS online_s,
                       sum(if(job_id != '', interval_s, 0)) AS busy_s
                FROM telemetry_samples GROUP BY network, day ORDER BY network, day`,
        format: 'JSONEachRow',
      })
    ).json<{ network: string; day: string; online_s: string; busy_s: string }>()
    const expected = truth.daily
      .filter((d) => d.onlineGpuSeconds > 0)
      .map((d) => ({
        network: d.network,
        day: d.day,
        online_s: d.onlineGpuSeconds,
        busy_s: d.busyGpuSeconds,
      }))
      .sort((a, b) => (a.network + a.day < b.network + b.day ? -1 : 1))
    expect(rows.map((r) => ({ ...r, online_s: Number(r.online_s), busy_s: Number(r.busy_s) }))).toEqual(
      expected,
    )
  })

  it('verifies each node as the truth says: verified, mismatch (a lying listing) or unverified', async () => {
    const nodes = truth.nodes.filter((n) => n.network === 'ionet')
    const { data, errors } = await t.graphql<{
      nodes: { edges: { node: { id: string; verification: string } }[] }
    }>(
      `query($from: DateTime!, $to: DateTime!) {
        nodes(network: "ionet", range: { from: $from, to: $to }, first: 100) { edges { node { id verification } } } }`,
      { from: truth.start, to: new Date(Date.parse(truth.start) + DAYS * 86_400_000).toISOString() },
    )
    expect(errors).toBeUndefined()
    const got = new Map(data?.nodes.edges.map((e) => [e.node.id, e.node.verification]) ?? [])
    expect(nodes.some((n) => n.verification === 'mismatch')).toBe(true)
    for (const n of nodes) expect(got.get(n.node), n.node).toBe(n.verification)
  })
})
