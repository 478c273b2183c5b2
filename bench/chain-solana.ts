/**
 * Solana source throughput: SPL transfers indexed per second from the litesvm devnet.
 *
 *   node --import @swc-node/register/esm-register bench/chain-solana.ts [--txs 20000] [--per-slot 50] [--batch 50] [--concurrency 4]
 *
 * A child process (this file with --serve) builds the ledger: `--txs` transferChecked with a memo
 * on one mint, `--per-slot` per slot, every fifth slot followed by a skipped one, and serves it
 * over JSON-RPC (finalized = confirmed, so the whole run is a backfill). This process follows the
 * mint with the Solana source into a counting sink, with its checkpoints in an embedded
 * ClickHouse. The devnet runs in its own process so that "waiting on RPC" is time the source
 * really waits, not the devnet's encoding on the same thread. "Processing" is wall time minus
 * that wait: what Plumb itself spends (JSON parsing, decoding, merging, sink, checkpoints).
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import { SolanaLedger } from '../devnet/solana/ledger.js'
import { startSolanaRpcServer } from '../devnet/solana/rpc-server.js'
import type { SourceBatch, SourceSink } from '../ingest/chains/batch.js'
import { SolanaSource } from '../ingest/chains/solana/source.js'
import { CheckpointStore, type Checkpoint } from '../ingest/store/checkpoints.js'
import { openTempDb } from '../test/support/temp-db.js'
import { report } from './report.js'

const { values } = parseArgs({
  options: {
    txs: { type: 'string', default: '20000' },
    'per-slot': { type: 'string', default: '50' },
    batch: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '4' },
    serve: { type: 'boolean', default: false },
  },
})
const totalTxs = Number(values.txs)
const perSlot = Number(values['per-slot'])

interface Served {
  url: string
  mint: string
  expectedSum: string
  slots: number
  lastSlot: number
  generateMs: number
}

/** The child: builds the ledger, serves it, prints what it made on one line, serves until killed. */
async function serve(): Promise<void> {
  const started = performance.now()
  const ledger = new SolanaLedger()
  const alice = ledger.signer('bench-alice')
  const bob = ledger.signer('bench-bob')
  ledger.airdrop(alice.address, 1_000_000_000_000n)
  const mint = ledger.createMint({ payer: alice, decimals: 6, mintAuthority: alice.address }).mint
  const source = ledger.createAssociatedTokenAccount({ payer: alice, owner: alice.address, mint }).address
  const destination = ledger.createAssociatedTokenAccount({ payer: alice, owner: bob.address, mint }).address
  ledger.mintTo({ mint, destination: source, authority: alice, amount: 10n ** 15n })
  ledger.advanceSlot()
  let expectedSum = 0n
  let slots = 0
  for (let i = 0; i < totalTxs; i++) {
    const amount = BigInt(i + 1)
    ledger.transferChecked({ source, mint, destination, authority: alice, amount }, { memo: `bench-${i}` })
    expectedSum += amount
    if ((i + 1) % perSlot === 0 || i === totalTxs - 1) {
      slots++
      ledger.advanceSlot({ skip: slots % 5 === 0 ? 1 : 0 })
    }
    // litesvm frees its native objects only when the event loop turns
    if (i % 200 === 199) await new Promise((resolve) => setImmediate(resolve))
  }
  const server = await startSolanaRpcServer(ledger, { finalizedLag: 0 })
  const served: Served = {
    url: server.url,
    mint,
    expectedSum: expectedSum.toString(),
    slots,
    lastSlot: ledger.latestBlock.slot,
    generateMs: performance.now() - started,
  }
  process.stdout.write(JSON.stringify(served) + '\n')
  process.stdin.resume()
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)))
}

class CountingSink implements SourceSink {
  transfers = 0
  other = 0
  sum = 0n
  memos = 0
  failed = 0
  ms = 0

  async write(batch: SourceBatch): Promise<void> {
    const started = performance.now()
    for (const m of batch.movements) {
      if (m.kind !== 'transfer') {
        this.other++
        continue
      }
      this.transfers++
      this.sum += m.amountRaw
      if (m.memo?.startsWith('bench-')) this.memos++
    }
    this.failed += batch.failedTxs
    this.ms += performance.now() - started
  }

