/** The figures of a chaos run as text: what was done to it, then every table checked. */
import { FAULT_KINDS } from '../../devnet/faults/rpc-proxy.js'
import type { ChaosResult } from './run.js'

export function chaosTotals(result: ChaosResult): { lost: number; doubled: number; mismatched: number } {
  return {
    lost: result.checks.reduce((s, c) => s + c.lost, 0),
    doubled: result.checks.reduce((s, c) => s + c.doubled, 0),
    mismatched: result.checks.reduce((s, c) => s + c.mismatched, 0),
  }
}

export function formatChaos(result: ChaosResult): string {
  const { chain, telemetry: t, options: o } = result
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`
  const killedAt = chain.runs.filter((r) => r.outcome === 'killed').map((r) => r.requests)
  const lines = [
    `chaos run: world seed ${o.seed}, ${o.days} days, ${result.seconds.toFixed(0)} s`,
    `  ingest process: ${chain.runs.length} runs, killed ${chain.kills} times with SIGKILL (after ${killedAt.join(', ')} RPC requests), ${chain.failures.length} failed`,
    `  RPC faults: ${chain.faults.total} injected in ${chain.rpcRequests} requests (${pct(chain.faults.total, chain.rpcRequests)}): ` +
      FAULT_KINDS.map((k) => `${k} ${chain.faults[k]}`).join(', '),
    `  EVM reorg: depth ${chain.reorgDepth} (${chain.beforeReorg.flows} decoy flows and ${chain.beforeReorg.events} job events stored before it)`,
    `  ClickHouse outage (telemetry ingest): ${t.outageSeconds.toFixed(1)} s; flush failures up to ${t.maxFlushFailures}, ` +
      `backlog up to ${(t.maxBacklogBytes / 1024 / 1024).toFixed(2)} MB of ${o.maxBacklogMb} MB, ${t.gate.backpressure} requests answered 503`,
    `  telemetry endpoint down: ${t.endpointDownSeconds.toFixed(1)} s (SIGKILL to answering again); ` +
      `${t.gate.unreachable} deliveries failed; WAL replayed ${t.walReplayedSamples} samples at restart`,
    `  agents: ${t.agents}; spools replayed ${t.spoolReplayed.batches} batches (${t.spoolReplayed.samples} samples); ` +
      `${t.acknowledgedBatches} batches (${t.acknowledgedSamples} samples) acknowledged, ${t.gate.duplicate} as duplicates; ` +
      `${t.leftovers.pending} left in spools, ${t.leftovers.rejected} rejected`,
    `  telemetry gate: ${Object.entries(t.gate)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    `  ${'table'.padEnd(24)} ${'unit'.padEnd(13)} ${'expected'.padStart(9)} ${'stored'.padStart(9)} ${'lost'.padStart(6)} ${'doubled'.padStart(8)} ${'mismatched'.padStart(11)}`,
    ...result.checks.map(
      (c) =>
        `  ${c.table.padEnd(24)} ${c.unit.padEnd(13)} ${String(c.expected).padStart(9)} ${String(c.stored).padStart(9)} ` +
        `${String(c.lost).padStart(6)} ${String(c.doubled).padStart(8)} ${String(c.mismatched).padStart(11)}`,
    ),
  ]
  const totals = chaosTotals(result)
  lines.push('', `  lost ${totals.lost}, doubled ${totals.doubled}, mismatched ${totals.mismatched}`)
  for (const c of result.checks) for (const e of c.examples) lines.push(`  ! ${c.table}: ${e}`)
  if (!t.drained || t.exitCode !== 0 || t.refusals.length > 0) {
    lines.push('', '  telemetry ingest log:', ...t.logs.slice(-60).map((l) => `    ${l}`))
    lines.push(...t.refusals.map((r) => `  refused: ${r}`))
  }
  return lines.join('\n')
}
