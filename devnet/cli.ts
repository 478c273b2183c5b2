import { join } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { writeFileSync } from 'node:fs'
import { loadConfig } from '../ingest/config.js'
import { loadCatalog } from '../ingest/networks/index.js'
import { DAY_S, worldConfig } from './world/config.js'
import { worldIngestPlan } from './world/ingest.js'
import { startWorldChains } from './world/run.js'
import { groundTruth, type GroundTruth } from './world/truth.js'
import { writeGroundTruth } from './world/truth-file.js'

const positiveInt = (value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer')
  return n
}

const LIVE_DAYS = 7

const program = new Command('devnet')
  .description('Runs the local chains and the seeded simulated GPU market, and writes its ground truth.')
  .option('--seed <n>', 'world seed', positiveInt, 42)
  .option('--days <n>', 'simulated days', positiveInt, 30)
  .option('--scale <x>', 'node and customer counts multiplier', Number, 1)
  .option('--live', 'keep the chains running after the fast-forward', false)
  .parse()

const opts = program.opts<{ seed: number; days: number; scale: number; live: boolean }>()
// Live, the history ends now and the world goes on for a week more, replayed as the clock reaches it.
const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S
const config = opts.live
  ? worldConfig({
      seed: opts.seed,
      days: opts.days + LIVE_DAYS,
      scale: opts.scale,
      start: new Date((today - opts.days * DAY_S) * 1000),
    })
  : worldConfig({ seed: opts.seed, days: opts.days, scale: opts.scale })
const started = Date.now()
// Both chains replay at once: one status line for the two.
const progress = new Map<string, string>()
const computed: { truth?: GroundTruth } = {}
const chains = await startWorldChains(
  config,
  ({ chain, done, total }) => {
    const rate = done / ((Date.now() - started) / 1000)
    progress.set(chain, `${chain}: ${done}/${total} transactions (${rate.toFixed(0)}/s)`)
    process.stdout.write(`\r${[...progress.values()].join('   ')}   `)
  },
  opts.live ? new Date() : undefined,
  (world, prices) => (computed.truth = groundTruth(world, prices)),
)
process.stdout.write('\n')
const { world } = chains
console.log(
  `world: seed ${config.seed}, ${config.days} days from ${config.start.toISOString().slice(0, 10)}: ` +
    `${world.nodes.length} nodes, ${world.customers.length} customers, ${world.jobs.length} jobs, ` +
    `${world.actions.length} transactions`,
)
console.log(
  `EVM devnet (anvil):      ${chains.evm.anvil.rpcUrl}  market ${chains.evm.deployment.addresses.market}`,
)
console.log(`Solana devnet (litesvm): ${chains.solanaRpc.url}`)

const devnetDir = join(loadConfig().dataDir, 'devnet')
const truthPath = join(devnetDir, `ground-truth-seed${config.seed}-days${config.days}.json`)
writeGroundTruth(truthPath, computed.truth ?? groundTruth(world, chains.prices))
console.log(`ground truth: ${truthPath} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
const planPath = join(devnetDir, 'ingest-plan.json')
writeFileSync(planPath, `${JSON.stringify(worldIngestPlan(chains, loadCatalog()), null, 1)}\n`)
console.log(`ingest plan: ${planPath} (npm run ingest -- --plan ${planPath}, while --live runs)`)

if (opts.live) {
  console.log('live: new transactions are replayed as the clock reaches them; Ctrl-C stops the chains')
  const timer = setInterval(() => void chains.advance(new Date()), 10_000)
  process.once('SIGINT', () => {
    clearInterval(timer)
    void chains.stop().then(() => process.exit(0))
  })
} else {
  await chains.stop()
}
