import { isAddress } from '@solana/kit'
import { z } from 'zod'

import type { Checkpoint } from '../../store/checkpoints.js'
import type { IndexedBlock, SourceBatch, SourceSink, SourceStatus, TxMemo } from '../batch.js'
import { JsonRpcClient, type RpcCall } from '../json-rpc.js'
import type { TokenMovement } from '../movement.js'
import { describeError, RpcError, type RetryPolicy } from '../rpc-retry.js'
import { ProgressRate } from '../progress-rate.js'
import { runLoop } from '../source.js'
import {
  attaches,
  decodeBlockHeader,
  firstBreak,
  firstDivergence,
  headerParams,
  indexedBlock,
  type BlockHeader,
} from './block-headers.js'
import { decodeSignatures, type SignatureEntry } from './decode-signatures.js'
import { decodeSolanaTransaction, type DecodedSolanaTransaction } from './decode-transaction.js'
import { rpcInteger } from './rpc-schemas.js'
import { listSignatures, mergeListings, type PlannedTransaction } from './signature-listing.js'
import {
  appendConfirmed,
  checkpointBlock,
  encodeCursor,
  finalizeThrough,
  initialState,
  stateFromCheckpoint,
  truncateFrom,
  type AddressCursor,
  type SolanaSourceState,
} from './source-state.js'

/** What the source needs of a checkpoint store (CheckpointStore, or an in-memory one). */
export interface CheckpointStoreLike {
  load(sourceId: string): Promise<Checkpoint | null>
  save(checkpoint: Checkpoint): Promise<void>
}

export interface SolanaSourceOptions {
  sourceId: string
  /** Chain name written into rows ('solana'). */
  chain: string
  rpcUrl: string
  /**
   * Catalog accounts whose transactions are indexed: mints, programs, vault/escrow token accounts.
   * A mint sees mintTo, burn and transferChecked, not a plain `Transfer` (which names only the two
   * token accounts): list the vaults too. Every movement of an indexed transaction is handed over.
   * An address added after the first checkpoint is followed from there on, not backfilled.
   */
  addresses: string[]
  /** First slot to index (default 0: an address's whole history). */
  startSlot?: number
  /** getTransaction calls per JSON-RPC batch (e.g. 50). */
  batchSize: number
  /** JSON-RPC batches (and signature listings) in flight at once (e.g. 4). */
  concurrency: number
  checkpoints: CheckpointStoreLike
  sink: SourceSink
  onStatus?: (status: SourceStatus) => void
  /** Backfill: transactions per sink batch, cut at a slot boundary (default batchSize × concurrency × 4). */
  transactionsPerBatch?: number
  /** `limit` of getSignaturesForAddress (default and maximum 1000). */
  signaturesPageSize?: number
  /** Backfill: signatures held in memory per address at most, about (default 100,000). */
  maxPendingSignatures?: number
  /** Per HTTP request (default 15 s). */
  requestTimeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Pause of `run` when caught up (default 2 s). */
  pollIntervalMs?: number
  /** Backoff of `run` after a failed step: base and cap (default 1 s, 60 s). */
  errorBackoffMs?: { base: number; max: number }
}

/** Progress counters beyond SourceStatus, for tests, benchmarks and logs. */
export interface SolanaSourceCounters {
  batches: number
  /** Backfill windows listed (more than one per catch-up when a listing hit maxPendingSignatures). */
  windows: number
  /** Signature entries listed (an entry listed under two addresses counts twice). */
  signatures: number
  /** Transactions fetched and decoded. */
  transactions: number
  failedTxs: number
  movements: number
  /** Confirmed slots retracted because the node's chain no longer had them. */
  retracts: number
  /** sink.finalize calls (confirmed rows relabelled after their slots were checked). */
  finalizes: number
  rpcRetries: number
  rpcCalls: number
}

/** The node answered from another fork (or another node) than a moment before: read again. */
export class ChainMovedError extends Error {
  override readonly name = 'ChainMovedError'
}

/** A backfill window: finalized transactions in (finalizedSlot, top], indexed chunk by chunk. */
interface BackfillPlan {
  top: number
  /** `top` is the node's finalized slot, hence a block whose header anchors the confirmed reads. */
  topIsBlock: boolean
  transactions: PlannedTransaction[]
  next: number
  byAddress: Map<string, { entries: AddressCursor[]; next: number }>
}

