/**
 * Issue #8, the chaos run at a size CI affords (3 simulated days, about a minute and a half on a
 * loaded 2-core machine); `npm run bench` (bench/chaos.ts) runs it at full size. Everything at once:
 *
 * - 20% of RPC requests to both devnets fail (devnet/faults/rpc-proxy.ts: 429, 5xx, hangs,
 *   truncated bodies, connection resets);
 * - an EVM reorg of depth 4: decoy blocks the world never made are indexed, then replaced
 *   (test/chaos/evm-fork.ts says why it is evm_snapshot/evm_revert and not anvil_reorg);
 * - the ingest process (`ingest/cli.ts --plan`) killed with SIGKILL three times, once as it meets
 *   the reorg, each time after a few RPC requests of its run, i.e. in the middle of indexing;
 * - ClickHouse unavailable for 10 s to the telemetry ingest process: its embedded engine's
 *   connections are closed and reopened 10 s later (test/chaos/telemetry-child.ts), so inserts fail,
 *   the WAL holds what was acknowledged, the backlog bound (1 MB) fills and agents get 503;
 * - the node agents' endpoint down: the telemetry ingest process killed with SIGKILL right after it
 *   acknowledged batches into its WAL, restarted 8 s later; the agents (the real ingest/agent code,
 *   one per signing world node) spool meanwhile and deliver their spools afterwards.
 *
 * Then every table is compared with what the world did (its ground truth, never Plumb's own output):
 * token flows per network/day/kind/token, jobs, prices, flows_daily and jobs_daily (also against a
 * recomputation from token_flows / job_events FINAL: a crash between an insert and its snapshot
 * refresh must heal on replay), customer_first_payment, telemetry samples per GPU-day with their
 * hourly and daily rollups, node sequence numbers, and every acknowledged batch stored exactly once
 * (counted per node and sequence number).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatChaos } from './report.js'
import { runChaos, type ChaosResult } from './run.js'

const DAYS = 3
let result: ChaosResult

beforeAll(async () => {
  result = await runChaos({ days: DAYS, seed: 42 })
}, 420_000)
afterAll(() => {
  if (result) console.log(formatChaos(result))
})

describe('chaos: RPC faults, an EVM reorg, three SIGKILLs, ClickHouse down 10 s, the agents’ endpoint down', () => {
  it('killed the ingest process three times in the middle of its work, then let it finish', () => {
    const { runs, kills, failures } = result.chain
    expect(failures).toEqual([])
    expect(kills).toBe(3)
    for (const run of runs.filter((r) => r.outcome === 'killed')) {
      expect(run.requests).toBeGreaterThanOrEqual(run.killAfterRequests ?? Infinity)
    }
    expect(runs.at(-1)?.outcome).toBe('completed')
  })

  it('failed RPC requests on the way', () => {
    expect(result.chain.faults.total).toBeGreaterThanOrEqual(5)
    expect(result.chain.faults.total / result.chain.rpcRequests).toBeLessThan(0.4)
  })

  it('stored the decoy blocks before the reorg, in the snapshot too', () => {
    const { beforeReorg, reorgDepth } = result.chain
    expect(reorgDepth).toBe(4)
    expect(beforeReorg).toMatchObject({ flows: reorgDepth, events: reorgDepth })
    expect(beforeReorg.snapshotPayments).toBe(beforeReorg.expectedSnapshotPayments)
  })

  it('had ClickHouse down for 10 s: flushes failed, the backlog filled, agents were told 503', () => {
    const t = result.telemetry
    expect(t.outageSeconds).toBeGreaterThanOrEqual(10)
    expect(t.maxFlushFailures).toBeGreaterThan(0)
    expect(t.maxBacklogBytes).toBeGreaterThanOrEqual(result.options.maxBacklogMb * 1024 * 1024)
    expect(t.gate.backpressure).toBeGreaterThan(0)
  })

  it('had the endpoint down: deliveries failed, spools were replayed, nothing was set aside', () => {
    const t = result.telemetry
    expect(t.endpointDownSeconds).toBeGreaterThanOrEqual(result.options.endpointDownMs / 1000)
    expect(t.gate.unreachable).toBeGreaterThan(0)
    expect(t.spoolReplayed.batches).toBeGreaterThan(0)
    expect(t.drained).toBe(true)
    expect(t.leftovers).toEqual({ rejected: 0, pending: 0 })
    expect(t.gate.acknowledgedTwice).toBe(0)
    expect(t.refusals).toEqual([])
    expect(t.exitCode).toBe(0)
  })

  it('has token flows per network, day, kind and token equal to the ground truth', () => {
    expect(result.flowDays.stored).toEqual(result.flowDays.expected)
  })

  it('has every acknowledged sample: the agents were told about all the world’s samples', () => {
    const samples = result.checks.find((c) => c.table === 'telemetry_samples')
    expect(result.telemetry.acknowledgedSamples).toBe(samples?.expected)
  })

  it.each([
    'token_flows',
    'token_flows finality',
    'job_events (jobs)',
    'flows_daily',
    'jobs_daily',
    'customer_first_payment',
    'prices',
    'telemetry_samples',
    'telemetry_hourly',
    'telemetry_daily',
    'acknowledged batches',
    'telemetry_nodes',
  ])('%s: as the truth says, nothing lost, nothing doubled', (table) => {
    const check = result.checks.find((c) => c.table === table)
    expect(check?.expected).toBeGreaterThan(0)
    expect(check, check?.examples.join('\n')).toMatchObject({
      stored: check?.expected,
      lost: 0,
      doubled: 0,
      mismatched: 0,
    })
  })
})
