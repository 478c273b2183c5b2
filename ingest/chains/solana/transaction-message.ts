import {
  getBase58Decoder,
  getBase58Encoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type ReadonlyUint8Array,
} from '@solana/kit'

import type { RpcGetTransactionResult, RpcInstruction, RpcTransactionMeta } from './rpc-schemas.js'

/**
 * One instruction in a form independent of the RPC encoding: either the node's own parse
 * (jsonParsed) or the raw account addresses and data bytes (json, base64, or a program the node
 * could not parse).
 */
export type NormalizedInstruction =
  | { form: 'parsed'; programId: string; parsed: unknown; outerIndex: number; innerIndex: number | null }
  | {
      form: 'raw'
      programId: string
      accounts: string[]
      data: ReadonlyUint8Array
      outerIndex: number
      innerIndex: number | null
    }

export interface NormalizedTransaction {
  signature: string
  /** All account keys in message order: static keys, then loaded writable, then loaded readonly. */
  accountKeys: string[]
  /** Outer instructions, each followed by its inner instructions, in execution order. */
  instructions: NormalizedInstruction[]
}

interface CompiledInstructionLike {
  programIdIndex: number
  accounts: number[]
  data: ReadonlyUint8Array
}

export function normalizeTransaction(
  transaction: RpcGetTransactionResult['transaction'],
  meta: RpcTransactionMeta | null,
): NormalizedTransaction {
  const loaded = meta?.loadedAddresses
  const loadedKeys = loaded ? [...loaded.writable, ...loaded.readonly] : []

  let signature: string
  let accountKeys: string[]
  let outer: RpcInstruction[] | CompiledInstructionLike[]
  if (Array.isArray(transaction)) {
    const decoded = decodeWireTransaction(transaction[0], transaction[1])
    signature = decoded.signature
    accountKeys = [...decoded.staticAccounts, ...loadedKeys]
    outer = decoded.instructions
  } else {
    const first = transaction.signatures[0]
    if (first === undefined) throw new Error('transaction has no signature')
    signature = first
    const keys = transaction.message.accountKeys
    // jsonParsed keys are objects and already list the lookup-table addresses (source
    // 'lookupTable'); json keys are plain strings and list only the static keys.
    accountKeys = keys.map((k) => (typeof k === 'string' ? k : k.pubkey))
    if (keys.every((k) => typeof k === 'string')) accountKeys.push(...loadedKeys)
    outer = transaction.message.instructions
  }

  const innerByOuter = new Map<number, RpcInstruction[]>()
  for (const group of meta?.innerInstructions ?? []) {
    innerByOuter.set(group.index, [...(innerByOuter.get(group.index) ?? []), ...group.instructions])
  }

  const instructions: NormalizedInstruction[] = []
  outer.forEach((ix, outerIndex) => {
    instructions.push(normalizeInstruction(ix, accountKeys, outerIndex, null))
    innerByOuter.get(outerIndex)?.forEach((inner, innerIndex) => {
      instructions.push(normalizeInstruction(inner, accountKeys, outerIndex, innerIndex))
    })
  })
  return { signature, accountKeys, instructions }
}

function normalizeInstruction(
  ix: RpcInstruction | CompiledInstructionLike,
  accountKeys: string[],
  outerIndex: number,
  innerIndex: number | null,
): NormalizedInstruction {
  const at = { outerIndex, innerIndex }
  if ('programIdIndex' in ix) {
    const data = typeof ix.data === 'string' ? getBase58Encoder().encode(ix.data) : ix.data
    return {
      form: 'raw',
      programId: keyAt(accountKeys, ix.programIdIndex),
      accounts: ix.accounts.map((i) => keyAt(accountKeys, i)),
      data,
      ...at,
    }
  }
  if ('accounts' in ix) {
    return {
      form: 'raw',
      programId: ix.programId,
      accounts: ix.accounts,
      data: getBase58Encoder().encode(ix.data),
      ...at,
    }
  }
  return { form: 'parsed', programId: ix.programId, parsed: ix.parsed, ...at }
}

export function keyAt(accountKeys: string[], index: number): string {
  const key = accountKeys[index]
  if (key === undefined) {
    throw new Error(`account index ${index} out of range (transaction has ${accountKeys.length} keys)`)
  }
  return key
}

interface WireTransaction {
  signature: string
  staticAccounts: string[]
  instructions: CompiledInstructionLike[]
}

/** Decodes a `base64`/`base58` encoded transaction (legacy or v0) with @solana/kit's codecs. */
export function decodeWireTransaction(encoded: string, encoding: 'base64' | 'base58'): WireTransaction {
  const bytes =
    encoding === 'base64' ? getBase64Encoder().encode(encoded) : getBase58Encoder().encode(encoded)
  const tx = getTransactionDecoder().decode(bytes)
  const firstSignature = Object.values(tx.signatures)[0]
  if (!firstSignature) throw new Error('transaction has no signature')
  const message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes)
  // Version 1 messages (a proposed format) lay instructions out differently; not on mainnet yet.
  if (message.version === 1) throw new Error('version 1 transaction messages are not supported')
  return {
    signature: getBase58Decoder().decode(firstSignature),
    staticAccounts: [...message.staticAccounts],
    instructions: message.instructions.map((ix) => ({
      programIdIndex: ix.programAddressIndex,
      accounts: [...(ix.accountIndices ?? [])],
      data: ix.data ?? new Uint8Array(),
    })),
  }
}
