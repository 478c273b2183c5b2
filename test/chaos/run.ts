/**
 * The chaos run (issue #8): the seeded world with everything going wrong at once, then every table
 * compared with the ground truth. Two tracks run side by side:
 *
 * Chains. Both devnets behind RPC proxies that fail `faultRate` of requests (429, 5xx, hangs,
 * truncated bodies, resets: devnet/faults). The world is replayed up to half its days, decoy blocks
 * are mined on the EVM tip (evm-fork.ts); the ingest process (`ingest/cli.ts --plan`, its own
 * embedded ClickHouse) is killed with SIGKILL after a few RPC requests, restarted and let finish, so
 * the decoys are stored; then the EVM reorg drops them, the rest of the world is replayed, and the
 * ingest is killed twice more (the first time while it meets the reorg) before a run completes.
 *
 * Telemetry. One real node agent per signing world node (world-agents.ts) pushes the world's
 * samples as simulated time passes, through a gate that records every acknowledgement, to the
 * telemetry ingest process (telemetry-child.ts, its own embedded ClickHouse). A fifth of the way in,
 * ClickHouse is made unavailable for `outageMs` (the embedded connections closed, then reopened):
 * the WAL holds what was acknowledged, the backlog fills and the endpoint answers 503. Later the
 * ingest process is killed with SIGKILL just after acknowledging batches and stays down for
 * `endpointDownMs` while the agents spool; restarted, it replays its WAL and the agents their spools.
 *
 * At the end (compare.ts): token flows, jobs, prices, the daily snapshots and the first-payment
 * rollup in the chain database; samples, rollups, node sequence numbers and every acknowledged batch
 * in the telemetry database.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPrng } from '../../devnet/faults/prng.js'
import { FAULT_KINDS, startRpcProxy, type FaultKind, type RpcProxy } from '../../devnet/faults/rpc-proxy.js'
import { DAY_S, worldConfig } from '../../devnet/world/config.js'
import { worldIngestPlan } from '../../devnet/world/ingest.js'
import { startWorldChains, type WorldChains } from '../../devnet/world/run.js'
import { groundTruth } from '../../devnet/world/truth.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import type { PriceRow } from '../../ingest/store/rows.js'
import {
  ingestRun,
  queryDataDir,
  startTelemetryProcess,
  type IngestRun,
  type TelemetryProcess,
} from './children.js'
import {
  chainQueries,
  checkAcknowledged,
  checkFinality,
  checkFirstPayments,
  checkFlowsDaily,
  checkJobs,
  checkJobsDaily,
  checkNodes,
  checkPrices,
  checkRollup,
  checkSamples,
  checkTokenFlows,
  storedFlowDays,
  telemetryQueries,
  type FinalThrough,
  type TableCheck,
} from './compare.js'
import { truthFlowDays, type FlowDay } from '../support/flows-vs-truth.js'
import { mineDecoys, reorgDecoys, rpc, type EvmFork } from './evm-fork.js'
import { TelemetryGate, WorldAgents, worldTelemetry, type GateCounts } from './world-agents.js'

export interface ChaosOptions {
  seed: number
  days: number
  /** Share of RPC requests that fail (default 0.2). */
  faultRate: number
  /** Blocks the EVM reorg replaces (default 4). */
  reorgDepth: number
  /** The EVM source's finality depth: the reorg must be shallower (the world plan's is 0). */
  finalityDepth: number
  /** ClickHouse unavailable to the telemetry ingest for this long (default 10 s). */
  outageMs: number
  /** The telemetry ingest process stays dead this long before it is restarted (default 8 s). */
  endpointDownMs: number
  /** Steps of simulated time over the world's days, one every `tickMs` (each agent reads once a step). */
  ticks: number
  tickMs: number
  /** Backlog bound of the telemetry ingest (MB): small, so the outage fills it. */
  maxBacklogMb: number
  /** Keep the data directories (their paths are in the result). */
  keep: boolean
  log: (line: string) => void
}

