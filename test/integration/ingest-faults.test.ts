import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAULT_KINDS, startRpcProxy, type RpcProxy } from '../../devnet/faults/rpc-proxy.js'
import { worldConfig } from '../../devnet/world/config.js'
import { worldIngestPlan } from '../../devnet/world/ingest.js'
import { startWorldChains, type WorldChains } from '../../devnet/world/run.js'
import { groundTruth, type GroundTruth } from '../../devnet/world/truth.js'
import { indexUntilCaughtUp } from '../../ingest/chains/source.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { createSources } from '../../ingest/plan.js'
import { storedFlowDays, truthFlowDays } from '../support/flows-vs-truth.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

let temp: TempDb
let chains: WorldChains
let truth: GroundTruth
const proxies: RpcProxy[] = []

beforeAll(async () => {
  chains = await startWorldChains(worldConfig({ seed: 42, days: 30 }))
  truth = groundTruth(chains.world, chains.prices)
  temp = await openTempDb()
  const plan = worldIngestPlan(chains, loadCatalog())
  for (const [i, source] of plan.sources.entries()) {
    // 20% of requests fail: 429 with Retry-After, 5xx, hangs cut after 1.5 s, truncated bodies, resets.
    const proxy = await startRpcProxy({
      upstream: source.rpcUrl,
      seed: 20 + i,
      faultRate: 0.2,
      hangMs: 1_500,
    })
    proxies.push(proxy)
    source.rpcUrl = proxy.url
  }
  for (const source of await createSources(plan, temp.db)) await indexUntilCaughtUp(source)
}, 600_000)
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()))
  await chains?.stop()
  await temp?.dispose()
})

describe('the world ingested through RPC endpoints that fail 20% of requests', () => {
  it('really met faults of every kind', () => {
    const faults = proxies.map((p) => p.stats())
    expect(faults.reduce((s, f) => s + f.totalFaults, 0)).toBeGreaterThan(20)
    for (const kind of FAULT_KINDS) {
      expect(faults.reduce((s, f) => s + f.faults[kind], 0)).toBeGreaterThan(0)
    }
  })

  it('still has token flows per network, day, kind and token equal to the ground truth', async () => {
    expect(await storedFlowDays(temp.db.writer)).toEqual(truthFlowDays(truth))
  })
})
