import { getSignaturesForAddressResult } from './rpc-schemas.js'

export type Commitment = 'processed' | 'confirmed' | 'finalized'

export interface SignatureEntry {
  signature: string
  slot: number
  /** True when `err` is set: the transaction landed (and paid its fee) but its instructions failed. */
  failed: boolean
  /** The raw error, e.g. `{ InstructionError: [0, { Custom: 21 }] }`, or null. */
  err: unknown
  blockTime: Date | null
  confirmationStatus: Commitment | null
  memo: string | null
}

/** Parses a `getSignaturesForAddress` result (newest first, as the node returns it; order is kept). */
export function decodeSignatures(result: unknown): SignatureEntry[] {
  return getSignaturesForAddressResult.parse(result).map((entry) => ({
    signature: entry.signature,
    slot: entry.slot,
    failed: entry.err != null,
    err: entry.err ?? null,
    blockTime: entry.blockTime == null ? null : new Date(entry.blockTime * 1000),
    confirmationStatus: entry.confirmationStatus ?? null,
    memo: entry.memo ?? null,
  }))
}