interface TransactionsRead {
  decoded: DecodedSolanaTransaction[]
  headers: Map<number, BlockHeader>
}

type Commitment = 'confirmed' | 'finalized'

const MAX_PAGE = 1000
// agave: -32004 block not available, -32007 slot skipped, -32009 skipped in long-term storage
const MISSING_BLOCK_CODES = new Set([-32004, -32007, -32009])
const slotList = z.array(rpcInteger)

/**
 * Indexes the SPL token movements of the transactions that touch catalog accounts, from any Solana
 * JSON-RPC.
 *
 * Backfill at `finalized`: each address's signatures are paged back to its cursor (or to
 * startSlot), merged and de-duplicated, and their transactions fetched in JSON-RPC batches and
 * handed to the sink in slot order, a contiguous slot range per batch. At the head, slots above
 * the finalized one are read at `confirmed` with every block header, which must chain to the
 * previous read; once the finalized slot passes them, their blocks are compared with the
 * finalized chain: the same blocks are relabelled (`sink.finalize`), from the first difference
 * up the rows are retracted and read again at finalized. The checkpoint (per-address cursors,
 * slots, the confirmed blocks) is saved after the sink returned.
 */
export class SolanaSource {
  private readonly rpc: JsonRpcClient
  private readonly addresses: string[]
  private readonly startSlot: number
  private readonly pageSize: number
  private readonly transactionsPerBatch: number
  private readonly maxPending: number
  /** Per address, `before` bounds of signature pages a capped listing dropped (memory only). */
  private readonly resume = new Map<string, AddressCursor[]>()
  private state: SolanaSourceState | null = null
  private plan: BackfillPlan | null = null
  private head: number | null = null
  private stepping = false
  private lastError: { message: string; at: Date } | null = null
  private readonly rate = new ProgressRate()
  private readonly counters = {
    batches: 0,
    windows: 0,
    signatures: 0,
    transactions: 0,
    failedTxs: 0,
    movements: 0,
    retracts: 0,
    finalizes: 0,
  }

  constructor(private readonly options: SolanaSourceOptions) {
    this.addresses = [...new Set(options.addresses)]
    if (this.addresses.length === 0) throw new Error(`${options.sourceId}: no address to follow`)
    const invalid = this.addresses.filter((a) => !isAddress(a))
    if (invalid.length > 0)
      throw new Error(`${options.sourceId}: not Solana addresses: ${invalid.join(', ')}`)
    this.startSlot = options.startSlot ?? 0
    requireInteger('startSlot', this.startSlot, 0)
    requireInteger('batchSize', options.batchSize, 1)
    requireInteger('concurrency', options.concurrency, 1)
    this.pageSize = options.signaturesPageSize ?? MAX_PAGE
    requireInteger('signaturesPageSize', this.pageSize, 1)
    if (this.pageSize > MAX_PAGE) throw new Error(`signaturesPageSize is at most ${MAX_PAGE}`)
    this.transactionsPerBatch = options.transactionsPerBatch ?? options.batchSize * options.concurrency * 4
    requireInteger('transactionsPerBatch', this.transactionsPerBatch, 1)
    this.maxPending = options.maxPendingSignatures ?? 100_000
    requireInteger('maxPendingSignatures', this.maxPending, 1)
    this.rpc = new JsonRpcClient({
      url: options.rpcUrl,
      timeoutMs: options.requestTimeoutMs,
      retry: options.retry,
      maxBatchSize: options.batchSize,
      batchConcurrency: options.concurrency,
      onRetry: (event) =>
        this.noteError(`${describeError(event.error)} (retry ${event.retry} in ${event.delayMs} ms)`),
    })
  }

  /** One bounded unit of work: a backfill chunk, a confirmed read, a finality check, or a tip check. */
  async step(signal?: AbortSignal): Promise<{ advanced: boolean }> {
    if (this.stepping) throw new Error(`${this.options.sourceId}: step already running`)
    this.stepping = true
    try {
      return { advanced: await this.stepOnce(signal) }
    } catch (err) {
      if (!signal?.aborted) this.noteError(describeError(err))
      throw err
    } finally {
      this.stepping = false
      this.publish()
    }
  }

  /** Steps until `signal` fires; sleeps when caught up, backs off after errors; never throws. */
  run(signal: AbortSignal): Promise<void> {
    return runLoop((s) => this.step(s), signal, this.options)
  }

