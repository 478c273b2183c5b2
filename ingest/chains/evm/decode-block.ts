import { rpcBlockHeader } from './rpc-schemas.js'

export interface BlockHeader {
  number: number
  /** Lower-case 0x-prefixed 32-byte hashes. */
  hash: string
  parentHash: string
  /** Unix seconds. */
  timestamp: number
  time: Date
}

/**
 * The header fields of an `eth_getBlockByNumber` / `eth_getBlockByHash` result, with or without
 * full transactions; chain-specific extras (Arbitrum's `l1BlockNumber`, `sendRoot`, ...) are ignored.
 */
export function decodeBlockHeader(result: unknown): BlockHeader {
  if (result === null) throw new Error('block not found (null result)')
  const block = rpcBlockHeader.parse(result)
  return { ...block, time: new Date(block.timestamp * 1000) }
}

export type ParentLink =
  { ok: true } | { ok: false; reason: 'not-consecutive' | 'parent-hash-mismatch'; detail: string }

/**
 * Whether `next` extends `prev`: consecutive numbers and `next.parentHash === prev.hash`. A
 * mismatch on consecutive numbers means `prev` (or a block before it) was reorganised away.
 */
export function checkParentLink(
  prev: Pick<BlockHeader, 'number' | 'hash'>,
  next: Pick<BlockHeader, 'number' | 'parentHash'>,
): ParentLink {
  if (next.number !== prev.number + 1) {
    return {
      ok: false,
      reason: 'not-consecutive',
      detail: `block ${next.number} does not follow ${prev.number}`,
    }
  }
  if (next.parentHash.toLowerCase() !== prev.hash.toLowerCase()) {
    return {
      ok: false,
      reason: 'parent-hash-mismatch',
      detail: `block ${next.number} has parent ${next.parentHash}, but block ${prev.number} is ${prev.hash}`,
    }
  }
  return { ok: true }
}
