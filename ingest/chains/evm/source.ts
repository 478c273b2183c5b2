import { Interface } from 'ethers'

import type { Checkpoint } from '../../store/checkpoints.js'
import type { IndexedBlock, MarketEvent, SourceBatch, SourceSink, SourceStatus } from '../batch.js'
import { JsonRpcClient } from '../json-rpc.js'
import type { TokenMovement } from '../movement.js'
import { describeError, RpcError, type RetryPolicy } from '../rpc-retry.js'
import { ProgressRate } from '../progress-rate.js'
import { runLoop } from '../source.js'
import { checkParentLink, decodeBlockHeader, type BlockHeader } from './decode-block.js'
import { ERC20_INTERFACE } from './decode-logs.js'
import { decodeErc20Transfers } from './erc20-transfers.js'
import { isRangeRefusal, LogRange } from './log-range.js'
import { ChainMovedError, logBlocks, partitionByAddress } from './log-scan.js'
import { decodeMarketEvents, marketTopics, type MarketContract } from './market-events.js'
import { quantity } from './rpc-schemas.js'
import {
  encodeCursor,
  initialState,
  pruneRecent,
  stateFromCheckpoint,
  type SourceState,
} from './source-state.js'

/** What the source needs of a checkpoint store (CheckpointStore, or an in-memory one). */
export interface CheckpointStoreLike {
  load(sourceId: string): Promise<Checkpoint | null>
  save(checkpoint: Checkpoint): Promise<void>
}

export interface EvmSourceOptions {
  sourceId: string
  chain: string
  rpcUrl: string
  /** ERC-20 contracts whose `Transfer`s are indexed. */
  tokens: string[]
  /** A job market whose JobPosted/JobStarted/JobFinished are indexed. */
  market?: MarketContract
  startBlock: number
  /** Blocks at or below head - finalityDepth are final; rows above are `confirmed`. */
  finalityDepth: number
  /** Blocks per eth_getLogs to start with (default 2,000). */
  initialRange?: number
  /** Never ask for more blocks than this (default 10,000). */
  maxRange?: number
  checkpoints: CheckpointStoreLike
  sink: SourceSink
  onStatus?: (status: SourceStatus) => void
  /** Per HTTP request (default 15 s). */
  requestTimeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Calls per JSON-RPC batch (default 100). */
  maxBatchSize?: number
  /** Logs per eth_getLogs to aim at (default 10,000). */
  targetLogsPerCall?: number
  /** Pause of `run` when caught up (default 2 s). */
  pollIntervalMs?: number
  /** Backoff of `run` after a failed step: base and cap (default 1 s, 60 s). */
  errorBackoffMs?: { base: number; max: number }
}

/** Progress counters beyond SourceStatus, for tests, benchmarks and logs. */
export interface EvmSourceCounters {
  batches: number
  logs: number
  movements: number
  events: number
  reorgs: number
  /** eth_getLogs ranges the node refused (the range shrank). */
  rangeRefusals: number
  rpcRetries: number
  rpcCalls: number
  /** Current eth_getLogs range, in blocks. */
  range: number
}

/** A reorg below the finality depth (or below a block written as finalized): needs an operator. */
export class DeepReorgError extends Error {
  override readonly name = 'DeepReorgError'
}

interface RangeRead {
  from: number
  to: number
  logs: unknown[]
  logHashes: Map<number, string | null>
  headers: Map<number, BlockHeader>
}

const HEAD_MAX_AGE_MS = 5_000

const hex = (n: number): string => '0x' + n.toString(16)

/**
 * Indexes ERC-20 Transfers of catalog tokens and a market's job events from any EVM JSON-RPC.
 *
 * Each step reads one range: below head - finalityDepth (final) logs first, then the headers of
 * the range ends and of the blocks with logs; above it (may reorg) every header first, then the
 * logs, and the headers must chain. The first block must extend the last indexed one (parent
 * hash); the logs' block hashes must match the headers. The batch goes to the sink, then the
 * checkpoint (cursor: recent hashes, finalized height, range size) is saved.
 */
