import { getAddressDecoder, type ReadonlyUint8Array } from '@solana/kit'

import type { MovementKind } from '../movement.js'
import type { NormalizedInstruction } from './transaction-message.js'

export const TOKEN_PROGRAM_ID = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'
export const TOKEN_2022_PROGRAM_ID = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBLCXEyw4qVG7'
export const ASSOCIATED_TOKEN_PROGRAM_ID = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL'
export const MEMO_PROGRAM_IDS: ReadonlySet<string> = new Set([
  'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr',
  'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVH6ZPmF9jrHn',
])

export function isTokenProgram(programId: string): boolean {
  return programId === TOKEN_PROGRAM_ID || programId === TOKEN_2022_PROGRAM_ID
}

/** SPL Token instruction tags (first data byte), shared by Token-2022. */
export const SPL_TAG = {
  initializeAccount: 1,
  transfer: 3,
  approve: 4,
  mintTo: 7,
  burn: 8,
  transferChecked: 12,
  approveChecked: 13,
  mintToChecked: 14,
  burnChecked: 15,
  initializeAccount2: 16,
  initializeAccount3: 18,
  transferFeeExtension: 26,
} as const

/** A movement as one SPL instruction states it: token accounts, not yet their owners. */
export interface SplTokenAction {
  kind: MovementKind
  /** The instruction's name as jsonParsed spells it. */
  instruction: string
  amount: bigint
  /** Only the checked variants carry decimals and (with mint/burn) the mint. */
  decimals: number | null
  mint: string | null
  sourceAccount: string | null
  destinationAccount: string | null
  authority: string | null
}

/** What an instruction reveals about a token account it did not move (owner, mint). */
export interface TokenAccountFact {
  account: string
  owner?: string
  mint?: string
}

// ---------------------------------------------------------------------------------------------
// Raw instruction bytes (json / base64 encodings, or unparsed instructions in jsonParsed)

function readU64(data: ReadonlyUint8Array, offset: number): bigint | null {
  if (data.length < offset + 8) return null
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(offset, true)
}

function readU8(data: ReadonlyUint8Array, offset: number): number | null {
  return data[offset] ?? null
}

function readAddress(data: ReadonlyUint8Array, offset: number): string | null {
  if (data.length < offset + 32) return null
  return getAddressDecoder().decode(data, offset)
}

/**
 * Decodes the movement of a raw SPL Token / Token-2022 instruction, or null when the instruction
 * moves no tokens (or is too short to be one the program accepted).
 */
export function decodeSplTokenData(data: ReadonlyUint8Array, accounts: string[]): SplTokenAction | null {
  const tag = data[0]
  const acc = (i: number): string | null => accounts[i] ?? null
  const amount = readU64(data, 1)
  if (amount === null) return null
  const base = { amount, decimals: null, mint: null, sourceAccount: null, destinationAccount: null }
  switch (tag) {
    case SPL_TAG.transfer:
      return {
        ...base,
        kind: 'transfer',
        instruction: 'transfer',
        sourceAccount: acc(0),
        destinationAccount: acc(1),
        authority: acc(2),
      }
    case SPL_TAG.transferChecked:
      return {
        ...base,
        kind: 'transfer',
        instruction: 'transferChecked',
        decimals: readU8(data, 9),
        sourceAccount: acc(0),
        mint: acc(1),
        destinationAccount: acc(2),
        authority: acc(3),
      }
    case SPL_TAG.mintTo:
    case SPL_TAG.mintToChecked:
      return {
        ...base,
        kind: 'mint',
        instruction: tag === SPL_TAG.mintTo ? 'mintTo' : 'mintToChecked',
        decimals: tag === SPL_TAG.mintToChecked ? readU8(data, 9) : null,
        mint: acc(0),
        destinationAccount: acc(1),
        authority: acc(2),
      }
    case SPL_TAG.burn:
    case SPL_TAG.burnChecked:
      return {
        ...base,
        kind: 'burn',
        instruction: tag === SPL_TAG.burn ? 'burn' : 'burnChecked',
        decimals: tag === SPL_TAG.burnChecked ? readU8(data, 9) : null,
        sourceAccount: acc(0),
        mint: acc(1),
        authority: acc(2),
      }
    case SPL_TAG.transferFeeExtension:
      return decodeTransferCheckedWithFee(data, accounts)
    default:
      return null
  }
}

/**
 * Token-2022 TransferFeeExtension::TransferCheckedWithFee: [26, 1, amount u64, decimals u8, fee u64].
 * The source is debited the full amount (the fee is withheld in the destination account).
 */
function decodeTransferCheckedWithFee(data: ReadonlyUint8Array, accounts: string[]): SplTokenAction | null {
  if (data[1] !== 1) return null
  const amount = readU64(data, 2)
  if (amount === null) return null
  return {
    kind: 'transfer',
    instruction: 'transferCheckedWithFee',
    amount,
    decimals: readU8(data, 10),
    sourceAccount: accounts[0] ?? null,
    mint: accounts[1] ?? null,
    destinationAccount: accounts[2] ?? null,
    authority: accounts[3] ?? null,
  }
}

