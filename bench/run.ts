/**
 * `npm run bench`: runs every benchmark in bench/ (each a script that prints its own table of
 * figures, baselines and ratios), one at a time in a child process so they do not compete for the
 * 2 cores; then prints one summary table of their headline figures (bench/report.ts) and writes it
 * to bench/results/latest.json and latest.md.
 *
 *   npm run bench -- [--only load,telemetry] [--note "text"] [ARGS] [api: ARGS] [load: ARGS] ...
 *
 * ARGS before any `<bench>:` go to every benchmark; after `api:` (the file name without .ts) only to
 * that one, e.g. `npm run bench -- api: --samples 10000000 --flows 1000000 load: --duration 30`.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { markdownTable, REPORT_ENV, SUMMARY_HEAD, summaryRows, textTable, type Figure } from './report.js'

const dir = fileURLToPath(new URL('.', import.meta.url))
/** Modules and workers the benchmarks import: not benchmarks themselves. */
const HELPERS = new Set([
  'run.ts',
  'report.ts',
  'dashboard-queries.ts',
  'telemetry-client.ts',
  'load-run.ts',
  'load-sender.ts',
  'load-cannon.ts',
  'simulated-gpu.ts',
  'worker-jobs.ts',
])
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !HELPERS.has(f))
  .sort()
const names = new Set(all.map((f) => f.slice(0, -3)))

interface RunArgs {
  only: string[] | null
  note: string
  shared: string[]
  perBench: Map<string, string[]>
}

function parseRunArgs(argv: string[]): RunArgs {
  const args: RunArgs = { only: null, note: '', shared: [], perBench: new Map() }
  let section = args.shared
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    const value = (flag: string): string => {
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1)
      i++
      return argv[i] ?? ''
    }
    if (a === '--only' || a.startsWith('--only=')) {
      args.only = value('--only')
        .split(',')
        .map((s) => s.trim().replace(/\.ts$/, ''))
        .filter(Boolean)
    } else if (a === '--note' || a.startsWith('--note=')) {
      args.note = value('--note')
    } else if (a.endsWith(':') && names.has(a.slice(0, -1))) {
      const name = a.slice(0, -1)
      section = args.perBench.get(name) ?? []
      args.perBench.set(name, section)
    } else {
      section.push(a)
    }
  }
  for (const name of [...(args.only ?? []), ...args.perBench.keys()]) {
    if (!names.has(name)) throw new Error(`no benchmark bench/${name}.ts (have: ${[...names].join(', ')})`)
  }
  return args
}

const runArgs = parseRunArgs(process.argv.slice(2))

/** The arguments as typed (quoted where needed), without --note and its text (shown apart). */
function shownArgs(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? ''
    if (a === '--note') i++
    else if (!a.startsWith('--note='))
      out.push(/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)
  }
  return out
}
const benches = all.filter((f) => !runArgs.only || runArgs.only.includes(f.slice(0, -3)))
const argsOf = (file: string) => [...runArgs.shared, ...(runArgs.perBench.get(file.slice(0, -3)) ?? [])]
const figuresFile = join(os.tmpdir(), `plumb-bench-figures-${process.pid}.jsonl`)
writeFileSync(figuresFile, '')

function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', `${dir}${file}`, ...argsOf(file)],
      { stdio: 'inherit', env: { ...process.env, [REPORT_ENV]: figuresFile } },
    )
    child.on('exit', (code) => resolve(code ?? 1))
  })
}

const startedAt = new Date()
const loadAtStart = os.loadavg()
const outcomes: { bench: string; args: string[]; exit: number; seconds: number }[] = []
for (const file of benches) {
  const shown = argsOf(file).join(' ')
  console.log(`\n=== bench/${file}${shown ? ` ${shown}` : ''} ===`)
  const started = Date.now()
  const code = await run(file)
  const seconds = (Date.now() - started) / 1000
  console.log(
    `=== bench/${file}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s`,
  )
  outcomes.push({ bench: file.slice(0, -3), args: argsOf(file), exit: code, seconds })
}

const figures = readFileSync(figuresFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Figure)
rmSync(figuresFile, { force: true })

const rows = summaryRows(figures)
for (const o of outcomes) {
  if (o.exit !== 0) rows.push([o.bench, `FAILED (exit ${o.exit}): figures missing`, '', '', '', '', 'NO'])
  else if (!figures.some((f) => f.bench === o.bench))
    rows.push([o.bench, 'no figures reported', '', '', '', '', '-'])
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return 'unknown'
  }
}

const cpus = os.cpus()
const machine = {
  cpus: cpus.length,
  cpuModel: cpus[0]?.model ?? 'unknown',
  memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  nice: os.getPriority(),
  loadAverageAtStart: loadAtStart.map((x) => Math.round(x * 100) / 100),
  loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
}
const commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : ''}`
const result = {
  date: startedAt.toISOString(),
  finished: new Date().toISOString(),
  command: `npm run bench -- ${shownArgs(process.argv.slice(2)).join(' ')}`.trim(),
  note: runArgs.note,
  commit,
  machine,
  benches: outcomes,
  figures,
}
const met = figures.filter((f) => f.met === true).length
const judged = figures.filter((f) => f.met !== null).length
const failed = outcomes.filter((o) => o.exit !== 0).map((o) => o.bench)

console.log(`\n=== summary: ${met} of ${judged} targets met ===\n`)
console.log(textTable(SUMMARY_HEAD, rows))
if (failed.length > 0) console.error(`\nbenchmarks that failed: ${failed.join(', ')}`)

const resultsDir = join(dir, 'results')
mkdirSync(resultsDir, { recursive: true })
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(result, null, 2) + '\n')
const md = [
  '# Benchmark results',
  '',
  `\`${result.command}\`, started ${result.date}, finished ${result.finished}; commit ${commit}.`,
  ...(runArgs.note ? ['', runArgs.note] : []),
  '',
  `- machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`,
  `- niceness ${machine.nice}; load average (1, 5, 15 min) ${machine.loadAverageAtStart.join(', ')} at the start, ` +
    `${machine.loadAverageAtEnd.join(', ')} at the end (a shared machine: expect noise)`,
  ...outcomes.map(
    (o) =>
      `- bench/${o.bench}.ts ${o.args.length > 0 ? `\`${o.args.join(' ')}\`` : '(default sizes)'}: ` +
      `${o.exit === 0 ? 'done' : `FAILED (exit ${o.exit})`} in ${o.seconds.toFixed(0)} s`,
  ),
  '',
  `${met} of ${judged} targets met.`,
  '',
  markdownTable(SUMMARY_HEAD, rows),
  '',
]
writeFileSync(join(resultsDir, 'latest.md'), md.join('\n'))
console.log(`\nwritten: bench/results/latest.json, bench/results/latest.md`)
if (failed.length > 0) process.exitCode = 1