export class EvmSource {
  private readonly rpc: JsonRpcClient
  private readonly range: LogRange
  private readonly addresses: string[]
  private readonly tokens: string[]
  private readonly topics: string[]
  private readonly market: { address: string; iface: Interface } | null
  private state: SourceState | null = null
  private head: { number: number; at: number } | null = null
  private stepping = false
  private lastError: { message: string; at: Date } | null = null
  private readonly rate = new ProgressRate()
  private readonly counters = { batches: 0, logs: 0, movements: 0, events: 0, reorgs: 0, rangeRefusals: 0 }

  constructor(private readonly options: EvmSourceOptions) {
    if (!Number.isInteger(options.finalityDepth) || options.finalityDepth < 0) {
      throw new Error(`finalityDepth must be a non-negative integer, got ${options.finalityDepth}`)
    }
    this.tokens = [...new Set(options.tokens.map((t) => t.toLowerCase()))]
    this.market = options.market
      ? { address: options.market.address.toLowerCase(), iface: new Interface(options.market.abi) }
      : null
    this.addresses = [...new Set([...this.tokens, ...(this.market ? [this.market.address] : [])])]
    if (this.addresses.length === 0) throw new Error(`${options.sourceId}: no token and no market to index`)
    const transfer = ERC20_INTERFACE.getEvent('Transfer')?.topicHash
    if (!transfer) throw new Error('ERC-20 Transfer event missing')
    this.topics = [transfer, ...(this.market ? marketTopics(this.market.iface) : [])]
    this.range = new LogRange({
      initial: options.initialRange ?? 2_000,
      max: options.maxRange ?? 10_000,
      targetLogs: options.targetLogsPerCall,
    })
    this.rpc = new JsonRpcClient({
      url: options.rpcUrl,
      timeoutMs: options.requestTimeoutMs,
      retry: options.retry,
      maxBatchSize: options.maxBatchSize,
      onRetry: (event) =>
        this.noteError(`${describeError(event.error)} (retry ${event.retry} in ${event.delayMs} ms)`),
    })
  }

