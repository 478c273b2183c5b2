import { z } from 'zod'

import type { Checkpoint } from '../../store/checkpoints.js'

/** Where an EVM source stands: what its checkpoint holds, in memory. */
export interface SourceState {
  /** Last indexed block (startBlock - 1 before the first batch). */
  lastBlock: number
  /**
   * Hashes of the recent blocks the source has seen (number → lower-case hash), at least the last
   * indexed one; those at or above `lastBlock - finalityDepth` are kept, for the reorg search.
   */
  recent: Map<number, string>
  /**
   * Highest block whose rows are final (written as finalized, or passed to `sink.finalize`;
   * startBlock - 1 at first): rows at or below it are never retracted.
   */
  finalizedThrough: number
}

const cursorSchema = z.object({
  v: z.literal(1),
  recent: z.array(z.tuple([z.number().int().nonnegative(), z.string()])),
  finalizedThrough: z.number().int(),
  range: z.number().int().positive().optional(),
})

export interface DecodedCursor {
  state: SourceState
  range: number | null
}

export function initialState(startBlock: number): SourceState {
  // nothing below startBlock is ever written, so nothing there needs finalizing or may be retracted
  return { lastBlock: startBlock - 1, recent: new Map(), finalizedThrough: startBlock - 1 }
}

export function encodeCursor(state: SourceState, range: number): string {
  const recent = [...state.recent.entries()].sort((a, b) => a[0] - b[0])
  return JSON.stringify({ v: 1, recent, finalizedThrough: state.finalizedThrough, range })
}

/**
 * The state a checkpoint stands for. A cursor that does not parse (written by another version)
 * still resumes from the checkpoint's block and hash, without the finality guard.
 */
export function stateFromCheckpoint(checkpoint: Checkpoint): DecodedCursor {
  const recent = new Map<number, string>()
  let finalizedThrough = -1
  let range: number | null = null
  try {
    const cursor = cursorSchema.parse(JSON.parse(checkpoint.cursor))
    for (const [number, hash] of cursor.recent) recent.set(number, hash.toLowerCase())
    finalizedThrough = cursor.finalizedThrough
    range = cursor.range ?? null
  } catch {
    // resume from the block and hash alone
  }
  if (checkpoint.blockHash) recent.set(checkpoint.blockNumber, checkpoint.blockHash.toLowerCase())
  const state = { lastBlock: checkpoint.blockNumber, recent, finalizedThrough }
  return {
    state: { ...state, recent: pruneRecent(recent, checkpoint.blockNumber, Number.POSITIVE_INFINITY) },
    range,
  }
}

/** Keeps the hashes of blocks in [lastBlock - depth, lastBlock]. */
export function pruneRecent(
  recent: ReadonlyMap<number, string>,
  lastBlock: number,
  depth: number,
): Map<number, string> {
  const kept = new Map<number, string>()
  for (const [number, hash] of recent) {
    if (number <= lastBlock && number >= lastBlock - depth) kept.set(number, hash)
  }
  return kept
}
