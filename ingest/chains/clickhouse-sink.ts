import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client'
import { decodeBytes32String } from 'ethers'
import { classify, type TxJobContext } from '../networks/classify.js'
import type { Deployment } from '../networks/deployment.js'
import type { PriceSource } from '../prices/price-source.js'
import type { JobEventRow, JobStatus, TokenFlowRow } from '../store/rows.js'
import type { Store } from '../store/store.js'
import { refreshSnapshots, spansWhere } from '../store/snapshots.js'
import type { MarketEvent, SourceBatch, SourceSink } from './batch.js'
import { parseJobMemo, type MemoJobRef } from './job-memos.js'
import { rawToUnits } from './units.js'

const MARKET_STATUS: Record<number, JobStatus> = {
  1: 'succeeded',
  2: 'failed',
  3: 'timed_out',
  4: 'cancelled',
}
const MEMO_STATUS = new Set<string>(['succeeded', 'failed', 'timed_out', 'cancelled'])

// Stated on the INSERT … SELECT statements below: the embedded engine (chdb) applies settings with
// SET on its session, so the deduplication token of the last insert (e.g. the plan's prices, which
// every ingest run loads with the same token) would still be in force, and a retraction or relabel
// would be dropped silently as a duplicate of an earlier one.
const NO_DEDUP_TOKEN: ClickHouseSettings = {
  insert_deduplication_token: '',
  deduplicate_blocks_in_dependent_materialized_views: 0,
}

const timeText = (date: Date): string =>
  date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')

/** A bytes32 job id that holds text (as the devnet market's do) reads as that text; else stays hex. */
function readableJobId(hex: string): string {
  try {
    const text = decodeBytes32String(hex)
    return /^[\x20-\x7e]+$/.test(text) ? text : hex
  } catch {
    return hex
  }
}

/** Versions only grow, so a retraction or relabel always wins over what it replaces. */
class VersionClock {
  private last = 0

  next(): number {
    this.last = Math.max(this.last + 1, Date.now() * 1000)
    return this.last
  }
}

interface TxJob {
  network: string
  context: TxJobContext
  memo: MemoJobRef | null
  event: MarketEvent | null
}

/**
 * The sink every chain source writes to: classifies movements by the deployments' rules, prices
 * them at block time, derives job lifecycle events, and stores both with deduplication tokens.
 * Reorg retraction and finality relabelling are INSERT … SELECT at a higher version.
 */
export class ClickHouseSink implements SourceSink {
  private readonly clock = new VersionClock()

  constructor(
    private readonly store: Store,
    private readonly client: ClickHouseClient,
    private readonly deployments: readonly Deployment[],
    private readonly prices: PriceSource,
  ) {}

  private marketNetwork(chain: string): string | null {
    return (
      this.deployments.find((d) => d.accounts.some((a) => a.chain === chain && a.role === 'market'))
        ?.network ?? null
    )
  }

  /** Job facts per transaction: market events (EVM) or job memos (Solana). */
  private txJobs(batch: SourceBatch): Map<string, TxJob> {
    const jobs = new Map<string, TxJob>()
    const networks = new Set(this.deployments.map((d) => d.network))
    for (const event of batch.events) {
      const network = this.marketNetwork(batch.chain)
      if (!network) continue
      const finished =
        event.name === 'JobFinished' ? (event.status === 1 ? 'succeeded' : 'not_succeeded') : null
      const jobId = readableJobId(event.jobId)
      const previous = jobs.get(event.txId)
      jobs.set(event.txId, {
        network,
        context: { jobId, posted: event.name === 'JobPosted' || previous?.context.posted === true, finished },
        memo: null,
        event,
      })
    }
    const memos = [
      ...(batch.memos ?? []).map((m) => [m.txId, m.memo] as const),
      ...batch.movements.map((m) => [m.txId, m.memo ?? ''] as const),
    ]
    for (const [txId, text] of memos) {
      const memo = parseJobMemo(text)
      if (!memo || !networks.has(memo.network) || jobs.has(txId)) continue
      const status = memo.verb === 'finish' ? (memo.details[0] ?? '') : null
      jobs.set(txId, {
        network: memo.network,
        context: {
          jobId: memo.jobId,
          posted: memo.verb === 'post',
          finished: status === null ? null : status === 'succeeded' ? 'succeeded' : 'not_succeeded',
        },
        memo,
        event: null,
      })
    }
    return jobs
  }

  private async flows(
    batch: SourceBatch,
    jobs: Map<string, TxJob>,
    version: number,
  ): Promise<TokenFlowRow[]> {
    const blocks = new Map(batch.blocks.map((b) => [b.number, b]))
    const rows: TokenFlowRow[] = []
    for (const m of batch.movements) {
      const job = jobs.get(m.txId) ?? null
      const c = classify(this.deployments, m, job?.context ?? null)
      if (!c) continue
      const block = blocks.get(m.slotOrBlock)
      const time = m.blockTime ?? block?.time
      if (!time) throw new Error(`no block time for ${m.txId} in block ${m.slotOrBlock}`)
      const amount = rawToUnits(m.amountRaw, m.decimals ?? c.token.decimals)
      const usd = await this.prices.usdAt(c.token.address, time)
      rows.push({
        network: c.network,
        chain: batch.chain,
        block_number: m.slotOrBlock,
        block_hash: block?.hash ?? '',
        block_time: timeText(time),
        tx_id: m.txId,
        event_index: m.eventIndex,
        token: c.token.address,
        token_symbol: c.token.symbol,
        amount,
        amount_usd: usd === null ? null : Number(amount) * usd,
        kind: c.kind,
        payer: c.payer,
        payee: c.payee,
        job_id: job && job.network === c.network ? job.context.jobId : '',
        finality: batch.finality,
        version,
        is_deleted: 0,
      })
    }
    return rows
  }