  status(): SourceStatus {
    const rpc = this.rpc.stats()
    const last = this.state?.confirmedSlot ?? null
    return {
      sourceId: this.options.sourceId,
      chain: this.options.chain,
      lastBlock: last !== null && last >= this.startSlot ? last : null,
      headBlock: this.head,
      blocksPerSecond: this.rate.perSecond(),
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
      rpcRequests: rpc.requests,
      rpcWaitMs: rpc.waitMs,
    }
  }

  stats(): SolanaSourceCounters {
    const rpc = this.rpc.stats()
    return { ...this.counters, rpcRetries: rpc.retries, rpcCalls: rpc.calls }
  }

  private async stepOnce(signal: AbortSignal | undefined): Promise<boolean> {
    const state = await this.loadState()
    if (this.plan) {
      await this.indexChunk(state, this.plan, signal)
      return true
    }
    const { finalized, confirmed } = await this.headSlots(signal)
    if (finalized > state.finalizedSlot) {
      if (state.confirmedSlot > state.finalizedSlot) {
        await this.settleConfirmed(state, finalized, signal)
        return true
      }
      this.plan = await this.planBackfill(state, finalized, signal)
      await this.indexChunk(state, this.plan, signal)
      return true
    }
    if (confirmed > state.confirmedSlot) return this.readConfirmed(state, confirmed, signal)
    // a node behind the one that answered before (load-balanced RPC) lacks our newest blocks: wait for it
    if (confirmed < state.confirmedSlot) return false
    return this.checkTip(state, signal)
  }

  private async loadState(): Promise<SolanaSourceState> {
    if (this.state) return this.state
    const checkpoint = await this.options.checkpoints.load(this.options.sourceId)
    this.state = checkpoint ? stateFromCheckpoint(checkpoint) : initialState(this.startSlot)
    return this.state
  }

  private async headSlots(
    signal: AbortSignal | undefined,
  ): Promise<{ finalized: number; confirmed: number }> {
    const calls: RpcCall[] = [
      { method: 'getSlot', params: [{ commitment: 'finalized' }] },
      { method: 'getSlot', params: [{ commitment: 'confirmed' }] },
    ]
    const [finalized, confirmed] = (await this.rpc.batch(calls, { signal })).map((r) => rpcInteger.parse(r))
    if (finalized === undefined || confirmed === undefined) throw new Error('getSlot answered nothing')
    this.head = confirmed
    return { finalized, confirmed }
  }

  // ---- backfill at finalized ------------------------------------------------------------------

  /** Lists every address down to its cursor; the window ends where a capped listing stopped. */
  private async planBackfill(
    state: SolanaSourceState,
    finalized: number,
    signal: AbortSignal | undefined,
  ): Promise<BackfillPlan> {
    const low = state.finalizedSlot
    const listings = await this.listAll(state, 'finalized', low, finalized, signal)
    let top = finalized
    for (const { ceiling } of listings.values()) if (ceiling !== null) top = Math.min(top, ceiling - 1)
    const entries = new Map([...listings].map(([address, listing]) => [address, listing.entries]))
    const merged = mergeListings(entries, top)
    const byAddress = new Map(
      [...merged.byAddress].map(([address, list]) => [address, { entries: list, next: 0 }]),
    )
    this.counters.windows++
    return { top, topIsBlock: top === finalized, transactions: merged.transactions, next: 0, byAddress }
  }

  private async indexChunk(
    state: SolanaSourceState,
    plan: BackfillPlan,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const end = chunkEnd(plan.transactions, plan.next, this.transactionsPerBatch)
    const chunk = plan.transactions.slice(plan.next, end)
    const last = end === plan.transactions.length
    const to = last ? plan.top : (chunk.at(-1) as PlannedTransaction).slot
    const read = await this.readTransactions(chunk, 'finalized', last && plan.topIsBlock ? [to] : [], signal)
    const from = state.finalizedSlot + 1
    const headers = [...read.headers.values()].sort((a, b) => a.slot - b.slot)
    await this.write(from, to, 'finalized', headers, chunk, read.decoded)

    const positions = new Map<string, number>()
    const cursors = new Map(state.cursors)
    for (const [address, list] of plan.byAddress) {
      let next = list.next
      while (next < list.entries.length && (list.entries[next] as AddressCursor).slot <= to) next++
      positions.set(address, next)
      const newest = list.entries[next - 1]
      if (next > list.next && newest) cursors.set(address, newest)
    }
    const anchorBlock = headers.at(-1)
    const next: SolanaSourceState = {
      ...state,
      finalizedSlot: to,
      confirmedSlot: to,
      cursors,
      anchor: anchorBlock ? { slot: anchorBlock.slot, blockhash: anchorBlock.blockhash } : state.anchor,
    }
    await this.save(next)
    plan.next = end
    for (const [address, position] of positions) {
      const list = plan.byAddress.get(address)
      if (list) list.next = position
    }
    if (last) this.plan = null
  }

