import { z } from 'zod'

import type { Checkpoint } from '../../store/checkpoints.js'

/** A `getSignaturesForAddress` position: the newest signature of an address the source has listed. */
export interface AddressCursor {
  signature: string
  slot: number
}

/** A block the source has read: what the parent-continuity and finality checks compare. */
export interface SlotBlock {
  slot: number
  blockhash: string
  parentSlot: number
  previousBlockhash: string
}

/**
 * Where a Solana source stands: what its checkpoint holds, in memory.
 *
 * Slots up to `finalizedSlot` are indexed as finalized (written so, or passed to `sink.finalize`);
 * slots in (finalizedSlot, confirmedSlot] are indexed as confirmed from the fork whose blocks
 * `tail` lists, every block of that range, ascending.
 */
export interface SolanaSourceState {
  finalizedSlot: number
  confirmedSlot: number
  /** Per followed address: the `until` of the next listing (its newest signature at or below finalizedSlot). */
  cursors: Map<string, AddressCursor>
  /** The newest block read at or below finalizedSlot, if any: where the first confirmed block must attach. */
  anchor: { slot: number; blockhash: string } | null
  tail: SlotBlock[]
  /**
   * Per address, the newest signature of each confirmed slot it appears in, newest first: becomes
   * the address's cursor once its slot is finalized (a confirmed signature is never an `until`,
   * it may vanish with its fork and the node would refuse it).
   */
  tailSignatures: Map<string, AddressCursor[]>
}

const cursorSchema = z.object({
  v: z.literal(1),
  finalizedSlot: z.number().int(),
  confirmedSlot: z.number().int(),
  cursors: z.array(z.tuple([z.string(), z.string(), z.number().int()])),
  anchor: z.tuple([z.number().int(), z.string()]).nullable(),
  tail: z.array(z.tuple([z.number().int(), z.string(), z.number().int(), z.string()])),
  tailSignatures: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.number().int()]))])),
})

export function initialState(startSlot: number): SolanaSourceState {
  return {
    finalizedSlot: startSlot - 1,
    confirmedSlot: startSlot - 1,
    cursors: new Map(),
    anchor: null,
    tail: [],
    tailSignatures: new Map(),
  }
}

export function encodeCursor(state: SolanaSourceState): string {
  return JSON.stringify({
    v: 1,
    finalizedSlot: state.finalizedSlot,
    confirmedSlot: state.confirmedSlot,
    cursors: [...state.cursors].map(([address, c]) => [address, c.signature, c.slot]),
    anchor: state.anchor ? [state.anchor.slot, state.anchor.blockhash] : null,
    tail: state.tail.map((b) => [b.slot, b.blockhash, b.parentSlot, b.previousBlockhash]),
    tailSignatures: [...state.tailSignatures].map(([address, list]) => [
      address,
      list.map((c) => [c.signature, c.slot]),
    ]),
  })
}

/**
 * The state a checkpoint stands for. A cursor that does not parse (written by another version)
 * resumes from the checkpoint's slot without per-address cursors: listings then page back until
 * they pass that slot, which is slower but skips nothing.
 */
export function stateFromCheckpoint(checkpoint: Checkpoint): SolanaSourceState {
  const parsed = cursorSchema.safeParse(safeJson(checkpoint.cursor))
  if (!parsed.success) {
    return { ...initialState(checkpoint.blockNumber + 1) }
  }
  const c = parsed.data
  return {
    finalizedSlot: c.finalizedSlot,
    confirmedSlot: c.confirmedSlot,
    cursors: new Map(c.cursors.map(([address, signature, slot]) => [address, { signature, slot }])),
    anchor: c.anchor ? { slot: c.anchor[0], blockhash: c.anchor[1] } : null,
    tail: c.tail.map(([slot, blockhash, parentSlot, previousBlockhash]) => ({
      slot,
      blockhash,
      parentSlot,
      previousBlockhash,
    })),
    tailSignatures: new Map(
      c.tailSignatures.map(([address, list]) => [
        address,
        list.map(([signature, slot]) => ({ signature, slot })),
      ]),
    ),
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** The checkpoint's block: the newest block read at or below confirmedSlot ('' when none was read). */
export function checkpointBlock(state: SolanaSourceState): { number: number; hash: string } {
  const last = state.tail.at(-1) ?? state.anchor
  return { number: Math.max(0, state.confirmedSlot), hash: last?.blockhash ?? '' }
}

/** Slots up to `through` (≤ confirmedSlot) are final now: cursors move up to their confirmed signatures. */
export function finalizeThrough(state: SolanaSourceState, through: number): SolanaSourceState {
  if (through <= state.finalizedSlot) return state
  const cursors = new Map(state.cursors)
  const tailSignatures = new Map<string, AddressCursor[]>()
  for (const [address, list] of state.tailSignatures) {
    const newestFinal = list.find((c) => c.slot <= through)
    if (newestFinal) cursors.set(address, newestFinal)
    const pending = list.filter((c) => c.slot > through)
    if (pending.length > 0) tailSignatures.set(address, pending)
  }
  const finalBlocks = state.tail.filter((b) => b.slot <= through)
  const last = finalBlocks.at(-1)
  return {
    ...state,
    finalizedSlot: through,
    confirmedSlot: Math.max(state.confirmedSlot, through),
    cursors,
    anchor: last ? { slot: last.slot, blockhash: last.blockhash } : state.anchor,
    tail: state.tail.filter((b) => b.slot > through),
    tailSignatures,
  }
}

/** Forgets what was indexed at confirmed from `slot` up (its rows were retracted). */
export function truncateFrom(state: SolanaSourceState, slot: number): SolanaSourceState {
  if (slot <= state.finalizedSlot) throw new Error(`cannot drop finalized slot ${slot}`)
  const tailSignatures = new Map<string, AddressCursor[]>()
  for (const [address, list] of state.tailSignatures) {
    const kept = list.filter((c) => c.slot < slot)
    if (kept.length > 0) tailSignatures.set(address, kept)
  }
  return {
    ...state,
    confirmedSlot: Math.min(state.confirmedSlot, slot - 1),
    tail: state.tail.filter((b) => b.slot < slot),
    tailSignatures,
  }
}

/** Adds a confirmed read of (confirmedSlot, to]: its blocks and, per address, its newest signature per slot. */
export function appendConfirmed(
  state: SolanaSourceState,
  to: number,
  blocks: readonly SlotBlock[],
  signatures: ReadonlyMap<string, readonly AddressCursor[]>,
): SolanaSourceState {
  const tailSignatures = new Map(state.tailSignatures)
  for (const [address, newestFirst] of signatures) {
    const perSlot = newestFirst.filter((c, i) => newestFirst[i - 1]?.slot !== c.slot)
    if (perSlot.length > 0)
      tailSignatures.set(address, [...perSlot, ...(state.tailSignatures.get(address) ?? [])])
  }
  return { ...state, confirmedSlot: to, tail: [...state.tail, ...blocks], tailSignatures }
}