  async retract(): Promise<void> {
    throw new Error('no fork expected in the benchmark')
  }

  async finalize(): Promise<void> {}
}

async function startDevnet(): Promise<{ served: Served; stop: () => void }> {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--serve', '--txs', String(totalTxs)]
  const child = spawn(process.execPath, [...args, '--per-slot', String(perSlot)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`devnet exited with ${code}`)))
  })
  return { served: JSON.parse(first) as Served, stop: () => child.stdin.end() }
}

async function main(): Promise<void> {
  const { served, stop } = await startDevnet()
  const temp = await openTempDb()
  try {
    const sink = new CountingSink()
    const store = new CheckpointStore(temp.db.writer)
    let checkpointMs = 0
    const checkpoints = {
      load: (id: string) => store.load(id),
      save: async (c: Checkpoint) => {
        const started = performance.now()
        await store.save(c)
        checkpointMs += performance.now() - started
      },
    }
    const source = new SolanaSource({
      sourceId: 'bench-solana',
      chain: 'solana',
      rpcUrl: served.url,
      addresses: [served.mint],
      batchSize: Number(values.batch),
      concurrency: Number(values.concurrency),
      checkpoints,
      sink,
    })
    const started = performance.now()
    let steps = 0
    while ((await source.step()).advanced) steps++
    const wallMs = performance.now() - started

    if (sink.transfers !== totalTxs || sink.sum !== BigInt(served.expectedSum) || sink.memos !== totalTxs) {
      throw new Error(
        `indexed ${sink.transfers} transfers (sum ${sink.sum}, ${sink.memos} memos), expected ${totalTxs} (sum ${served.expectedSum})`,
      )
    }
    const status = source.status()
    const stats = source.stats()
    const processingMs = wallMs - status.rpcWaitMs
    const rate = (ms: number) => Math.round(stats.transactions / (ms / 1000))
    const rows: [string, string][] = [
      ['transfers indexed (exact count, sum, memos checked)', String(sink.transfers)],
      ['transactions fetched (setup ones included)', String(stats.transactions)],
      ['slots', `${served.slots} with transfers, last slot ${served.lastSlot}`],
      ['generation on litesvm (child process)', `${(served.generateMs / 1000).toFixed(1)} s`],
      ['steps / sink batches', `${steps} / ${stats.batches}`],
      ['signatures listed', String(stats.signatures)],
      ['RPC requests (HTTP)', String(status.rpcRequests)],
      ['RPC calls (batch elements counted)', String(stats.rpcCalls)],
      ['wall time', `${wallMs.toFixed(0)} ms`],
      ['waiting on RPC', `${status.rpcWaitMs} ms`],
      ['processing (wall - RPC wait)', `${processingMs.toFixed(0)} ms`],
      ['  of which checkpoint saves (ClickHouse)', `${checkpointMs.toFixed(0)} ms`],
      ['  of which sink', `${sink.ms.toFixed(0)} ms`],
      ['transactions/s, processing', String(rate(processingMs))],
      ['transactions/s, wall (with RPC)', String(rate(wallMs))],
      ['target transactions/s, processing', '2000'],
    ]
    const width = Math.max(...rows.map(([k]) => k.length))
    console.log(
      `\nSolana source benchmark (${totalTxs} transferChecked with memo, ${perSlot} per slot, ` +
        `batches of ${values.batch} getTransaction, ${values.concurrency} in flight)\n`,
    )
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
    report({
      name: 'transactions/s, processing (wall - RPC wait)',
      value: stats.transactions / (processingMs / 1000),
      unit: 'tx/s',
      target: { op: '>=', value: 2000 },
    })
    report({
      name: 'transactions/s, wall (with RPC)',
      value: stats.transactions / (wallMs / 1000),
      unit: 'tx/s',
    })
  } finally {
    stop()
    await temp.dispose()
  }
}

if (values.serve) await serve()
else await main()