  // ---- following at confirmed -----------------------------------------------------------------

  /** Reads (confirmedSlot, head] at confirmed: every block header, then the followed transactions. */
  private async readConfirmed(
    state: SolanaSourceState,
    head: number,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    const from = state.confirmedSlot + 1
    const slots = (await this.blockSlots(from, head, 'confirmed', signal)).filter((s) => s <= head)
    const headers = await this.headers(slots, 'confirmed', signal)
    const first = headers[0]
    if (first && !this.extendsState(state, first)) return this.handleFork(state, signal)
    const broken = firstBreak(headers)
    if (broken) throw new ChainMovedError(`block ${broken.slot} does not extend the block before it`)

    const listings = await this.listAll(state, 'confirmed', state.confirmedSlot, head, signal)
    const entries = new Map([...listings].map(([address, listing]) => [address, listing.entries]))
    const merged = mergeListings(entries, head)
    const known = new Set(slots)
    const stray = merged.transactions.find((t) => !known.has(t.slot))
    if (stray)
      throw new ChainMovedError(`signature ${stray.signature} at slot ${stray.slot}, not a block read`)
    const read = await this.readTransactions(merged.transactions, 'confirmed', [], signal)
    await this.write(from, head, 'confirmed', headers, merged.transactions, read.decoded)

    const signatures = new Map(
      [...entries].map(([address, list]) => [
        address,
        list.map((e) => ({ signature: e.signature, slot: e.slot })),
      ]),
    )
    await this.save(appendConfirmed(state, head, headers.map(slotBlockOf), signatures))
    return true
  }

  /** Whether the first new block attaches to the last one read (or, with none, below the finalized slot). */
  private extendsState(state: SolanaSourceState, first: BlockHeader): boolean {
    const last = state.tail.at(-1)
    if (last) return attaches(first, last)
    if (first.parentSlot > state.finalizedSlot) return false
    const anchor = state.anchor
    if (anchor && first.parentSlot === anchor.slot && first.previousBlockhash !== anchor.blockhash) {
      throw new Error(
        `block ${first.slot} names ${first.previousBlockhash} as its parent ${anchor.slot}, finalized as ${anchor.blockhash}`,
      )
    }
    return true
  }

  /** The confirmed blocks read before are no longer all on the node's chain: retract from the first that is not. */
  private async handleFork(state: SolanaSourceState, signal: AbortSignal | undefined): Promise<boolean> {
    const diverged = await this.divergence(
      state,
      'confirmed',
      state.finalizedSlot + 1,
      state.confirmedSlot,
      signal,
    )
    if (diverged === null) throw new ChainMovedError('the node changed its blocks during the read')
    await this.retractFrom(state, diverged)
    return true
  }

  /**
   * The finalized slot passed confirmed rows: their blocks must be the finalized chain's. Rows up
   * to the first difference are relabelled, rows from it up are retracted (and read again).
   */
  private async settleConfirmed(
    state: SolanaSourceState,
    finalized: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const through = Math.min(finalized, state.confirmedSlot)
    const diverged = await this.divergence(state, 'finalized', state.finalizedSlot + 1, through, signal)
    const verified = diverged === null ? through : diverged - 1
    let next = state
    if (verified > state.finalizedSlot) {
      await this.options.sink.finalize(this.options.chain, verified)
      this.counters.finalizes++
      next = finalizeThrough(next, verified)
    }
    if (diverged === null) {
      await this.save(next)
      return
    }
    await this.retractFrom(next, diverged)
  }

  /** Caught up: make sure the last confirmed block read is still the node's. */
  private async checkTip(state: SolanaSourceState, signal: AbortSignal | undefined): Promise<boolean> {
    const last = state.tail.at(-1)
    if (!last) return false
    const header = await this.headerOrNull(last.slot, signal)
    if (header?.blockhash === last.blockhash) return false
    const diverged = await this.divergence(
      state,
      'confirmed',
      state.finalizedSlot + 1,
      state.confirmedSlot,
      signal,
    )
    if (diverged === null) return false
    await this.retractFrom(state, diverged)
    return true
  }

