import type { TokenMovement } from './movement.js'

/** A block (or Solana slot) a source has indexed: what reorg checks and block times need. */
export interface IndexedBlock {
  number: number
  hash: string
  parentHash: string
  time: Date
}

/** A market event decoded from a job contract or program, before classification. */
export interface MarketEvent {
  chain: string
  txId: string
  blockNumber: number
  blockTime: Date
  eventIndex: number
  name: 'JobPosted' | 'JobStarted' | 'JobFinished'
  jobId: string
  customer?: string
  provider?: string
  /** Raw token units (stablecoin for the EVM market). */
  amountRaw?: bigint
  gpuCount?: number
  gpuModel?: string
  /** 1 succeeded, 2 failed, 3 timed out, 4 cancelled (ComputeMarket.sol). */
  status?: number
}

/**
 * What a chain source hands to the sink for one contiguous range of blocks/slots. The sink
 * classifies, prices and stores it; the source writes its checkpoint only after the sink returns.
 */
export interface SourceBatch {
  sourceId: string
  chain: string
  fromBlock: number
  toBlock: number
  finality: 'finalized' | 'confirmed'
  blocks: IndexedBlock[]
  movements: TokenMovement[]
  events: MarketEvent[]
  /** Transactions skipped because they failed on chain. */
  failedTxs: number
  /** Memos of successful transactions (Solana), including those that move no token. */
  memos?: TxMemo[]
}

export interface TxMemo {
  txId: string
  blockNumber: number
  blockTime: Date
  memo: string
}

export interface SourceSink {
  write(batch: SourceBatch): Promise<void>
  /**
   * Retracts every row of `chain` at or above `fromBlock` (orphaned by a reorg). Never called at
   * or below a block that was written as finalized or passed to `finalize`.
   */
  retract(chain: string, fromBlock: number): Promise<void>
  /**
   * Rows of `chain` at or below `throughBlock` written as `confirmed` are final now: relabel them
   * `finalized`. Called once the finality depth has passed them and the source has checked they
   * are still on the canonical chain; idempotent (may be repeated after a restart).
   */
  finalize(chain: string, throughBlock: number): Promise<void>
}

/** Progress and health of one running source, for the CLI line, `_meta` and `/healthz`. */
export interface SourceStatus {
  sourceId: string
  chain: string
  lastBlock: number | null
  headBlock: number | null
  blocksPerSecond: number
  lastError: string | null
  lastErrorAt: Date | null
  rpcRequests: number
  rpcWaitMs: number
}
