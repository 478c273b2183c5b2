/**
 * The chaos run at full size (issue #8; test/chaos/run.ts says what it does, test/chaos/chaos.test.ts
 * runs it at CI size in `npm test`):
 *
 *   npm run bench -- --only chaos [chaos: --days 10]      (with the other benchmarks' summary)
 *   node --import @swc-node/register/esm-register bench/chaos.ts [--days 30] [--seed 42] [--ticks 360]
 *     [--tick-ms 500] [--reorg-depth 6] [--down-s 15] [--outage-s 10] [--fault-rate 0.2] [--keep]
 *
 * Simulated time advances in `--ticks` steps (default two simulated hours each, as in the CI-size
 * test, so a step carries as much telemetry), one every `--tick-ms`.
 *
 * Prints what was done (kills, faults injected, reorg depth, seconds of ClickHouse outage, spools
 * replayed) and, per table, rows expected and stored, lost and doubled. Exits 1 unless every table
 * equals the ground truth and the ingest was killed three times.
 */
import { parseArgs } from 'node:util'
import { chaosTotals, formatChaos } from '../test/chaos/report.js'
import { runChaos } from '../test/chaos/run.js'
import { report } from './report.js'

// npm run bench passes its arguments to every benchmark: unknown ones are ignored.
const { values } = parseArgs({
  strict: false,
  options: {
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    ticks: { type: 'string' },
    'tick-ms': { type: 'string', default: '500' },
    'reorg-depth': { type: 'string', default: '6' },
    'down-s': { type: 'string', default: '15' },
    'outage-s': { type: 'string', default: '10' },
    'fault-rate': { type: 'string', default: '0.2' },
    keep: { type: 'boolean', default: false },
  },
})
const number = (name: keyof typeof values, fallback?: number): number => {
  const n = values[name] === undefined ? Number(fallback) : Number(values[name])
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`)
  return n
}

const started = Date.now()
const result = await runChaos({
  days: number('days'),
  seed: number('seed'),
  ticks: number('ticks', number('days') * 12),
  tickMs: number('tick-ms'),
  reorgDepth: number('reorg-depth'),
  endpointDownMs: number('down-s') * 1000,
  outageMs: number('outage-s') * 1000,
  faultRate: number('fault-rate'),
  keep: values.keep === true,
  log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`),
})
console.log(`\n${formatChaos(result)}`)
if (result.options.keep) console.log(`\ndata kept in ${result.dirs.chain} and ${result.dirs.telemetry}`)
const totals = chaosTotals(result)
const { chain, telemetry } = result
// Headline figures for the summary of `npm run bench` (bench/report.ts).
report({ name: 'rows lost (all tables)', value: totals.lost, unit: '', target: { op: '=', value: 0 } })
report({ name: 'rows doubled', value: totals.doubled, unit: '', target: { op: '=', value: 0 } })
report({
  name: 'groups with other values',
  value: totals.mismatched,
  unit: '',
  target: { op: '=', value: 0 },
})
report({
  name: 'ingest process killed (SIGKILL)',
  value: chain.kills,
  unit: '',
  target: { op: '>=', value: 3 },
})
report({
  name: 'RPC faults injected',
  value: chain.faults.total,
  unit: '',
  baseline: chain.rpcRequests,
  ratio: chain.faults.total / Math.max(1, chain.rpcRequests),
  note: 'of the requests',
})
report({ name: 'EVM reorg depth', value: chain.reorgDepth, unit: 'blocks' })
report({
  name: 'ClickHouse outage',
  value: telemetry.outageSeconds,
  unit: 's',
  target: { op: '>=', value: result.options.outageMs / 1000 },
})
report({ name: 'telemetry endpoint down', value: telemetry.endpointDownSeconds, unit: 's' })
report({ name: 'agent spool batches replayed', value: telemetry.spoolReplayed.batches, unit: '' })
report({ name: 'run time', value: result.seconds, unit: 's' })
if (totals.lost + totals.doubled + totals.mismatched > 0 || result.chain.kills < 3) process.exitCode = 1
