// Program ids and instruction builders for the programs the devnet uses. The byte layouts are
// written out here (instead of importing @solana-program/*, which only reaches node_modules as a
// dependency of litesvm) because the RPC server's jsonParsed decoder reads the same layouts back.
import { createHash } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { address, type Address } from '@solana/kit'
import { addressFromBytes, addressToBytes } from './base58.js'
import type { Signer } from './signer.js'

export const SYSTEM_PROGRAM = address('11111111111111111111111111111111')
export const TOKEN_PROGRAM = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA')
export const TOKEN_2022_PROGRAM = address('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb')
export const ASSOCIATED_TOKEN_PROGRAM = address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL')
/** spl-memo v3, the memo program wallets use on mainnet. */
export const MEMO_PROGRAM = address('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr')
export const MEMO_V1_PROGRAM = address('Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo')
export const COMPUTE_BUDGET_PROGRAM = address('ComputeBudget111111111111111111111111111111')
export const BPF_LOADER_UPGRADEABLE = address('BPFLoaderUpgradeab1e11111111111111111111111')

export const MINT_SIZE = 82
export const TOKEN_ACCOUNT_SIZE = 165

export interface AccountMeta {
  address: Address
  writable: boolean
  /** Set when the account signs; the ledger signs with it. */
  signer?: Signer | undefined
}

export interface DevnetInstruction {
  programId: Address
  accounts: AccountMeta[]
  data: Uint8Array
}

function signerMeta(signer: Signer, writable: boolean): AccountMeta {
  return { address: signer.address, writable, signer }
}

function writableMeta(account: Address): AccountMeta {
  return { address: account, writable: true }
}

function readonlyMeta(account: Address): AccountMeta {
  return { address: account, writable: false }
}

export function u64Le(value: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, value, true)
  return out
}

function u32Le(value: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value, true)
  return out
}

function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

const addressBytes = addressToBytes

function instruction(programId: Address, accounts: AccountMeta[], data: Uint8Array): DevnetInstruction {
  return { programId, accounts, data }
}

export function createAccountInstruction(input: {
  payer: Signer
  newAccount: Signer
  lamports: bigint
  space: number
  owner: Address
}): DevnetInstruction {
  const data = concat(u32Le(0), u64Le(input.lamports), u64Le(BigInt(input.space)), addressBytes(input.owner))
  return instruction(
    SYSTEM_PROGRAM,
    [signerMeta(input.payer, true), signerMeta(input.newAccount, true)],
    data,
  )
}

export function systemTransferInstruction(input: {
  source: Signer
  destination: Address
  lamports: bigint
}): DevnetInstruction {
  const data = concat(u32Le(2), u64Le(input.lamports))
  return instruction(SYSTEM_PROGRAM, [signerMeta(input.source, true), writableMeta(input.destination)], data)
}

export function initializeMint2Instruction(input: {
  mint: Address
  decimals: number
  mintAuthority: Address
  freezeAuthority?: Address | undefined
  tokenProgram?: Address
}): DevnetInstruction {
  const freeze =
    input.freezeAuthority === undefined
      ? new Uint8Array(33)
      : concat([1], addressBytes(input.freezeAuthority))
  const data = concat([20, input.decimals], addressBytes(input.mintAuthority), freeze)
  return instruction(input.tokenProgram ?? TOKEN_PROGRAM, [writableMeta(input.mint)], data)
}

export function createAssociatedTokenAccountInstruction(input: {
  payer: Signer
  associatedAccount: Address
  owner: Address
  mint: Address
  idempotent?: boolean | undefined
  tokenProgram?: Address
}): DevnetInstruction {
  const accounts = [
    signerMeta(input.payer, true),
    writableMeta(input.associatedAccount),
    readonlyMeta(input.owner),
    readonlyMeta(input.mint),
    readonlyMeta(SYSTEM_PROGRAM),
    readonlyMeta(input.tokenProgram ?? TOKEN_PROGRAM),
  ]
  return instruction(ASSOCIATED_TOKEN_PROGRAM, accounts, new Uint8Array([input.idempotent === true ? 1 : 0]))
}