  /** One bounded unit of work: one range indexed, one reorg handled, or a check of the tip. */
  async step(signal?: AbortSignal): Promise<{ advanced: boolean }> {
    if (this.stepping) throw new Error(`${this.options.sourceId}: step already running`)
    this.stepping = true
    try {
      const advanced = await this.stepOnce(signal)
      return { advanced }
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
    const last = this.state?.lastBlock ?? null
    return {
      sourceId: this.options.sourceId,
      chain: this.options.chain,
      lastBlock: last !== null && this.state && this.state.recent.has(last) ? last : null,
      headBlock: this.head?.number ?? null,
      blocksPerSecond: this.rate.perSecond(),
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
      rpcRequests: rpc.requests,
      rpcWaitMs: rpc.waitMs,
    }
  }

  stats(): EvmSourceCounters {
    const rpc = this.rpc.stats()
    return { ...this.counters, rpcRetries: rpc.retries, rpcCalls: rpc.calls, range: this.range.size() }
  }

  private async stepOnce(signal: AbortSignal | undefined): Promise<boolean> {
    const state = await this.loadState()
    const head = await this.headNumber(state, signal)
    const from = state.lastBlock + 1
    if (from > head) return this.checkTip(state, head, signal)
    const boundary = head - this.options.finalityDepth
    const finalized = from <= boundary
    const read = finalized
      ? await this.readFinalized(state, from, boundary, signal)
      : await this.readConfirmed(state, from, head, signal)
    if (this.reorgedBelow(state, read)) {
      await this.handleReorg(state, head, signal)
      return true
    }
    verifyRead(read, !finalized)
    await this.commit(state, read, finalized ? 'finalized' : 'confirmed', head)
    return true
  }

  private async loadState(): Promise<SourceState> {
    if (this.state) return this.state
    const checkpoint = await this.options.checkpoints.load(this.options.sourceId)
    if (!checkpoint) {
      this.state = initialState(this.options.startBlock)
      return this.state
    }
    const { state, range } = stateFromCheckpoint(checkpoint)
    if (range !== null) this.range.restore(range)
    this.state = state
    return state
  }

  /** The node's head; reused for a few seconds while the next range is far below it. */
  private async headNumber(state: SourceState, signal: AbortSignal | undefined): Promise<number> {
    const cached = this.head
    const farBelow =
      cached && state.lastBlock + this.range.size() <= cached.number - this.options.finalityDepth
    if (cached && farBelow && Date.now() - cached.at < HEAD_MAX_AGE_MS) return cached.number
    const number = quantity.parse(await this.rpc.call('eth_blockNumber', [], { signal }))
    this.head = { number, at: Date.now() }
    return number
  }

  /** Final blocks: logs first, then the headers of the range ends and of the blocks with logs. */
  private async readFinalized(
    state: SourceState,
    from: number,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<RangeRead> {
    const { to, logs } = await this.getLogs(from, limit, signal)
    const logHashes = logBlocks(logs)
    const wanted = new Set([from, to, ...logHashes.keys()])
    if (from > 0 && !state.recent.has(from - 1)) wanted.add(from - 1)
    const headers = await this.getHeaders([...wanted], signal)
    return { from, to, logs, logHashes, headers }
  }

  /**
   * Blocks that may still reorg: every header first, then the logs. Logs from another branch
   * than the headers show up as a hash mismatch; headers of a branch that then loses show up
   * at the next parent check.
   */
  private async readConfirmed(
    state: SourceState,
    from: number,
    head: number,
    signal: AbortSignal | undefined,
  ): Promise<RangeRead> {
    const end = Math.min(head, from + this.range.size() - 1)
    const numbers = Array.from({ length: end - from + 1 }, (_, i) => from + i)
    if (from > 0 && !state.recent.has(from - 1)) numbers.unshift(from - 1)
    const headers = await this.getHeaders(numbers, signal)
    const { to, logs } = await this.getLogs(from, end, signal)
    return { from, to, logs, logHashes: logBlocks(logs), headers }
  }

  /** Whether the first block of the read does not extend the last indexed one. */
  private reorgedBelow(state: SourceState, read: RangeRead): boolean {
    const first = requireHeader(read.headers, read.from)
    const known = state.recent.get(read.from - 1)
    if (known !== undefined) return !checkParentLink({ number: read.from - 1, hash: known }, first).ok
    const anchor = read.headers.get(read.from - 1)
    if (anchor && !checkParentLink(anchor, first).ok) {
      throw new ChainMovedError(`block ${read.from} does not extend block ${read.from - 1} of the same read`)
    }
    return false
  }

  /** eth_getLogs over [from, ≤ limit]; a refused range shrinks and is asked again. */
  private async getLogs(
    from: number,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<{ to: number; logs: unknown[] }> {
    for (;;) {
      const size = this.range.size()
      const to = Math.min(limit, from + size - 1)
      const span = to - from + 1
      const filter = {
        fromBlock: hex(from),
        toBlock: hex(to),
        address: this.addresses,
        topics: [this.topics],
      }
      const started = performance.now()
      try {
        const result = await this.rpc.call('eth_getLogs', [filter], { signal, retryTimeouts: span === 1 })
        if (!Array.isArray(result)) {
          throw new RpcError('malformed', 'eth_getLogs did not return an array', { method: 'eth_getLogs' })
        }
        this.range.onSuccess(span, result.length, performance.now() - started, span === size)
        return { to, logs: result }
      } catch (err) {
        // a server error that outlived the client's retries may be a gateway giving up on a heavy query
        const heavy = isRangeRefusal(err) || (err instanceof RpcError && err.kind === 'server')
        if (span <= 1 || !heavy) throw err
        this.counters.rangeRefusals++
        this.noteError(`${describeError(err)} (${span} blocks from ${from}: asking for fewer)`)
        this.range.onRefused(span, err instanceof Error ? err.message : String(err), from)
      }
    }
  }

  /** Headers by number, in one JSON-RPC batch (chunked); every block must exist. */
  private async getHeaders(
    numbers: number[],
    signal: AbortSignal | undefined,
  ): Promise<Map<number, BlockHeader>> {
    const found = await this.getHeadersOrNull(numbers, signal)
    const headers = new Map<number, BlockHeader>()
    for (const [number, header] of found) {
      // a load-balanced RPC whose nodes are not all at the head answers null for recent blocks
      if (!header) throw new ChainMovedError(`block ${number} not found at the node`)
      headers.set(number, header)
    }
    return headers
  }

  private async getHeadersOrNull(
    numbers: readonly number[],
    signal: AbortSignal | undefined,
  ): Promise<Map<number, BlockHeader | null>> {
    const sorted = [...new Set(numbers)].sort((a, b) => a - b)
    const calls = sorted.map((n) => ({ method: 'eth_getBlockByNumber', params: [hex(n), false] }))
    const results = await this.rpc.batch(calls, { signal })
    const headers = new Map<number, BlockHeader | null>()
    sorted.forEach((number, i) => {
      const result = results[i]
      const header = result === null || result === undefined ? null : decodeBlockHeader(result)
      if (header && header.number !== number) {
        throw new RpcError('malformed', `asked for block ${number}, got ${header.number}`, {
          method: 'eth_getBlockByNumber',
        })
      }
      headers.set(number, header)
    })
    return headers
  }

  private async commit(
    state: SourceState,
    read: RangeRead,
    finality: 'finalized' | 'confirmed',
    head: number,
  ): Promise<void> {
    const { chain } = this.options
    const timeOf = (block: number): Date => requireHeader(read.headers, block).time
    const { matching, others } = partitionByAddress(read.logs, this.market?.address ?? null)
    const movements: TokenMovement[] = decodeErc20Transfers(chain, others, { addresses: this.tokens })
    for (const movement of movements) movement.blockTime = timeOf(movement.slotOrBlock)
    const events: MarketEvent[] = this.market
      ? decodeMarketEvents(chain, this.market.iface, this.market.address, matching, timeOf)
      : []
    const batch: SourceBatch = {
      sourceId: this.options.sourceId,
      chain,
      fromBlock: read.from,
      toBlock: read.to,
      finality,
      blocks: indexedBlocks(read),
      movements,
      events,
      failedTxs: 0,
    }
    await this.options.sink.write(batch)
    // the parent link of this batch proved the earlier rows still canonical
    const finalizedThrough = await this.finalizeUpTo(state, head)

    const recent = new Map(state.recent)
    for (const [number, header] of read.headers) if (number <= read.to) recent.set(number, header.hash)
    const next: SourceState = {
      lastBlock: read.to,
      recent: pruneRecent(recent, read.to, this.options.finalityDepth),
      finalizedThrough: finality === 'finalized' ? read.to : finalizedThrough,
    }
    await this.saveCheckpoint(next, head)
    this.state = next
    this.counters.batches++
    this.counters.logs += read.logs.length
    this.counters.movements += movements.length
    this.counters.events += events.length
    this.rate.record(read.to)
  }

  /** Caught up: make sure the last indexed block is still the node's. */
  private async checkTip(
    state: SourceState,
    head: number,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    const known = state.recent.get(state.lastBlock)
    if (known === undefined) return false
    const header = (await this.getHeadersOrNull([state.lastBlock], signal)).get(state.lastBlock)
    // null: the node is behind its own head report, or on a shorter branch; either way wait for it
    if (!header) return false
    if (header.hash !== known) {
      await this.handleReorg(state, head, signal)
      return true
    }
    const finalizedThrough = await this.finalizeUpTo(state, head)
    if (finalizedThrough === state.finalizedThrough) return false
    const next = { ...state, finalizedThrough }
    await this.saveCheckpoint(next, head)
    this.state = next
    return true
  }

  /**
   * Tells the sink that rows written as confirmed have passed the finality depth. Only for rows
   * at or below `state.lastBlock`, whose hash the caller has just checked against the node.
   */
  private async finalizeUpTo(state: SourceState, head: number): Promise<number> {
    const through = Math.min(state.lastBlock, head - this.options.finalityDepth)
    if (through <= state.finalizedThrough) return state.finalizedThrough
    await this.options.sink.finalize(this.options.chain, through)
    return through
  }

  /**
   * The common ancestor is the highest remembered block whose hash the node still has. Rows above
   * it are retracted, then the checkpoint moves down to it; the next steps index the new branch.
   * Retract-then-checkpoint is safe to repeat: a crash in between finds the same reorg again.
   */
  private async handleReorg(
    state: SourceState,
    head: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const numbers = [...state.recent.keys()].sort((a, b) => b - a)
    const node = await this.getHeadersOrNull(numbers, signal)
    const ancestor = numbers.find((n) => node.get(n)?.hash === state.recent.get(n))
    const depth = this.options.finalityDepth
    if (ancestor === undefined) {
      throw new DeepReorgError(
        `reorg below block ${numbers.at(-1) ?? state.lastBlock}: deeper than the finality depth (${depth})`,
      )
    }
    if (ancestor < state.finalizedThrough) {
      throw new DeepReorgError(
        `reorg at block ${ancestor + 1}, below block ${state.finalizedThrough} written as finalized (depth ${depth})`,
      )
    }
    await this.options.sink.retract(this.options.chain, ancestor + 1)
    const next: SourceState = {
      lastBlock: ancestor,
      recent: pruneRecent(state.recent, ancestor, Number.POSITIVE_INFINITY),
      finalizedThrough: state.finalizedThrough,
    }
    await this.saveCheckpoint(next, head)
    this.state = next
    this.counters.reorgs++
    // not an error, but what an operator looking at the status wants to know about
    this.noteError(`reorg handled: blocks ${ancestor + 1}..${state.lastBlock} retracted, re-indexing them`)
  }

  private async saveCheckpoint(state: SourceState, head: number): Promise<void> {
    await this.options.checkpoints.save({
      sourceId: this.options.sourceId,
      cursor: encodeCursor(state, this.range.size()),
      blockNumber: state.lastBlock,
      blockHash: state.recent.get(state.lastBlock) ?? '',
      headNumber: head,
    })
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

function requireHeader(headers: ReadonlyMap<number, BlockHeader>, number: number): BlockHeader {
  const header = headers.get(number)
  if (!header) throw new Error(`header of block ${number} was not fetched`)
  return header
}

/** Logs and headers must come from one branch; confirmed ranges must also chain block to block. */
function verifyRead(read: RangeRead, everyBlock: boolean): void {
  for (const [number, hash] of read.logHashes) {
    if (number < read.from || number > read.to) {
      throw new ChainMovedError(
        `eth_getLogs answered a log of block ${number}, outside ${read.from}..${read.to}`,
      )
    }
    const header = requireHeader(read.headers, number)
    if (hash !== null && hash !== header.hash) {
      throw new ChainMovedError(
        `block ${number} changed during the read (logs ${hash}, header ${header.hash})`,
      )
    }
  }
  if (!everyBlock) return
  for (let n = read.from + 1; n <= read.to; n++) {
    const link = checkParentLink(requireHeader(read.headers, n - 1), requireHeader(read.headers, n))
    if (!link.ok) throw new ChainMovedError(link.detail)
  }
}

function indexedBlocks(read: RangeRead): IndexedBlock[] {
  return [...read.headers.values()]
    .filter((h) => h.number >= read.from && h.number <= read.to)
    .sort((a, b) => a.number - b.number)
    .map((h) => ({ number: h.number, hash: h.hash, parentHash: h.parentHash, time: h.time }))
}
