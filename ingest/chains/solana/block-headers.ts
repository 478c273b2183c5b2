import { z } from 'zod'

import type { IndexedBlock } from '../batch.js'
import { rpcInteger } from './rpc-schemas.js'
import type { SlotBlock } from './source-state.js'

/** A `getBlock` answer with `transactionDetails: 'none'` (the fields read). */
const blockResult = z.object({
  blockhash: z.string(),
  previousBlockhash: z.string(),
  parentSlot: rpcInteger,
  blockTime: rpcInteger.nullish(),
})

export interface BlockHeader extends SlotBlock {
  /** Null on blocks older than the node's timestamp support (2020). */
  blockTime: Date | null
}

export function decodeBlockHeader(slot: number, result: unknown): BlockHeader {
  const block = blockResult.parse(result)
  return {
    slot,
    blockhash: block.blockhash,
    parentSlot: block.parentSlot,
    previousBlockhash: block.previousBlockhash,
    blockTime: block.blockTime == null ? null : new Date(block.blockTime * 1000),
  }
}

/** `getBlock` params for a header only: no transactions, no rewards. */
export function headerParams(slot: number, commitment: 'confirmed' | 'finalized'): unknown[] {
  return [slot, { commitment, transactionDetails: 'none', rewards: false, maxSupportedTransactionVersion: 0 }]
}

export function attaches(child: SlotBlock, parent: Pick<SlotBlock, 'slot' | 'blockhash'>): boolean {
  return child.parentSlot === parent.slot && child.previousBlockhash === parent.blockhash
}

/** The first block (ascending list) that does not attach to the one before it, or null. */
export function firstBreak(blocks: readonly SlotBlock[]): SlotBlock | null {
  for (let i = 1; i < blocks.length; i++) {
    const block = blocks[i] as SlotBlock
    if (!attaches(block, blocks[i - 1] as SlotBlock)) return block
  }
  return null
}

/**
 * The lowest slot where the blocks the source indexed differ from the node's chain over the same
 * range: a block on one side only (skipped on the node, or new there), or another blockhash.
 * `nodeSlots` are the node's blocks in the range; `nodeHashes` its blockhash of each common slot.
 */
export function firstDivergence(
  ours: readonly SlotBlock[],
  nodeSlots: readonly number[],
  nodeHashes: ReadonlyMap<number, string>,
): number | null {
  const mine = new Set(ours.map((b) => b.slot))
  const theirs = new Set(nodeSlots)
  let first: number | null = null
  const lower = (slot: number) => {
    if (first === null || slot < first) first = slot
  }
  for (const slot of nodeSlots) if (!mine.has(slot)) lower(slot)
  for (const block of ours) {
    if (!theirs.has(block.slot) || nodeHashes.get(block.slot) !== block.blockhash) lower(block.slot)
  }
  return first
}

export function indexedBlock(header: BlockHeader): IndexedBlock | null {
  if (header.blockTime === null) return null
  return {
    number: header.slot,
    hash: header.blockhash,
    parentHash: header.previousBlockhash,
    time: header.blockTime,
  }
}
