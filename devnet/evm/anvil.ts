import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'

/** Foundry's well-known test mnemonic: account 0 is 0xf39F…2266. Devnet only. */
export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk'
export const DEVNET_CHAIN_ID = 31337

export interface AnvilOptions {
  /** genesis block timestamp, unix seconds */
  startTime: number
  chainId?: number
  mnemonic?: string
  /** number of funded dev accounts (default 10) */
  accounts?: number
  /** ether per dev account (default 10000) */
  balanceEth?: number
  /**
   * Seconds added per mined block when no explicit timestamp was set (anvil_setBlockTimestampInterval).
   * Default 1, so block times do not depend on the wall clock; null keeps anvil's wall-clock drift.
   */
  blockTimestampInterval?: number | null
  /** mine one block per transaction (default true); false: only evm_mine creates blocks */
  automine?: boolean
  /** keep only recent states in memory (long simulated histories); reorgs deeper than that fail */
  pruneHistory?: boolean
  /** how long to wait for eth_chainId (default 20 s) */
  startupTimeoutMs?: number
  /**
   * EVM hardfork (default `cancun`, the contracts' evmVersion). From prague on, the EIP-2935
   * history contract fills one storage slot per block, and anvil (1.7) rebuilds the whole state
   * trie on every block: mining gets linearly slower with chain height (~9 ms a block at 3,000).
   */
  hardfork?: string
}

export interface AnvilHandle {
  rpcUrl: string
  port: number
  chainId: number
  mnemonic: string
  /** pid of the watchdog shell, leader of anvil's process group */
  pid: number
  /** idempotent; resolves once anvil has exited */
  stop(): Promise<void>
}

const require = createRequire(import.meta.url)

function platformPackage(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  return `@foundry-rs/anvil-${process.platform}-${arch}`
}

/**
 * Where the `@foundry-rs/anvil` package keeps its binary: the platform package's `bin/anvil`
 * (what the package's own bin.mjs runs), else the `dist/` folder its postinstall fills.
 * ANVIL_BIN overrides both.
 */
export function resolveAnvilBinary(): string {
  const override = process.env['ANVIL_BIN']
  if (override) return override
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil'
  const candidates: string[] = []
  try {
    candidates.push(join(dirname(require.resolve(`${platformPackage()}/package.json`)), 'bin', exe))
  } catch {
    // platform package not installed: try the wrapper's dist/ below
  }
  try {
    candidates.push(join(dirname(require.resolve('@foundry-rs/anvil/package.json')), '..', 'dist', exe))
  } catch {
    // wrapper package not installed
  }
  const found = candidates.find((p) => existsSync(p))
  if (!found) throw new Error(`anvil binary not found (tried ${candidates.join(', ') || 'nothing'})`)
  return found
}

/** A port that was free a moment ago on 127.0.0.1 (the caller retries if it is taken meanwhile). */
export function getFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolvePort(port) : reject(new Error('no port assigned'))))
    })
  })
}

// anvil runs under a tiny sh watchdog that holds our stdin pipe: when this process dies for any
// reason (SIGKILL included) the pipe closes, `read` returns, and the watchdog kills anvil.
// A background job in a non-interactive sh gets /dev/null as stdin, so anvil never holds the pipe.
const WATCHDOG = '"$@" & child=$!; while read -r _; do :; done; kill $child 2>/dev/null; wait $child'

const live = new Set<ChildProcess>()
let exitHookInstalled = false

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL')
  })
}

function buildArgs(options: AnvilOptions, port: number): string[] {
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(options.chainId ?? DEVNET_CHAIN_ID),
    '--mnemonic',
    options.mnemonic ?? DEVNET_MNEMONIC,
    '--accounts',
    String(options.accounts ?? 10),
    '--balance',
    String(options.balanceEth ?? 10_000),
    '--timestamp',
    String(Math.floor(options.startTime)),
    '--hardfork',
    options.hardfork ?? 'cancun',
    '--silent',
  ]
  if (options.automine === false) args.push('--no-mining')
  // Keeping every historical state in memory makes each new block slower as the chain grows.
  if (options.pruneHistory === true) args.push('--prune-history')
  return args
}

async function rpc(url: string, method: string, params: unknown[], timeoutMs = 2_000): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Spawned {
  child: ChildProcess
  exited: Promise<number | null>
  stderr: () => string
}

function spawnAnvil(args: string[]): Spawned {
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'anvil-watchdog', resolveAnvilBinary(), ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true, // own process group, so stop() can kill sh and anvil together
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000)
  })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  // Do not keep the event loop alive for anvil: the exit hook and the pipe clean up.
  child.unref()
  for (const stream of [child.stdin, child.stderr]) {
    if (stream && 'unref' in stream && typeof stream.unref === 'function') stream.unref()
  }
  return { child, exited, stderr: () => stderr }
}

async function waitReady(url: string, spawned: Spawned, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined
  void spawned.exited.then((c) => (exitCode = c ?? -1))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`anvil exited (${exitCode}): ${spawned.stderr()}`)
    try {
      await rpc(url, 'eth_chainId', [], 1_000)
      return
    } catch {
      await sleep(50)
    }
  }
  throw new Error(`anvil did not answer eth_chainId within ${timeoutMs} ms: ${spawned.stderr()}`)
}

async function stopSpawned(spawned: Spawned): Promise<void> {
  const { child } = spawned
  if (child.exitCode !== null || child.signalCode !== null) return
  child.stdin?.end()
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000)
  await spawned.exited
  clearTimeout(timer)
  // the watchdog waited for anvil, but make sure nothing of the group survives
  killGroup(child, 'SIGKILL')
}

/** Starts anvil on 127.0.0.1 and a free port; resolves once eth_chainId answers. */
export async function startAnvil(options: AnvilOptions): Promise<AnvilHandle> {
  installExitHook()
  const chainId = options.chainId ?? DEVNET_CHAIN_ID
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await getFreePort()
    const rpcUrl = `http://127.0.0.1:${port}`
    const spawned = spawnAnvil(buildArgs(options, port))
    live.add(spawned.child)
    void spawned.exited.then(() => live.delete(spawned.child))
    try {
      await waitReady(rpcUrl, spawned, options.startupTimeoutMs ?? 20_000)
      const interval = options.blockTimestampInterval === undefined ? 1 : options.blockTimestampInterval
      if (interval !== null) await rpc(rpcUrl, 'anvil_setBlockTimestampInterval', [interval])
      let stopping: Promise<void> | undefined
      return {
        rpcUrl,
        port,
        chainId,
        mnemonic: options.mnemonic ?? DEVNET_MNEMONIC,
        pid: spawned.child.pid ?? -1,
        stop: () => (stopping ??= stopSpawned(spawned)),
      }
    } catch (err) {
      lastError = err
      await stopSpawned(spawned)
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError))
}