  private jobEvents(
    batch: SourceBatch,
    jobs: Map<string, TxJob>,
    flows: TokenFlowRow[],
    version: number,
  ): JobEventRow[] {
    const rows: JobEventRow[] = []
    const memoTimes = new Map((batch.memos ?? []).map((m) => [m.txId, m]))
    for (const [txId, job] of jobs) {
      const verb = job.event?.name ?? job.memo?.verb
      const event =
        verb === 'JobPosted' || verb === 'post'
          ? 'posted'
          : verb === 'JobStarted' || verb === 'start'
            ? 'started'
            : verb === 'JobFinished' || verb === 'finish'
              ? 'finished'
              : null
      if (!event) continue
      const payment = flows.find((f) => f.tx_id === txId && f.kind === 'customer_payment')
      const anyFlow = flows.find((f) => f.tx_id === txId)
      const at = job.event ?? memoTimes.get(txId)
      const blockNumber = job.event?.blockNumber ?? at?.blockNumber ?? anyFlow?.block_number
      const time =
        job.event?.blockTime ??
        at?.blockTime ??
        (anyFlow ? new Date(`${anyFlow.block_time.replace(' ', 'T')}Z`) : null)
      if (blockNumber === undefined || !time) continue
      const details = job.memo?.details ?? []
      const memoStatus = details[0] ?? ''
      const status: JobStatus =
        event === 'posted'
          ? 'queued'
          : event === 'started'
            ? 'running'
            : job.event
              ? (MARKET_STATUS[job.event.status ?? 0] ?? 'failed')
              : MEMO_STATUS.has(memoStatus)
                ? (memoStatus as JobStatus)
                : 'failed'
      rows.push({
        network: job.network,
        chain: batch.chain,
        job_id: job.context.jobId,
        event,
        time: timeText(time),
        block_number: blockNumber,
        tx_id: txId,
        event_index: job.event?.eventIndex ?? 0,
        customer: job.event?.customer ?? payment?.payer ?? '',
        node_id:
          job.event?.provider ??
          (event === 'posted' ? (details[2] ?? '') : event === 'started' ? (details[0] ?? '') : ''),
        gpu_model: job.event?.gpuModel ?? (event === 'posted' ? (details[0] ?? '') : ''),
        gpu_count: job.event?.gpuCount ?? (event === 'posted' ? Number(details[1] ?? 0) || 0 : 0),
        status,
        price: payment?.amount ?? '0',
        price_token: payment?.token_symbol ?? '',
        price_usd: payment?.amount_usd ?? null,
        source: 'onchain',
        version,
        is_deleted: 0,
      })
    }
    return rows
  }

  async write(batch: SourceBatch): Promise<void> {
    const version = this.clock.next()
    const jobs = this.txJobs(batch)
    const flows = await this.flows(batch, jobs, version)
    const events = this.jobEvents(batch, jobs, flows, version)
    const token = `${batch.sourceId}:${batch.chain}:${batch.fromBlock}-${batch.toBlock}:${batch.finality}`
    await this.store.insert('token_flows', flows, `${token}:flows`)
    await this.store.insert('job_events', events, `${token}:jobs`)
  }

  async retract(chain: string, fromBlock: number): Promise<void> {
    const version = this.clock.next()
    const orphaned = 'chain = {chain:String} AND block_number >= {from:UInt64}'
    for (const table of ['token_flows', 'job_events'] as const) {
      const spans = await spansWhere(this.client, table, orphaned, { chain, from: fromBlock })
      await this.client.command({
        query: `INSERT INTO ${table} SELECT * REPLACE ({version:UInt64} AS version, 1 AS is_deleted)
                FROM ${table} FINAL WHERE ${orphaned}`,
        query_params: { version, chain, from: fromBlock },
        clickhouse_settings: NO_DEDUP_TOKEN,
      })
      await refreshSnapshots(this.client, table, spans)
    }
  }

  async finalize(chain: string, throughBlock: number): Promise<void> {
    // The filter sits in a subquery: ClickHouse resolves SELECT aliases in WHERE, so beside
    // `'finalized' AS finality` the condition `finality = 'confirmed'` was always false.
    await this.client.command({
      query: `INSERT INTO token_flows SELECT * REPLACE ({version:UInt64} AS version, 'finalized' AS finality)
              FROM (SELECT * FROM token_flows FINAL
                    WHERE chain = {chain:String} AND block_number <= {through:UInt64} AND finality = 'confirmed')`,
      query_params: { version: this.clock.next(), chain, through: throughBlock },
      clickhouse_settings: NO_DEDUP_TOKEN,
    })
  }
}
