import { join } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { loadConfig } from '../ingest/config.js'
import { worldConfig } from './world/config.js'
import { makeWorld } from './world/plan.js'
import { startSolanaRpcServer } from './solana/rpc-server.js'
import { startEvmWorld } from './world/run-evm.js'
import { SolanaExecutor } from './world/solana-executor.js'
import { groundTruth } from './world/truth.js'
import { writeGroundTruth } from './world/truth-file.js'

const positiveInt = (value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer')
  return n
}

const program = new Command('devnet')
  .description('Runs the local chains and the seeded simulated GPU market, and writes its ground truth.')
  .option('--seed <n>', 'world seed', positiveInt, 42)
  .option('--days <n>', 'simulated days', positiveInt, 30)
  .option('--scale <x>', 'node and customer counts multiplier', Number, 1)
  .option('--live', 'keep the chains running after the fast-forward', false)
  .parse()

const opts = program.opts<{ seed: number; days: number; scale: number; live: boolean }>()
const config = worldConfig({ seed: opts.seed, days: opts.days, scale: opts.scale })
const started = Date.now()
const { world, prices } = makeWorld(config)
console.log(
  `world: seed ${config.seed}, ${config.days} days from ${config.start.toISOString().slice(0, 10)}: ` +
    `${world.nodes.length} nodes, ${world.customers.length} customers, ${world.jobs.length} jobs, ` +
    `${world.actions.length} transactions`,
)

const evm = await startEvmWorld(world)
console.log(`EVM devnet (anvil): ${evm.anvil.rpcUrl}  market ${evm.deployment.addresses.market}`)
const evmActions = world.actions.filter((a) => a.chain === 'arbitrum')
let done = 0
for (const action of evmActions) {
  await evm.executor.execute(action)
  if (++done % 200 === 0 || done === evmActions.length) {
    const rate = done / ((Date.now() - started) / 1000)
    process.stdout.write(`\rEVM: ${done}/${evmActions.length} transactions (${rate.toFixed(0)}/s)`)
  }
}
process.stdout.write('\n')

const solana = new SolanaExecutor(world)
const solanaActions = world.actions.filter((a) => a.chain === 'solana')
done = 0
const solanaStarted = Date.now()
for (const action of solanaActions) {
  await solana.execute(action)
  if (++done % 500 === 0 || done === solanaActions.length) {
    const rate = done / ((Date.now() - solanaStarted) / 1000)
    process.stdout.write(`\rSolana: ${done}/${solanaActions.length} transactions (${rate.toFixed(0)}/s)`)
  }
}
solana.finish()
process.stdout.write('\n')
const solanaRpc = await startSolanaRpcServer(solana.ledger)
console.log(`Solana devnet (litesvm): ${solanaRpc.url}`)

const truthPath = join(
  loadConfig().dataDir,
  'devnet',
  `ground-truth-seed${config.seed}-days${config.days}.json`,
)
writeGroundTruth(truthPath, groundTruth(world, prices))
console.log(`ground truth: ${truthPath} (${((Date.now() - started) / 1000).toFixed(1)} s)`)

if (opts.live) {
  console.log('live: chains stay up; Ctrl-C stops them')
  process.once(
    'SIGINT',
    () => void Promise.all([evm.anvil.stop(), solanaRpc.close()]).then(() => process.exit(0)),
  )
} else {
  await Promise.all([evm.anvil.stop(), solanaRpc.close()])
}