function isOnCurve(bytes: Uint8Array): boolean {
  try {
    ed25519.Point.fromBytes(bytes, true)
    return true
  } catch {
    return false
  }
}

/** Solana's `find_program_address`: the first bump from 255 down whose hash is off the curve. */
export function findProgramAddress(seeds: readonly Uint8Array[], programId: Address): [Address, number] {
  const program = addressBytes(programId)
  for (let bump = 255; bump >= 0; bump--) {
    const hash = createHash('sha256')
    for (const seed of seeds) hash.update(seed)
    const bytes = new Uint8Array(
      hash
        .update(new Uint8Array([bump]))
        .update(program)
        .update('ProgramDerivedAddress')
        .digest(),
    )
    if (!isOnCurve(bytes)) return [addressFromBytes(bytes), bump]
  }
  throw new Error('no viable program address bump')
}

export function findAssociatedTokenAddress(
  owner: Address,
  mint: Address,
  tokenProgram: Address = TOKEN_PROGRAM,
): Address {
  const seeds = [addressBytes(owner), addressBytes(tokenProgram), addressBytes(mint)]
  return findProgramAddress(seeds, ASSOCIATED_TOKEN_PROGRAM)[0]
}

/** Token instructions that move an amount: `checked` appends the mint's decimals (the *Checked variants). */
function amountInstruction(
  tag: number,
  accounts: AccountMeta[],
  amount: bigint,
  decimals: number | undefined,
): DevnetInstruction {
  const data =
    decimals === undefined ? concat([tag], u64Le(amount)) : concat([tag], u64Le(amount), [decimals])
  return instruction(TOKEN_PROGRAM, accounts, data)
}

export function mintToInstruction(input: {
  mint: Address
  destination: Address
  authority: Signer
  amount: bigint
  decimals?: number | undefined
}): DevnetInstruction {
  const accounts = [
    writableMeta(input.mint),
    writableMeta(input.destination),
    signerMeta(input.authority, false),
  ]
  return amountInstruction(input.decimals === undefined ? 7 : 14, accounts, input.amount, input.decimals)
}

export function transferInstruction(input: {
  source: Address
  destination: Address
  authority: Signer
  amount: bigint
}): DevnetInstruction {
  const accounts = [
    writableMeta(input.source),
    writableMeta(input.destination),
    signerMeta(input.authority, false),
  ]
  return amountInstruction(3, accounts, input.amount, undefined)
}

export function transferCheckedInstruction(input: {
  source: Address
  mint: Address
  destination: Address
  authority: Signer
  amount: bigint
  decimals: number
}): DevnetInstruction {
  const accounts = [
    writableMeta(input.source),
    readonlyMeta(input.mint),
    writableMeta(input.destination),
    signerMeta(input.authority, false),
  ]
  return amountInstruction(12, accounts, input.amount, input.decimals)
}

export function burnInstruction(input: {
  account: Address
  mint: Address
  authority: Signer
  amount: bigint
  decimals?: number | undefined
}): DevnetInstruction {
  const accounts = [writableMeta(input.account), writableMeta(input.mint), signerMeta(input.authority, false)]
  return amountInstruction(input.decimals === undefined ? 8 : 15, accounts, input.amount, input.decimals)
}

/** ComputeBudget SetComputeUnitLimit. */
export function computeUnitLimitInstruction(units: number): DevnetInstruction {
  return instruction(COMPUTE_BUDGET_PROGRAM, [], concat([2], u32Le(units)))
}

/** ComputeBudget SetComputeUnitPrice, in micro-lamports per compute unit (the priority fee). */
export function computeUnitPriceInstruction(microLamports: bigint): DevnetInstruction {
  return instruction(COMPUTE_BUDGET_PROGRAM, [], concat([3], u64Le(microLamports)))
}

export function memoInstruction(memo: string): DevnetInstruction {
  return instruction(MEMO_PROGRAM, [], new TextEncoder().encode(memo))
}
