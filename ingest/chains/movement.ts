/**
 * What the chain decoders produce: one token movement as the chain recorded it, before any
 * classification (customer payment, payout, emission...), which belongs to the network catalog.
 */

export type MovementKind = 'transfer' | 'mint' | 'burn'

export interface TokenMovement {
  /** Chain name as the caller names it ('solana', 'ethereum', 'arbitrum-one', ...). */
  chain: string
  /** Solana: the first signature; EVM: the transaction hash (lower-case). */
  txId: string
  slotOrBlock: number
  blockTime: Date | null
  /**
   * Stable ordinal within the transaction.
   * Solana: `outerIndex * 1000 + (innerIndex + 1)`, where an outer instruction has innerIndex -1
   * (so outer 2 is 2000 and its first inner instruction is 2001); see `solanaEventIndex`.
   * EVM: the log index (unique within the block, so also within the transaction).
   */
  eventIndex: number
  kind: MovementKind
  /** SPL mint address, or ERC-20 contract address (lower-case on EVM). */
  token: string
  amountRaw: bigint
  /** Known from the instruction or the token balances (Solana); null on EVM (logs do not carry it). */
  decimals: number | null
  /** Owner wallet (Solana: the token account's owner, not the token account), null for a mint. */
  from: string | null
  /** Owner wallet of the receiving side, null for a burn. */
  to: string | null
  fromTokenAccount?: string
  toTokenAccount?: string
  /** The signer that authorised the movement (owner, delegate, mint authority, multisig). */
  authority?: string
  /** Memo(s) attached to the transaction (SPL Memo program), joined with '\n'. */
  memo?: string
}

/** Solana inner instructions never exceed the 64-entry trace limit, so 1000 slots per outer one is safe. */
export const SOLANA_INNER_SLOTS = 1000

export function solanaEventIndex(outerIndex: number, innerIndex: number | null): number {
  return outerIndex * SOLANA_INNER_SLOTS + (innerIndex === null ? 0 : innerIndex + 1)
}