/** Owner / mint facts from raw initializeAccount{,2,3} and approve{,Checked} instructions. */
export function decodeSplTokenAccountFact(
  data: ReadonlyUint8Array,
  accounts: string[],
): TokenAccountFact | null {
  const account = accounts[0]
  if (account === undefined) return null
  switch (data[0]) {
    case SPL_TAG.initializeAccount:
      return fact(account, accounts[2], accounts[1])
    case SPL_TAG.initializeAccount2:
    case SPL_TAG.initializeAccount3:
      return fact(account, readAddress(data, 1) ?? undefined, accounts[1])
    // Only the owner may approve a delegate, so the approving signer is the owner.
    case SPL_TAG.approve:
      return fact(account, accounts[2])
    case SPL_TAG.approveChecked:
      return fact(account, accounts[3], accounts[1])
    default:
      return null
  }
}

/** Associated Token Account program create / createIdempotent: [funder, ata, wallet, mint, ...]. */
export function decodeAssociatedTokenAccountFact(
  data: ReadonlyUint8Array,
  accounts: string[],
): TokenAccountFact | null {
  const tag = data[0] ?? 0
  if (tag !== 0 && tag !== 1) return null
  const account = accounts[1]
  return account === undefined ? null : fact(account, accounts[2], accounts[3])
}

function fact(account: string, owner?: string, mint?: string): TokenAccountFact {
  return {
    account,
    ...(owner !== undefined ? { owner } : {}),
    ...(mint !== undefined ? { mint } : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// jsonParsed instructions: { type, info }

type Info = Record<string, unknown>

function parsedTypeAndInfo(parsed: unknown): { type: string; info: Info } | null {
  if (typeof parsed !== 'object' || parsed === null) return null
  const { type, info } = parsed as { type?: unknown; info?: unknown }
  if (typeof type !== 'string' || typeof info !== 'object' || info === null) return null
  return { type, info: info as Info }
}

function str(info: Info, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = info[key]
    if (typeof value === 'string') return value
  }
  return null
}

/** `amount` (transfer, mintTo, burn) or `tokenAmount.amount` / `.decimals` (checked variants). */
function parsedAmount(info: Info): { amount: bigint; decimals: number | null } | null {
  const tokenAmount = info['tokenAmount']
  if (typeof tokenAmount === 'object' && tokenAmount !== null) {
    const { amount, decimals } = tokenAmount as { amount?: unknown; decimals?: unknown }
    if (typeof amount !== 'string') return null
    return { amount: BigInt(amount), decimals: typeof decimals === 'number' ? decimals : null }
  }
  const amount = info['amount']
  if (typeof amount === 'string' || typeof amount === 'number')
    return { amount: BigInt(amount), decimals: null }
  return null
}

const PARSED_KINDS: Record<string, MovementKind> = {
  transfer: 'transfer',
  transferChecked: 'transfer',
  transferCheckedWithFee: 'transfer',
  mintTo: 'mint',
  mintToChecked: 'mint',
  burn: 'burn',
  burnChecked: 'burn',
}

export function decodeParsedSplToken(parsed: unknown): SplTokenAction | null {
  const ix = parsedTypeAndInfo(parsed)
  const kind = ix ? PARSED_KINDS[ix.type] : undefined
  if (!ix || !kind) return null
  const amount = parsedAmount(ix.info)
  if (!amount) return null
  const { info } = ix
  const authority = str(info, 'authority', 'multisigAuthority', 'mintAuthority', 'multisigMintAuthority')
  const mint = str(info, 'mint')
  if (kind === 'transfer') {
    const sourceAccount = str(info, 'source')
    const destinationAccount = str(info, 'destination')
    return { kind, instruction: ix.type, ...amount, mint, sourceAccount, destinationAccount, authority }
  }
  const account = str(info, 'account')
  return {
    kind,
    instruction: ix.type,
    ...amount,
    mint,
    sourceAccount: kind === 'burn' ? account : null,
    destinationAccount: kind === 'mint' ? account : null,
    authority,
  }
}

/** Owner / mint facts from parsed initializeAccount*, approve*, and ATA create instructions. */
export function decodeParsedAccountFact(parsed: unknown): TokenAccountFact | null {
  const ix = parsedTypeAndInfo(parsed)
  if (!ix) return null
  const { type, info } = ix
  const mint = str(info, 'mint') ?? undefined
  switch (type) {
    case 'initializeAccount':
    case 'initializeAccount2':
    case 'initializeAccount3':
    case 'create':
    case 'createIdempotent': {
      const account = str(info, 'account')
      const owner = str(info, 'owner', 'wallet') ?? undefined
      return account === null ? null : fact(account, owner, mint)
    }
    case 'approve':
    case 'approveChecked': {
      const account = str(info, 'source')
      const owner = str(info, 'owner', 'multisigOwner') ?? undefined
      return account === null ? null : fact(account, owner, mint)
    }
    default:
      return null
  }
}

/** The SPL movement an instruction makes, whatever its encoding, or null. */
export function splTokenActionOf(ix: NormalizedInstruction): SplTokenAction | null {
  if (!isTokenProgram(ix.programId)) return null
  return ix.form === 'parsed' ? decodeParsedSplToken(ix.parsed) : decodeSplTokenData(ix.data, ix.accounts)
}

/** What an instruction reveals about token accounts (owner, mint), whatever its encoding, or null. */
export function tokenAccountFactOf(ix: NormalizedInstruction): TokenAccountFact | null {
  const isAta = ix.programId === ASSOCIATED_TOKEN_PROGRAM_ID
  if (!isAta && !isTokenProgram(ix.programId)) return null
  if (ix.form === 'parsed') return decodeParsedAccountFact(ix.parsed)
  return isAta
    ? decodeAssociatedTokenAccountFact(ix.data, ix.accounts)
    : decodeSplTokenAccountFact(ix.data, ix.accounts)
}
