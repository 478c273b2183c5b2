import { readFileSync } from 'node:fs'
import { Command, InvalidArgumentError } from 'commander'
import type { SourceStatus } from './chains/batch.js'
import { indexUntilCaughtUp } from './chains/source.js'
import { loadConfig } from './config.js'
import { mainnetPlan } from './mainnet-plan.js'
import { loadCatalog } from './networks/index.js'
import { createSources, parseIngestPlan, type IngestPlan } from './plan.js'
import { openDb } from './store/db.js'
import { migrate } from './store/migrate.js'

const block = (value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a block number or slot')
  return n
}

const program = new Command('ingest')
  .description('Indexes chain settlements into ClickHouse: one network on mainnet, or a devnet plan.')
  .option(
    '--network <id>',
    'catalog network to index from mainnet RPC (SOLANA_RPC_URL, ETHEREUM_RPC_URL, ...)',
  )
  .option(
    '--plan <file>',
    'an ingest plan, e.g. .plumb/devnet/ingest-plan.json written by `npm run devnet -- --live`',
  )
  .option('--from <slot|block>', 'where a first run starts (a checkpoint wins over it)', block)
  .option('--follow', 'keep following the chain heads after catching up', false)
  .parse()

const opts = program.opts<{ network?: string; plan?: string; from?: number; follow: boolean }>()

function loadPlan(): IngestPlan {
  if (opts.plan) return parseIngestPlan(JSON.parse(readFileSync(opts.plan, 'utf8')))
  const catalog = loadCatalog()
  const network = catalog.find((n) => n.id === opts.network)
  if (!network) return program.error(`--network must be one of ${catalog.map((n) => n.id).join(', ')}`)
  return mainnetPlan(network, loadConfig(), opts.from)
}

function progressLine(statuses: SourceStatus[]): string {
  return statuses
    .map((s) => {
      const left = s.headBlock !== null && s.lastBlock !== null ? s.headBlock - s.lastBlock : null
      const eta = left !== null && s.blocksPerSecond > 0 ? `${Math.ceil(left / s.blocksPerSecond)} s` : '?'
      const error = s.lastError ? `, last error: ${s.lastError}` : ''
      return `${s.sourceId}: ${s.lastBlock ?? '-'}/${s.headBlock ?? '?'} (${s.blocksPerSecond.toFixed(0)}/s, ETA ${eta}${error})`
    })
    .join(' | ')
}

if (!opts.network && !opts.plan) program.error('give --network <id> or --plan <file>')
const config = loadConfig()
const db = openDb(config)
try {
  await migrate(db.writer)
  const sources = await createSources(loadPlan(), db)
  const timer = setInterval(
    () => process.stdout.write(`\r${progressLine(sources.map((s) => s.status()))}   `),
    1_000,
  )
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  process.once('SIGTERM', () => controller.abort())
  if (opts.follow) await Promise.all(sources.map((s) => s.run(controller.signal)))
  else for (const source of sources) await indexUntilCaughtUp(source, controller.signal)
  clearInterval(timer)
  process.stdout.write(`\r${progressLine(sources.map((s) => s.status()))}\n`)
} catch (error) {
  console.error(`ingest: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  await db.close()
}