export const DEFAULT_OPTIONS: ChaosOptions = {
  seed: 42,
  days: 3,
  faultRate: 0.2,
  reorgDepth: 4,
  finalityDepth: 12,
  outageMs: 10_000,
  endpointDownMs: 8_000,
  ticks: 36,
  tickMs: 1_000,
  maxBacklogMb: 1,
  keep: false,
  log: () => undefined,
}

export interface ChaosResult {
  options: Omit<ChaosOptions, 'log'>
  seconds: number
  dirs: { chain: string; telemetry: string }
  chain: {
    runs: Omit<IngestRun, 'stderr'>[]
    kills: number
    failures: string[]
    rpcRequests: number
    faults: Record<FaultKind, number> & { total: number }
    reorgDepth: number
    /** Decoys stored before the reorg: flows, job events, and aethir's payments in flows_daily that day. */
    beforeReorg: { flows: number; events: number; snapshotPayments: number; expectedSnapshotPayments: number }
    decoyTxs: string[]
    /** Per chain, the last block (slot) the devnet calls final at the end. */
    finalThrough: FinalThrough
  }
  telemetry: {
    agents: number
    outageSeconds: number
    /** From the SIGKILL of the ingest process to its restart answering again. */
    endpointDownSeconds: number
    gate: GateCounts
    acknowledgedBatches: number
    acknowledgedSamples: number
    spoolReplayed: { batches: number; samples: number }
    walReplayedSamples: number
    maxFlushFailures: number
    maxBacklogBytes: number
    drained: boolean
    leftovers: { rejected: number; pending: number }
    exitCode: number | null
    refusals: string[]
    /** Log lines of the telemetry ingest processes, in order. */
    logs: string[]
  }
  checks: TableCheck[]
  flowDays: { stored: FlowDay[]; expected: FlowDay[] }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const END_OF_TIME = new Date(8.64e15)

interface Stats {
  ready: boolean
  backlogBytes: number
  walGroups: number
  flushFailures: number
}

async function stats(url: string): Promise<Stats | null> {
  try {
    return (await (
      await fetch(`${url}/ingest/v1/stats`, { signal: AbortSignal.timeout(2_000) })
    ).json()) as Stats
  } catch {
    return null
  }
}

export async function runChaos(overrides: Partial<ChaosOptions> = {}): Promise<ChaosResult> {
  const o: ChaosOptions = { ...DEFAULT_OPTIONS, ...overrides }
  const started = Date.now()
  const root = mkdtempSync(join(tmpdir(), 'plumb-chaos-'))
  const dirs = { chain: join(root, 'chain'), telemetry: join(root, 'telemetry') }
  const config = worldConfig({ seed: o.seed, days: o.days })
  const half = new Date(config.start.getTime() + (o.days / 2) * DAY_S * 1000)
  const proxies: RpcProxy[] = []
  const gate = new TelemetryGate()
  let chains: WorldChains | null = null
  const live: Live = { process: null, agents: null }
  try {
    o.log(`world: seed ${o.seed}, ${o.days} days; replaying the first half on both devnets`)
    chains = await startWorldChains(config, () => undefined, half)
    const truth = groundTruth(chains.world, chains.prices)
    const plan = worldIngestPlan(chains, loadCatalog(), 'chaos')
    for (const [i, source] of plan.sources.entries()) {
      const proxy = await startRpcProxy({
        upstream: source.rpcUrl,
        seed: o.seed + i,
        faultRate: o.faultRate,
        hangMs: 1_500,
      })
      proxies.push(proxy)
      source.rpcUrl = proxy.url
      if (source.kind === 'evm') source.finalityDepth = o.finalityDepth
    }
    const planPath = join(root, 'plan.json')
    writeFileSync(planPath, JSON.stringify(plan))
    const telemetry = worldTelemetry(chains.world)

    const [chainOutcome, telemetryOutcome] = await Promise.allSettled([
      chainTrack(o, chains, planPath, dirs.chain, proxies, half),
      telemetryTrack(o, chains, telemetry, dirs.telemetry, gate, root, live),
    ])
    if (chainOutcome.status === 'rejected') throw chainOutcome.reason
    if (telemetryOutcome.status === 'rejected') throw telemetryOutcome.reason
    const chain = chainOutcome.value
    const tele = telemetryOutcome.value

    o.log('reading both databases')
    const [chainRows, telemetryRows] = await Promise.all([
      queryDataDir(dirs.chain, chainQueries(chain.decoyTxs, chain.finalThrough)),
      queryDataDir(dirs.telemetry, telemetryQueries),
    ])
    const acks = [...gate.acks.values()]
    const checks = [
      checkTokenFlows(truth, chainRows),
      checkFinality(chainRows),
      checkJobs(chains.world, truth, chainRows),
      checkFlowsDaily(chains.world, chains.prices, truth, chainRows),
      checkJobsDaily(truth, chainRows),
      checkFirstPayments(chainRows),
      checkPrices((plan.prices ?? []) as PriceRow[], chainRows),
      checkSamples(telemetry, telemetryRows),
      checkRollup('telemetry_hourly', telemetry, telemetryRows.hourly),
      checkRollup('telemetry_daily', telemetry, telemetryRows.daily),
      checkAcknowledged(acks, telemetryRows),
      checkNodes(acks, telemetryRows),
    ]
    const decoysLeft = Number(chainRows.decoyFlows[0]?.n ?? 0) + Number(chainRows.decoyEvents[0]?.n ?? 0)
    if (decoysLeft > 0) {
      const flows = checks[0] as TableCheck
      flows.doubled += decoysLeft
      flows.examples.push(`${decoysLeft} rows of the orphaned decoy blocks left`)
    }
    const faults = Object.fromEntries(
      FAULT_KINDS.map((k) => [k, proxies.reduce((s, p) => s + p.stats().faults[k], 0)]),
    ) as Record<FaultKind, number>
    const { log: _log, ...options } = o
    return {
      options,
      seconds: (Date.now() - started) / 1000,
      dirs,
      chain: {
        ...chain,
        rpcRequests: proxies.reduce((s, p) => s + p.stats().requests, 0),
        faults: { ...faults, total: FAULT_KINDS.reduce((s, k) => s + faults[k], 0) },
      },
      telemetry: {
        ...tele,
        agents: telemetry.nodes.length,
        gate: { ...gate.counts },
        acknowledgedBatches: acks.length,
        acknowledgedSamples: acks.reduce((s, a) => s + a.samples, 0),
        spoolReplayed: gate.replayed(),
        refusals: gate.refusals.slice(0, 10),
      },
      checks,
      flowDays: { stored: storedFlowDays(chainRows), expected: truthFlowDays(truth) },
    }
  } finally {
    await live.agents?.stop()
    live.process?.child.kill('SIGKILL')
    await gate.stop()
    await Promise.all(proxies.map((p) => p.stop()))
    await chains?.stop()
    if (!o.keep) rmSync(root, { recursive: true, force: true })
  }
}

/** What is running on the telemetry side, for the clean-up after a failure. */
interface Live {
  process: TelemetryProcess | null
  agents: WorldAgents | null
}

async function chainTrack(
  o: ChaosOptions,
  chains: WorldChains,
  planPath: string,
  dataDir: string,
  proxies: RpcProxy[],
  half: Date,
): Promise<
  Pick<
    ChaosResult['chain'],
    'runs' | 'kills' | 'failures' | 'reorgDepth' | 'beforeReorg' | 'decoyTxs' | 'finalThrough'
  >
> {
  const random = createPrng(o.seed * 7 + 1)
  const between = (lo: number, hi: number) => Math.round(lo + (hi - lo) * random())
  const requests = () => proxies.reduce((s, p) => s + p.stats().requests, 0)
  const runs: IngestRun[] = []
  const run = async (killAfter: number | null, what: string): Promise<IngestRun> => {
    const r = await ingestRun(planPath, dataDir, requests, killAfter)
    runs.push(r)
    o.log(
      `ingest run ${runs.length} (${what}): ${r.outcome} after ${r.requests} RPC requests, ${(r.ms / 1000).toFixed(1)} s`,
    )
    return r
  }
  /** A supervisor's restart: again until a run finishes (a failed run is restarted too, and counted). */
  const untilCompleted = async (what: string): Promise<void> => {
    for (let attempt = 0; attempt < 4; attempt++) if ((await run(null, what)).outcome === 'completed') return
    throw new Error(`the ingest never completed: ${runs.at(-1)?.stderr.slice(-2000)}`)
  }

  const nextEvm = chains.world.actions.find((a) => a.chain === 'arbitrum' && a.time > half)
  const fork: EvmFork = await mineDecoys(chains, o.reorgDepth, nextEvm?.time ?? null)
  o.log(
    `EVM: ${fork.decoys.length} decoy blocks mined on the tip (blocks ${fork.decoys[0]?.number}..${fork.decoys.at(-1)?.number})`,
  )

  await run(between(3, 8), 'first half + decoys, killed early')
  await untilCompleted('first half + decoys')
  const firstHalfRequests = runs.reduce((s, r) => s + r.requests, 0)

  const decoyDay = new Date((fork.decoys[0]?.time ?? 0) * 1000).toISOString().slice(0, 10)
  const worldPayments = chains.world.actions
    .flatMap((a) => a.flows)
    .filter(
      (f) =>
        f.network === 'aethir' &&
        f.kind === 'customer_payment' &&
        f.time <= half &&
        f.time.toISOString().slice(0, 10) === decoyDay,
    ).length
  const txs = fork.decoys.map((d) => `'${d.tx}'`).join(',')
  const before = await queryDataDir(dataDir, {
    flows: `SELECT count() AS n FROM token_flows FINAL WHERE tx_id IN (${txs})`,
    events: `SELECT count() AS n FROM job_events FINAL WHERE tx_id IN (${txs})`,
    snapshot: `SELECT payment_flows AS n FROM flows_daily FINAL WHERE network = 'aethir' AND day = '${decoyDay}'`,
  })
  const beforeReorg = {
    flows: Number(before.flows[0]?.n ?? 0),
    events: Number(before.events[0]?.n ?? 0),
    snapshotPayments: Number(before.snapshot[0]?.n ?? 0),
    expectedSnapshotPayments: worldPayments + fork.decoys.length,
  }
  o.log(`decoys stored before the reorg: ${beforeReorg.flows} flows, ${beforeReorg.events} job events`)

  await reorgDecoys(chains, fork)
  o.log(
    `EVM reorg: blocks ${fork.decoys[0]?.number}..${fork.decoys.at(-1)?.number} replaced; replaying the second half`,
  )
  await chains.advance(END_OF_TIME)

  // The EVM source runs first and meets the reorg within its first requests.
  await run(between(2, 6), 'meets the reorg, killed')
  const rest = Math.max(6, firstHalfRequests)
  await run(between(Math.round(rest * 0.2), Math.round(rest * 0.6)), 'second half, killed')
  await untilCompleted('to the end')
  const evmHead = Number(await rpc<string>(chains.evm.anvil.rpcUrl, 'eth_blockNumber', []))
  const solanaFinal = await rpc<number>(chains.solanaRpc.url, 'getSlot', [{ commitment: 'finalized' }])
  return {
    finalThrough: { arbitrum: evmHead - o.finalityDepth, solana: solanaFinal },
    runs: runs.map(({ stderr: _stderr, ...r }) => r),
    kills: runs.filter((r) => r.outcome === 'killed').length,
    failures: runs.filter((r) => r.outcome === 'failed').map((r) => r.stderr.slice(-500)),
    reorgDepth: fork.decoys.length,
    beforeReorg,
    decoyTxs: fork.decoys.map((d) => d.tx),
  }
}

async function telemetryTrack(
  o: ChaosOptions,
  chains: WorldChains,
  telemetry: ReturnType<typeof worldTelemetry>,
  dataDir: string,
  gate: TelemetryGate,
  root: string,
  handles: Live,
): Promise<
  Pick<
    ChaosResult['telemetry'],
    | 'outageSeconds'
    | 'endpointDownSeconds'
    | 'walReplayedSamples'
    | 'maxFlushFailures'
    | 'maxBacklogBytes'
    | 'drained'
    | 'leftovers'
    | 'exitCode'
    | 'logs'
  >
> {
  const env = {
    PLUMB_CHAOS_OUTAGE_MS: String(o.outageMs),
    PLUMB_INGEST_MAX_BACKLOG_MB: String(o.maxBacklogMb),
    // The world's samples are from its own (past) dates.
    PLUMB_INGEST_MAX_AGE_H: String(24 * 365 * 20),
    PLUMB_LOG_LEVEL: 'warn',
  }
  await gate.start()
  let proc = await startTelemetryProcess(dataDir, env)
  handles.process = proc
  await proc.ready
  gate.upstream = proc.url
  const agents = await WorldAgents.start(chains.world, telemetry, gate.url, join(root, 'spools'))
  handles.agents = agents
  o.log(`telemetry: ${agents.agents.length} agents, ${telemetry.samples} samples over ${o.ticks} steps`)

  const start = chains.world.config.start.getTime()
  const span = o.days * DAY_S * 1000
  const outageTick = Math.max(1, Math.round(o.ticks * 0.2))
  const downTick = Math.max(outageTick + 1, Math.round(o.ticks * 0.6))
  let maxFlushFailures = 0
  let maxBacklogBytes = 0
  let monitor: Promise<void> = Promise.resolve()
  let restart: Promise<void> = Promise.resolve()
  let endpointDownSeconds = 0
  let walReplayedSamples = 0
  const firstProc = proc
  for (let tick = 1; tick <= o.ticks; tick++) {
    const tickStarted = Date.now()
    await agents.tick(start + Math.round((span * tick) / o.ticks))
    if (tick === outageTick) {
      firstProc.child.kill('SIGUSR2')
      o.log(`telemetry: ClickHouse unavailable for ${o.outageMs / 1000} s`)
      monitor = (async () => {
        const until = Date.now() + o.outageMs + 5_000
        while (Date.now() < until) {
          const s = await stats(firstProc.url)
          if (s) {
            maxFlushFailures = Math.max(maxFlushFailures, s.flushFailures)
            maxBacklogBytes = Math.max(maxBacklogBytes, s.backlogBytes)
          }
          await sleep(250)
        }
      })()
    }
    if (tick === downTick) {
      // Not while ClickHouse is still out; and just after batches were acknowledged into the WAL.
      while (firstProc.outages.at(-1)?.end === null) await sleep(100)
      const deadline = Date.now() + 3_000
      while (Date.now() < deadline && ((await stats(proc.url))?.walGroups ?? 0) === 0) await sleep(10)
      const killed = proc
      killed.child.kill('SIGKILL')
      gate.upstream = null
      const downAt = Date.now()
      o.log(`telemetry: ingest process killed; down for ${o.endpointDownMs / 1000} s`)
      restart = (async () => {
        await killed.exited
        await sleep(o.endpointDownMs)
        proc = await startTelemetryProcess(dataDir, env)
        handles.process = proc
        await proc.ready
        gate.upstream = proc.url
        endpointDownSeconds = (Date.now() - downAt) / 1000
        const replayed = proc.logs.map((l) => /replayed (\d+) samples/.exec(l)?.[1]).find(Boolean)
        walReplayedSamples = Number(replayed ?? 0)
        o.log(
          `telemetry: ingest process back after ${endpointDownSeconds.toFixed(1)} s, WAL replayed ${walReplayedSamples} samples`,
        )
      })()
    }
    await sleep(Math.max(0, o.tickMs - (Date.now() - tickStarted)))
  }
  await Promise.all([monitor, restart])
  const drained = await agents.drained(Date.now() + 180_000)
  await agents.stop()
  const leftovers = agents.leftovers()
  o.log(`telemetry: agents ${drained ? 'drained' : 'NOT drained'}; stopping the ingest process`)
  proc.child.kill('SIGTERM')
  const exitCode = await proc.exited
  const outage = firstProc.outages[0]
  return {
    logs: [...firstProc.logs, ...(proc === firstProc ? [] : ['-- restarted --', ...proc.logs])],
    outageSeconds: outage?.end ? (outage.end - outage.start) / 1000 : 0,
    endpointDownSeconds,
    walReplayedSamples,
    maxFlushFailures,
    maxBacklogBytes,
    drained,
    leftovers,
    exitCode,
  }
}
