/**
 * plumb agent: reads the node's GPUs, signs batches with the operator's key, pushes them to Plumb.
 *   node --import @swc-node/register/esm-register ingest/agent/cli.ts \
 *     --endpoint https://plumb.example --key ~/.config/solana/id.json --network nosana --node <id>
 */
import { pathToFileURL } from 'node:url'
import { Command, InvalidArgumentError, Option } from 'commander'
import { Agent } from './agent.js'
import { FileSource, NvidiaSmiSource, type GpuSource } from './collect.js'
import { loadKeyFile } from './keys.js'

interface CliOptions {
  endpoint: string
  key: string
  network: string
  node: string
  interval: number
  spool: string
  source?: string
  nvidiaSmi: string
  count?: number
  drainTimeout: number
}

function positiveNumber(raw: string): number {
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a positive number')
  return value
}

function positiveInt(raw: string): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError('must be a positive integer')
  return value
}

function log(message: string): void {
  console.error(`plumb agent: ${message}`)
}

export function agentCommand(): Command {
  return new Command('agent')
    .description('read GPUs with nvidia-smi, sign telemetry batches with the node key, push them to Plumb')
    .addOption(new Option('--endpoint <url>', 'Plumb base URL').env('PLUMB_ENDPOINT').makeOptionMandatory())
    .addOption(
      new Option('--key <file>', 'Solana id.json or EVM private key (hex) file')
        .env('PLUMB_AGENT_KEY')
        .makeOptionMandatory(),
    )
    .addOption(new Option('--network <id>', 'catalog network id').env('PLUMB_NETWORK').makeOptionMandatory())
    .addOption(
      new Option('--node <id>', 'node id on that network').env('PLUMB_NODE_ID').makeOptionMandatory(),
    )
    .addOption(
      new Option('--interval <seconds>', 'sampling interval')
        .env('PLUMB_AGENT_INTERVAL_S')
        .argParser(positiveNumber)
        .default(10),
    )
    .addOption(
      new Option('--spool <dir>', 'where batches wait until delivered')
        .env('PLUMB_AGENT_SPOOL')
        .default('./.plumb-agent'),
    )
    .addOption(
      new Option('--source <file>', 'read nvidia-smi CSV or XML output from a file instead of running it'),
    )
    .addOption(
      new Option('--nvidia-smi <path>', 'nvidia-smi binary').env('PLUMB_NVIDIA_SMI').default('nvidia-smi'),
    )
    .addOption(new Option('--count <n>', 'take n readings, deliver everything, exit').argParser(positiveInt))
    .addOption(
      new Option('--drain-timeout <seconds>', 'with --count: how long to wait for delivery')
        .argParser(positiveNumber)
        .default(120),
    )
    .action(async (options: CliOptions) => {
      process.exitCode = await runAgent(options)
    })
}

async function runAgent(options: CliOptions): Promise<number> {
  const signer = await loadKeyFile(options.key, log)
  const source: GpuSource = options.source
    ? new FileSource(options.source)
    : new NvidiaSmiSource(options.nvidiaSmi, 10_000, log)
  const agent = new Agent({
    endpoint: options.endpoint,
    network: options.network,
    nodeId: options.node,
    signer,
    source,
    spoolDir: options.spool,
    intervalMs: options.interval * 1000,
    log,
  })
  await agent.open()
  log(
    `node ${options.node} of ${options.network}, ${signer.keyType} key ${signer.publicKey}, reading ${source.label}`,
  )
  const stop = (): void => agent.stop()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const sender = agent.send()
  if (options.count === undefined) {
    await agent.sample(null)
    await sender
    return 0
  }
  await agent.sample(options.count)
  const drained = await agent.drained(Date.now() + options.drainTimeout * 1000)
  agent.stop()
  await sender
  log(`${agent.counts.delivered} batch(es) delivered, ${agent.counts.refused} refused`)
  return drained ? 0 : 2
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  agentCommand()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      log(error instanceof Error ? error.message : String(error))
      process.exitCode = 1
    })
}