  /** Retract-then-checkpoint is safe to repeat: after a crash in between, the same difference is found. */
  private async retractFrom(state: SolanaSourceState, slot: number): Promise<void> {
    await this.options.sink.retract(this.options.chain, slot)
    const next = truncateFrom(state, slot)
    await this.save(next)
    this.counters.retracts++
    // not an error, but what an operator looking at the status wants to know about
    this.noteError(`slots ${slot}..${state.confirmedSlot} left the chain: retracted, reading them again`)
  }

  /** The first slot in [from, to] where the node's chain at `commitment` differs from the blocks read. */
  private async divergence(
    state: SolanaSourceState,
    commitment: Commitment,
    from: number,
    to: number,
    signal: AbortSignal | undefined,
  ): Promise<number | null> {
    if (to < from) return null
    const nodeSlots = await this.blockSlots(from, to, commitment, signal)
    const ours = state.tail.filter((b) => b.slot >= from && b.slot <= to)
    const onNode = new Set(nodeSlots)
    const common = ours.filter((b) => onNode.has(b.slot)).map((b) => b.slot)
    const nodeHeaders = await this.headers(common, commitment, signal)
    return firstDivergence(ours, nodeSlots, new Map(nodeHeaders.map((h) => [h.slot, h.blockhash])))
  }

  // ---- RPC reads ------------------------------------------------------------------------------

