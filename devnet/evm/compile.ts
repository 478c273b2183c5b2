import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { InterfaceAbi } from 'ethers'

export interface CompiledContract {
  abi: InterfaceAbi
  /** creation bytecode, 0x-prefixed */
  bytecode: string
  /** runtime bytecode, 0x-prefixed */
  deployedBytecode: string
}

/** Keyed by contract name (e.g. `ComputeMarket`); names are unique across our sources. */
export type CompiledContracts = Record<string, CompiledContract>

export interface CompileResult {
  contracts: CompiledContracts
  compilerVersion: string
  cacheHit: boolean
  cacheFile: string
}

export interface CompileOptions {
  /** folder of `.sol` files; defaults to devnet/evm/contracts */
  sourcesDir?: string
  /** defaults to `<repo>/.cache/solc` */
  cacheDir?: string
}

// Part of the cache key: changing them must recompile.
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const

interface SolcCompiler {
  compile(input: string): string
  version(): string
}

interface SolcOutputContract {
  abi: InterfaceAbi
  evm: { bytecode: { object: string }; deployedBytecode: { object: string } }
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[]
  contracts?: Record<string, Record<string, SolcOutputContract>>
}

const require = createRequire(import.meta.url)

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
}

export function defaultSourcesDir(): string {
  return join(repoRoot(), 'devnet', 'evm', 'contracts')
}

/** The version of the `solc` npm package, which is the compiler version; read without loading soljson. */
export function solcVersion(): string {
  const pkg: unknown = require('solc/package.json')
  if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') {
    return pkg.version
  }
  throw new Error('cannot read the solc package version')
}

export async function readSources(sourcesDir: string): Promise<Record<string, string>> {
  const names = (await readdir(sourcesDir)).filter((n) => n.endsWith('.sol')).sort()
  const sources: Record<string, string> = {}
  for (const name of names) sources[name] = await readFile(join(sourcesDir, name), 'utf8')
  return sources
}

export function cacheKey(sources: Record<string, string>, compilerVersion: string): string {
  const hash = createHash('sha256')
  hash.update(`solc ${compilerVersion}\n${JSON.stringify(SETTINGS)}\n`)
  for (const name of Object.keys(sources).sort()) {
    const text = sources[name] ?? ''
    hash.update(`${name}\n${text.length}\n${text}`)
  }
  return hash.digest('hex')
}

export async function compileContracts(options: CompileOptions = {}): Promise<CompileResult> {
  const sourcesDir = resolve(options.sourcesDir ?? defaultSourcesDir())
  const cacheDir = resolve(options.cacheDir ?? join(repoRoot(), '.cache', 'solc'))
  const sources = await readSources(sourcesDir)
  if (Object.keys(sources).length === 0) throw new Error(`no .sol files in ${sourcesDir}`)
  const compilerVersion = solcVersion()
  const cacheFile = join(cacheDir, `${cacheKey(sources, compilerVersion)}.json`)

  const cached = await readCache(cacheFile)
  if (cached) return { contracts: cached, compilerVersion, cacheHit: true, cacheFile }

  const contracts = await runSolc(sources)
  await mkdir(cacheDir, { recursive: true })
  // Parallel test processes may compile at once: write aside, then rename atomically.
  const tmp = `${cacheFile}.${process.pid}.${Date.now()}.tmp`
  await writeFile(tmp, JSON.stringify(contracts))
  await rename(tmp, cacheFile)
  return { contracts, compilerVersion, cacheHit: false, cacheFile }
}

async function readCache(file: string): Promise<CompiledContracts | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    return isCompiledContracts(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

function isCompiledContracts(value: unknown): value is CompiledContracts {
  if (typeof value !== 'object' || value === null) return false
  return Object.values(value).every(
    (c: unknown) =>
      typeof c === 'object' &&
      c !== null &&
      'abi' in c &&
      Array.isArray(c.abi) &&
      'bytecode' in c &&
      typeof c.bytecode === 'string' &&
      'deployedBytecode' in c &&
      typeof c.deployedBytecode === 'string',
  )
}

async function loadSolc(): Promise<SolcCompiler> {
  // soljson is ~9 MB of wasm glue: load it only on a cache miss.
  const mod: unknown = await import('solc')
  const solc = (mod as { default?: unknown }).default ?? mod
  return solc as SolcCompiler
}

async function runSolc(sources: Record<string, string>): Promise<CompiledContracts> {
  const solc = await loadSolc()
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: SETTINGS,
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error('solc failed:\n' + errors.map((e) => e.formattedMessage).join('\n'))

  const contracts: CompiledContracts = {}
  for (const [file, byName] of Object.entries(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(byName)) {
      if (contracts[name]) throw new Error(`contract name ${name} defined twice (${file})`)
      contracts[name] = {
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      }
    }
  }
  return contracts
}
