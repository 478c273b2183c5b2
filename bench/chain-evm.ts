/**
 * EVM source throughput: ERC-20 Transfer logs indexed per second from the anvil devnet.
 *
 *   node --import @swc-node/register/esm-register bench/chain-evm.ts [--logs 50000] [--per-tx 500] [--gap 4] [--range 2000]
 *
 * LogSpammer emits `--per-tx` Transfers per transaction, one transaction per block, with `--gap`
 * empty blocks between them; `--range` is the source's initial eth_getLogs range. The source
 * indexes them into a counting sink, with its checkpoints in an embedded ClickHouse.
 * "Processing" is wall time minus the time an RPC request (or a retry backoff) was outstanding:
 * what Plumb itself spends (JSON parsing, decoding, checks, sink, checkpoints).
 */
import { ContractFactory, Interface } from 'ethers'
import { parseArgs } from 'node:util'

import { startAnvil } from '../devnet/evm/anvil.js'
import { compileContracts } from '../devnet/evm/compile.js'
import { devnetProvider } from '../devnet/evm/deploy.js'
import type { SourceBatch, SourceSink } from '../ingest/chains/batch.js'
import { EvmSource } from '../ingest/chains/evm/source.js'
import { CheckpointStore } from '../ingest/store/checkpoints.js'
import { openTempDb } from '../test/support/temp-db.js'
import { report } from './report.js'

const { values } = parseArgs({
  options: {
    logs: { type: 'string', default: '50000' },
    'per-tx': { type: 'string', default: '500' },
    gap: { type: 'string', default: '4' },
    range: { type: 'string', default: '2000' },
  },
})
const totalLogs = Number(values.logs)
const perTx = Number(values['per-tx'])
const gap = Number(values.gap)
const initialRange = Number(values.range)
const hex = (n: number) => '0x' + n.toString(16)

class CountingSink implements SourceSink {
  movements = 0
  sum = 0n
  ms = 0

  async write(batch: SourceBatch): Promise<void> {
    const started = performance.now()
    this.movements += batch.movements.length
    for (const m of batch.movements) this.sum += m.amountRaw
    this.ms += performance.now() - started
  }

  async retract(): Promise<void> {
    throw new Error('no reorg expected in the benchmark')
  }

  async finalize(): Promise<void> {}
}

async function main(): Promise<void> {
  const anvil = await startAnvil({ startTime: 1_767_225_600 })
  const temp = await openTempDb()
  const provider = devnetProvider(anvil.rpcUrl, anvil.chainId)
  try {
    const compiled = (await compileContracts()).contracts['LogSpammer']
    if (!compiled) throw new Error('LogSpammer not compiled')
    const [from] = (await provider.send('eth_accounts', [])) as string[]
    const signer = await provider.getSigner(from)
    const spammer = await new ContractFactory(compiled.abi, compiled.bytecode, signer).deploy()
    await spammer.waitForDeployment()
    const address = await spammer.getAddress()
    const startBlock = Number(await provider.send('eth_blockNumber', []))

    const generating = performance.now()
    const iface = new Interface(compiled.abi)
    let expectedSum = 0n
    for (let first = 1; first <= totalLogs; first += perTx) {
      const count = Math.min(perTx, totalLogs - first + 1)
      const data = iface.encodeFunctionData('spam', [count, first])
      await provider.send('eth_sendTransaction', [
        { from, to: address, data, gas: hex(30_000 + count * 3_000) },
      ])
      for (let i = 0; i < count; i++) expectedSum += BigInt(first + i)
      if (gap > 0) await provider.send('anvil_mine', [hex(gap)])
    }
    const head = Number(await provider.send('eth_blockNumber', []))
    const generateMs = performance.now() - generating

    const sink = new CountingSink()
    const store = new CheckpointStore(temp.db.writer)
    let checkpointMs = 0
    const checkpoints = {
      load: (id: string) => store.load(id),
      save: async (c: Parameters<CheckpointStore['save']>[0]) => {
        const started = performance.now()
        await store.save(c)
        checkpointMs += performance.now() - started
      },
    }
    const source = new EvmSource({
      sourceId: 'bench-evm',
      chain: 'devnet',
      rpcUrl: anvil.rpcUrl,
      tokens: [address],
      startBlock,
      finalityDepth: 12,
      initialRange,
      maxRange: 10_000,
      checkpoints,
      sink,
    })
    const started = performance.now()
    let steps = 0
    while ((await source.step()).advanced) steps++
    const wallMs = performance.now() - started

    if (sink.movements !== totalLogs || sink.sum !== expectedSum) {
      throw new Error(
        `indexed ${sink.movements} logs (sum ${sink.sum}), expected ${totalLogs} (sum ${expectedSum})`,
      )
    }
    const status = source.status()
    const stats = source.stats()
    const processingMs = wallMs - status.rpcWaitMs
    const rows: [string, string][] = [
      ['logs indexed (exact count and sum checked)', String(sink.movements)],
      ['blocks', `${head - startBlock + 1} (${startBlock}..${head})`],
      ['generation on anvil', `${(generateMs / 1000).toFixed(1)} s`],
      ['steps / batches', `${steps} / ${stats.batches}`],
      ['RPC requests (HTTP)', String(status.rpcRequests)],
      ['RPC calls (batch elements counted)', String(stats.rpcCalls)],
      ['wall time', `${wallMs.toFixed(0)} ms`],
      ['waiting on RPC', `${status.rpcWaitMs} ms`],
      ['processing (wall - RPC wait)', `${processingMs.toFixed(0)} ms`],
      ['  of which checkpoint saves (ClickHouse)', `${checkpointMs.toFixed(0)} ms`],
      ['  of which sink', `${sink.ms.toFixed(0)} ms`],
      ['logs/s, processing', `${Math.round(totalLogs / (processingMs / 1000))}`],
      ['logs/s, wall (with RPC)', `${Math.round(totalLogs / (wallMs / 1000))}`],
      ['target logs/s, processing', '20000'],
      ['eth_getLogs range: initial / final', `${initialRange} / ${stats.range} blocks`],
    ]
    const width = Math.max(...rows.map(([k]) => k.length))
    console.log(
      `\nEVM source benchmark (${totalLogs} Transfer logs, ${perTx} per tx, ${gap} empty blocks between)\n`,
    )
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
    report({
      name: 'logs/s, processing (wall - RPC wait)',
      value: totalLogs / (processingMs / 1000),
      unit: 'logs/s',
      target: { op: '>=', value: 20_000 },
    })
    report({ name: 'logs/s, wall (with RPC)', value: totalLogs / (wallMs / 1000), unit: 'logs/s' })
  } finally {
    provider.destroy()
    await anvil.stop()
    await temp.dispose()
  }
}

await main()