  private async listAll(
    state: SolanaSourceState,
    commitment: Commitment,
    low: number,
    high: number,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, { entries: SignatureEntry[]; ceiling: number | null }>> {
    const capped = commitment === 'finalized'
    const listings = await mapLimit(this.addresses, this.options.concurrency, async (address) => {
      const until = state.cursors.get(address)?.signature
      const resume = capped ? this.resumeOf(address) : []
      const listing = await listSignatures(
        async (before) => {
          const config = {
            commitment,
            limit: this.pageSize,
            ...(before ? { before } : {}),
            ...(until ? { until } : {}),
          }
          return decodeSignatures(
            await this.rpc.call('getSignaturesForAddress', [address, config], { signal }),
          )
        },
        { low, high, pageSize: this.pageSize, cap: capped ? this.maxPending : Infinity, resume },
      )
      this.counters.signatures += listing.entries.length
      return [address, listing] as const
    })
    return new Map(listings)
  }

  private resumeOf(address: string): AddressCursor[] {
    let resume = this.resume.get(address)
    if (!resume) {
      resume = []
      this.resume.set(address, resume)
    }
    return resume
  }

  /**
   * The transactions (failed ones are not fetched) and the headers of their slots and of
   * `extraSlots`, in JSON-RPC batches of `batchSize`, `concurrency` at a time.
   */
  private async readTransactions(
    planned: readonly PlannedTransaction[],
    commitment: Commitment,
    extraSlots: readonly number[],
    signal: AbortSignal | undefined,
  ): Promise<TransactionsRead> {
    const wanted = planned.filter((t) => !t.failed)
    const headerSlots =
      commitment === 'finalized' ? [...new Set([...wanted.map((t) => t.slot), ...extraSlots])] : []
    const config = { commitment, encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 }
    const calls: RpcCall[] = [
      ...wanted.map((t) => ({ method: 'getTransaction', params: [t.signature, config] })),
      ...headerSlots.map((slot) => ({ method: 'getBlock', params: headerParams(slot, commitment) })),
    ]
    const results = calls.length > 0 ? await this.rpc.batch(calls, { signal }) : []
    const decoded = wanted.map((t, i) => this.decodeTransaction(t, results[i]))
    const headers = new Map<number, BlockHeader>()
    headerSlots.forEach((slot, i) => headers.set(slot, decodeBlockHeader(slot, results[wanted.length + i])))
    return { decoded, headers }
  }

  private decodeTransaction(planned: PlannedTransaction, result: unknown): DecodedSolanaTransaction {
    if (result === null || result === undefined) {
      throw new ChainMovedError(`transaction ${planned.signature} listed but not found at the node`)
    }
    const tx = decodeSolanaTransaction(result, { chain: this.options.chain })
    if (tx.signature !== planned.signature || tx.slot !== planned.slot) {
      throw new RpcError(
        'malformed',
        `asked for ${planned.signature}, got ${tx.signature} at slot ${tx.slot}`,
        {
          method: 'getTransaction',
        },
      )
    }
    return tx
  }

  private async blockSlots(
    from: number,
    to: number,
    commitment: Commitment,
    signal: AbortSignal | undefined,
  ): Promise<number[]> {
    if (to < from) return []
    const result = await this.rpc.call('getBlocks', [from, to, { commitment }], { signal })
    return slotList.parse(result).filter((slot) => slot >= from && slot <= to)
  }

  private async headers(
    slots: readonly number[],
    commitment: Commitment,
    signal: AbortSignal | undefined,
  ): Promise<BlockHeader[]> {
    if (slots.length === 0) return []
    const calls = slots.map((slot) => ({ method: 'getBlock', params: headerParams(slot, commitment) }))
    const results = await this.rpc.batch(calls, { signal })
    return slots.map((slot, i) => decodeBlockHeader(slot, results[i]))
  }

  /** The confirmed header of `slot`, or null when the node has no block there (skipped, or not on its fork). */
  private async headerOrNull(slot: number, signal: AbortSignal | undefined): Promise<BlockHeader | null> {
    try {
      return decodeBlockHeader(
        slot,
        await this.rpc.call('getBlock', headerParams(slot, 'confirmed'), { signal }),
      )
    } catch (err) {
      if (
        err instanceof RpcError &&
        err.details.code !== undefined &&
        MISSING_BLOCK_CODES.has(err.details.code)
      ) {
        return null
      }
      throw err
    }
  }

  // ---- sink and checkpoint --------------------------------------------------------------------

  private async write(
    from: number,
    to: number,
    finality: Commitment,
    headers: readonly BlockHeader[],
    planned: readonly PlannedTransaction[],
    decoded: readonly DecodedSolanaTransaction[],
  ): Promise<void> {
    const times = new Map(headers.map((h) => [h.slot, h.blockTime]))
    const movements: TokenMovement[] = []
    const memos: TxMemo[] = []
    let failed = planned.length - decoded.length
    for (const tx of decoded) {
      if (tx.failed) {
        failed++
        continue
      }
      const time = tx.blockTime ?? times.get(tx.slot)
      if (tx.memo && time)
        memos.push({ txId: tx.signature, blockNumber: tx.slot, blockTime: time, memo: tx.memo })
      for (const m of tx.movements)
        movements.push(m.blockTime ? m : { ...m, blockTime: times.get(m.slotOrBlock) ?? null })
    }
    const blocks = headers
      .filter((h) => h.slot >= from && h.slot <= to)
      .map(indexedBlock)
      .filter((b): b is IndexedBlock => b !== null)
    const batch: SourceBatch = {
      sourceId: this.options.sourceId,
      chain: this.options.chain,
      fromBlock: from,
      toBlock: to,
      finality,
      blocks,
      movements,
      events: [],
      failedTxs: failed,
      memos,
    }
    await this.options.sink.write(batch)
    this.counters.batches++
    this.counters.transactions += decoded.length
    this.counters.failedTxs += failed
    this.counters.movements += movements.length
  }

  private async save(state: SolanaSourceState): Promise<void> {
    const block = checkpointBlock(state)
    await this.options.checkpoints.save({
      sourceId: this.options.sourceId,
      cursor: encodeCursor(state),
      blockNumber: block.number,
      blockHash: block.hash,
      headNumber: Math.max(block.number, this.head ?? 0),
    })
    this.state = state
    this.rate.record(state.confirmedSlot)
  }

  private noteError(message: string): void {
    this.lastError = { message, at: new Date() }
  }

  private publish(): void {
    try {
      this.options.onStatus?.(this.status())
    } catch {
      // a failing status listener must not stop the source
    }
  }
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got ${value}`)
}

function slotBlockOf(header: BlockHeader) {
  const { slot, blockhash, parentSlot, previousBlockhash } = header
  return { slot, blockhash, parentSlot, previousBlockhash }
}

/** End (exclusive) of the chunk from `start`: `limit` fetched transactions, the last slot completed. */
function chunkEnd(transactions: readonly PlannedTransaction[], start: number, limit: number): number {
  let end = start
  let fetched = 0
  while (end < transactions.length) {
    const tx = transactions[end] as PlannedTransaction
    if (fetched >= limit && tx.slot !== transactions[end - 1]?.slot) break
    if (!tx.failed) fetched++
    end++
  }
  return end
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
