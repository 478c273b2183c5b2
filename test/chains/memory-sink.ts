import { isDeepStrictEqual } from 'node:util'

import type { Checkpoint } from '../../ingest/store/checkpoints.js'
import type { MarketEvent, SourceBatch, SourceSink } from '../../ingest/chains/batch.js'
import type { TokenMovement } from '../../ingest/chains/movement.js'
import type { CheckpointStoreLike } from '../../ingest/chains/evm/source.js'

export type Finality = SourceBatch['finality']
export type StoredMovement = TokenMovement & { finality: Finality }
export type StoredEvent = MarketEvent & { finality: Finality }

export type SinkOp =
  | { op: 'write'; batch: SourceBatch }
  | { op: 'retract'; chain: string; fromBlock: number }
  | { op: 'finalize'; chain: string; throughBlock: number }

export interface Duplicate {
  key: string
  block: number
}

/**
 * Records what a source hands over, in order. `net()` replays it the way the real sink stores it:
 * rows keyed by (chain, tx, event index), a retraction removes the chain's rows at or above its
 * block, `finalize` relabels rows at or below its block, and a row written twice must be identical
 * (else it throws: the real sink would keep one of two different rows). A retraction that reaches
 * a finalized row throws too.
 */
export class MemorySink implements SourceSink {
  readonly ops: SinkOp[] = []

  async write(batch: SourceBatch): Promise<void> {
    this.ops.push({ op: 'write', batch })
  }

  async retract(chain: string, fromBlock: number): Promise<void> {
    this.ops.push({ op: 'retract', chain, fromBlock })
  }

  async finalize(chain: string, throughBlock: number): Promise<void> {
    this.ops.push({ op: 'finalize', chain, throughBlock })
  }

  writes(): SourceBatch[] {
    return this.ops.flatMap((o) => (o.op === 'write' ? [o.batch] : []))
  }

  retracts(): { chain: string; fromBlock: number }[] {
    return this.ops.flatMap((o) => (o.op === 'retract' ? [{ chain: o.chain, fromBlock: o.fromBlock }] : []))
  }

  finalizes(): number[] {
    return this.ops.flatMap((o) => (o.op === 'finalize' ? [o.throughBlock] : []))
  }

  net(): { movements: StoredMovement[]; events: StoredEvent[]; duplicates: Duplicate[] } {
    const movements = new Map<string, StoredMovement>()
    const events = new Map<string, StoredEvent>()
    const duplicates: Duplicate[] = []
    let finalizedThrough = -1
    const put = <T extends { chain: string; txId: string; eventIndex: number }>(
      rows: Map<string, T>,
      row: T,
      block: number,
    ) => {
      const key = `${row.chain}:${row.txId}:${row.eventIndex}`
      const seen = rows.get(key)
      if (seen !== undefined) {
        if (!isDeepStrictEqual(seen, row)) throw new Error(`conflicting rows for ${key}`)
        duplicates.push({ key, block })
      }
      rows.set(key, row)
    }
    for (const op of this.ops) {
      if (op.op === 'retract') {
        if (op.fromBlock <= finalizedThrough) throw new Error(`retract at ${op.fromBlock} of finalized rows`)
        dropFrom(movements, op.chain, op.fromBlock, (m) => m.slotOrBlock)
        dropFrom(events, op.chain, op.fromBlock, (e) => e.blockNumber)
        continue
      }
      if (op.op === 'finalize') {
        finalizedThrough = Math.max(finalizedThrough, op.throughBlock)
        promote(movements, op.chain, op.throughBlock, (m) => m.slotOrBlock)
        promote(events, op.chain, op.throughBlock, (e) => e.blockNumber)
        continue
      }
      if (op.batch.finality === 'finalized') finalizedThrough = Math.max(finalizedThrough, op.batch.toBlock)
      const { finality } = op.batch
      for (const m of op.batch.movements) put(movements, { ...m, finality }, m.slotOrBlock)
      for (const e of op.batch.events) put(events, { ...e, finality }, e.blockNumber)
    }
    return { movements: [...movements.values()], events: [...events.values()], duplicates }
  }
}

function dropFrom<T extends { chain: string }>(
  rows: Map<string, T>,
  chain: string,
  fromBlock: number,
  blockOf: (row: T) => number,
): void {
  for (const [key, row] of rows) if (row.chain === chain && blockOf(row) >= fromBlock) rows.delete(key)
}

function promote<T extends { chain: string; finality: Finality }>(
  rows: Map<string, T>,
  chain: string,
  throughBlock: number,
  blockOf: (row: T) => number,
): void {
  for (const [key, row] of rows) {
    if (row.chain === chain && blockOf(row) <= throughBlock) rows.set(key, { ...row, finality: 'finalized' })
  }
}

/** Checkpoints in memory, for tests that do not need ClickHouse. */
export class MemoryCheckpoints implements CheckpointStoreLike {
  readonly saved: Checkpoint[] = []

  async load(sourceId: string): Promise<Checkpoint | null> {
    return this.saved.findLast((c) => c.sourceId === sourceId) ?? null
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    this.saved.push({ ...checkpoint })
  }
}
