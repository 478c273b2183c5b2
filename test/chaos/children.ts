/**
 * The processes of the chaos run: the chain ingest (`npm run ingest -- --plan`, ingest/cli.ts, one
 * process per run, killed with SIGKILL when told), the telemetry ingest (telemetry-child.ts) and
 * readers of a data directory (query-child.ts). chdb binds one data directory per process, so each
 * database is only ever open in one of them at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { ROOT_DIR } from '../../ingest/store/paths.js'

const TS_NODE = ['--import', '@swc-node/register/esm-register']

/** Children still running when this process exits (a timed-out test) are killed with it. */
const running = new Set<ChildProcess>()
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')))

function tracked(child: ChildProcess): ChildProcess {
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

export interface IngestRun {
  outcome: 'killed' | 'completed' | 'failed'
  ms: number
  /** RPC requests the fault proxies saw during the run. */
  requests: number
  /** The kill was due after this many requests (null: let it finish). */
  killAfterRequests: number | null
  stderr: string
}

/**
 * One `ingest/cli.ts --plan` process. With `killAfterRequests`, it is killed with SIGKILL once the
 * RPC endpoints (the fault proxies, whose request count `requests` reads) have seen that many
 * requests from it: a kill in the middle of indexing however fast or slow the machine is.
 */
export function ingestRun(
  planPath: string,
  dataDir: string,
  requests: () => number,
  killAfterRequests: number | null,
): Promise<IngestRun> {
  const started = Date.now()
  const base = requests()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_NODE, 'ingest/cli.ts', '--plan', planPath], {
      cwd: ROOT_DIR,
      env: { ...process.env, PLUMB_DATA_DIR: dataDir, PLUMB_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    tracked(child)
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer =
      killAfterRequests === null
        ? null
        : setInterval(() => {
            if (requests() - base >= killAfterRequests) child.kill('SIGKILL')
          }, 5)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer)
      const outcome = signal === 'SIGKILL' ? 'killed' : code === 0 ? 'completed' : 'failed'
      resolve({ outcome, ms: Date.now() - started, requests: requests() - base, killAfterRequests, stderr })
    })
  })
}

export interface TelemetryProcess {
  child: ChildProcess
  url: string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** Resolves once the WAL is replayed and the routes are open. */
  ready: Promise<void>
  outages: { start: number; end: number | null }[]
  /** Its log lines (the ingest's own, and stderr). */
  logs: string[]
}

/** Starts telemetry-child.ts on `dataDir`; resolves once it listens. */
export function startTelemetryProcess(
  dataDir: string,
  env: Record<string, string>,
): Promise<TelemetryProcess> {
  const child = tracked(
    spawn(process.execPath, [...TS_NODE, 'test/chaos/telemetry-child.ts'], {
      cwd: ROOT_DIR,
      env: { ...process.env, ...env, PLUMB_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let stderr = ''
  const logs: string[] = []
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
    logs.push(...d.toString().split('\n').filter(Boolean))
  })
  return new Promise((resolve, reject) => {
    const outages: TelemetryProcess['outages'] = []
    let markReady: () => void = () => undefined
    const ready = new Promise<void>((r) => (markReady = r))
    let pending = ''
    child.stdout?.on('data', (d: Buffer) => {
      pending += d.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        let msg: { port?: number; ready?: boolean; outage?: 'start' | 'end'; at?: number; log?: string }
        try {
          msg = JSON.parse(line) as typeof msg
        } catch {
          continue
        }
        if (msg.port !== undefined)
          resolve({ child, url: `http://127.0.0.1:${msg.port}`, exited, ready, outages, logs })
        if (msg.ready) markReady()
        if (msg.outage === 'start') outages.push({ start: msg.at ?? Date.now(), end: null })
        const last = outages.at(-1)
        if (msg.outage === 'end' && last) last.end = msg.at ?? Date.now()
        if (msg.log) logs.push(msg.log)
      }
    })
    void exited.then((code) =>
      reject(new Error(`telemetry ingest exited with ${code}: ${stderr.slice(-2000)}`)),
    )
  })
}

/** Runs read queries on a data directory in a process of its own; rows per query name. */
export function queryDataDir<Q extends Record<string, string>>(
  dataDir: string,
  queries: Q,
): Promise<Record<keyof Q, Record<string, unknown>[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_NODE, 'test/chaos/query-child.ts'], {
      cwd: ROOT_DIR,
      env: { ...process.env, PLUMB_DATA_DIR: dataDir, PLUMB_LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    tracked(child)
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`query process exited with ${code}: ${err.slice(-2000)}`))
      resolve(JSON.parse(out) as Record<keyof Q, Record<string, unknown>[]>)
    })
    child.stdin.end(JSON.stringify(queries))
  })
}
