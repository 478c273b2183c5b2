// Ledger records in Solana RPC's wire format: the UiTransaction / UiTransactionStatusMeta / UiConfirmedBlock
// shapes agave serializes, for the json, jsonParsed, base64 and base58 encodings.
import type { Address } from '@solana/kit'
import { base58Encode } from './base58.js'
import type { Json, JsonObject } from './json.js'
import {
  isWritable,
  type InnerInstruction,
  type LedgerBlock,
  type LedgerTransaction,
  type TokenBalance,
} from './ledger.js'
import { isMemoProgram, parseInstruction } from './parse-instruction.js'
import type { CompiledInstruction } from './wire.js'

export const TRANSACTION_ENCODINGS = ['json', 'jsonParsed', 'base64', 'base58'] as const
export const TRANSACTION_DETAILS = ['full', 'signatures', 'none', 'accounts'] as const
export type TransactionEncoding = (typeof TRANSACTION_ENCODINGS)[number]
export type TransactionDetails = (typeof TRANSACTION_DETAILS)[number]

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return values.some((v) => v === value)
}

/** Top-level instructions run at stack height 1; current mainnet nodes print it (older ones printed null). */
const TOP_LEVEL_STACK_HEIGHT = 1

function tokenBalanceJson(balance: TokenBalance): Json {
  return {
    accountIndex: balance.accountIndex,
    mint: balance.mint,
    owner: balance.owner,
    programId: balance.programId,
    uiTokenAmount: { ...balance.uiTokenAmount },
  }
}

function compiledInstructionJson(ix: CompiledInstruction, stackHeight: number): Json {
  return {
    programIdIndex: ix.programIdIndex,
    accounts: ix.accounts,
    data: base58Encode(ix.data),
    stackHeight,
  }
}

function keyAt(tx: LedgerTransaction, index: number): Address {
  const key = tx.message.accountKeys[index]
  if (key === undefined) throw new Error(`transaction ${tx.signature} has no account key ${index}`)
  return key
}

function parsedInstructionJson(tx: LedgerTransaction, ix: CompiledInstruction, stackHeight: number): Json {
  const programId = keyAt(tx, ix.programIdIndex)
  const accounts = ix.accounts.map((i) => keyAt(tx, i))
  const parsed = parseInstruction(programId, accounts, ix.data)
  if (parsed !== null) return { parsed: parsed.parsed, program: parsed.program, programId, stackHeight }
  return { accounts, data: base58Encode(ix.data), programId, stackHeight }
}

function innerInstructionsJson(tx: LedgerTransaction, parsed: boolean): Json {
  return tx.meta.innerInstructions.map((group) => ({
    index: group.index,
    instructions: group.instructions.map((ix: InnerInstruction) =>
      parsed ? parsedInstructionJson(tx, ix, ix.stackHeight) : compiledInstructionJson(ix, ix.stackHeight),
    ),
  }))
}

function statusJson(err: Json): Json {
  return err === null ? { Ok: null } : { Err: err }
}

/** UiTransactionStatusMeta. jsonParsed leaves out loadedAddresses (the account keys carry `source`). */
export function metaJson(tx: LedgerTransaction, encoding: TransactionEncoding): JsonObject {
  const m = tx.meta
  const parsed = encoding === 'jsonParsed'
  return {
    computeUnitsConsumed: m.computeUnitsConsumed,
    costUnits: m.costUnits,
    err: m.err,
    fee: m.fee,
    innerInstructions: innerInstructionsJson(tx, parsed),
    loadedAddresses: parsed ? undefined : { readonly: [], writable: [] },
    logMessages: m.logMessages,
    postBalances: m.postBalances,
    postTokenBalances: m.postTokenBalances.map(tokenBalanceJson),
    preBalances: m.preBalances,
    preTokenBalances: m.preTokenBalances.map(tokenBalanceJson),
    returnData:
      m.returnData === null
        ? undefined
        : {
            programId: m.returnData.programId,
            data: [Buffer.from(m.returnData.data).toString('base64'), 'base64'],
          },
    rewards: [],
    status: statusJson(m.err),
  }
}

/** The `accounts` transaction details: keys and balances only. */
function accountsMetaJson(tx: LedgerTransaction): JsonObject {
  const m = tx.meta
  return {
    err: m.err,
    fee: m.fee,
    postBalances: m.postBalances,
    postTokenBalances: m.postTokenBalances.map(tokenBalanceJson),
    preBalances: m.preBalances,
    preTokenBalances: m.preTokenBalances.map(tokenBalanceJson),
    rewards: [],
    status: statusJson(m.err),
  }
}

function parsedAccountKeysJson(tx: LedgerTransaction): Json {
  const { header, accountKeys } = tx.message
  return accountKeys.map((pubkey, index) => ({
    pubkey,
    signer: index < header.numRequiredSignatures,
    source: 'transaction',
    writable: isWritable(header, accountKeys.length, index),
  }))
}

/** v0 messages carry addressTableLookups (empty: the devnet builds no lookup tables); legacy ones do not. */
function addressTableLookups(tx: LedgerTransaction): Json | undefined {
  return tx.version === 0 ? [] : undefined
}

export function transactionJson(tx: LedgerTransaction, encoding: TransactionEncoding): Json {
  const message = tx.message
  switch (encoding) {
    case 'base64':
      return [Buffer.from(tx.wireTransaction).toString('base64'), 'base64']
    case 'base58':
      return [base58Encode(tx.wireTransaction), 'base58']
    case 'json':
      return {
        message: {
          accountKeys: message.accountKeys,
          addressTableLookups: addressTableLookups(tx),
          header: { ...message.header },
          instructions: message.instructions.map((ix) => compiledInstructionJson(ix, TOP_LEVEL_STACK_HEIGHT)),
          recentBlockhash: message.recentBlockhash,
        },
        signatures: tx.signatures,
      }
    case 'jsonParsed':
      return {
        message: {
          accountKeys: parsedAccountKeysJson(tx),
          addressTableLookups: addressTableLookups(tx),
          instructions: message.instructions.map((ix) =>
            parsedInstructionJson(tx, ix, TOP_LEVEL_STACK_HEIGHT),
          ),
          recentBlockhash: message.recentBlockhash,
        },
        signatures: tx.signatures,
      }
  }
}

export interface VersionOptions {
  /** The request's maxSupportedTransactionVersion; without it the version key is left out. */
  maxSupportedTransactionVersion: number | undefined
}

/** The error agave answers when a v0 transaction is asked for without maxSupportedTransactionVersion. */
export class UnsupportedTransactionVersionError extends Error {
  constructor(readonly version: number) {
    super(`transaction version ${version} is not supported by the request`)
  }
}

function versionJson(tx: LedgerTransaction, options: VersionOptions): Json | undefined {
  if (tx.version === 'legacy')
    return options.maxSupportedTransactionVersion === undefined ? undefined : 'legacy'
  if (
    options.maxSupportedTransactionVersion === undefined ||
    options.maxSupportedTransactionVersion < tx.version
  ) {
    throw new UnsupportedTransactionVersionError(tx.version)
  }
  return tx.version
}

/** getTransaction's result. */
export function confirmedTransactionJson(
  tx: LedgerTransaction,
  encoding: TransactionEncoding,
  options: VersionOptions,
): JsonObject {
  const version = versionJson(tx, options)
  return {
    blockTime: tx.blockTime,
    meta: metaJson(tx, encoding),
    slot: tx.slot,
    transaction: transactionJson(tx, encoding),
    transactionIndex: tx.transactionIndex,
    version,
  }
}

function blockTransactionJson(
  tx: LedgerTransaction,
  encoding: TransactionEncoding,
  details: TransactionDetails,
  options: VersionOptions,
): Json {
  const version = versionJson(tx, options)
  if (details === 'accounts') {
    return {
      meta: accountsMetaJson(tx),
      transaction: { accountKeys: parsedAccountKeysJson(tx), signatures: tx.signatures },
      version,
    }
  }
  return { meta: metaJson(tx, encoding), transaction: transactionJson(tx, encoding), version }
}

/** getBlock's result (UiConfirmedBlock). */
export function blockJson(
  block: LedgerBlock,
  encoding: TransactionEncoding,
  details: TransactionDetails,
  rewards: boolean,
  options: VersionOptions,
): JsonObject {
  const full = details === 'full' || details === 'accounts'
  return {
    blockHeight: block.blockHeight,
    blockTime: block.blockTime,
    blockhash: block.blockhash,
    parentSlot: block.parentSlot,
    previousBlockhash: block.previousBlockhash,
    rewards: rewards ? [] : undefined,
    signatures: details === 'signatures' ? block.transactions.map((tx) => tx.signature) : undefined,
    transactions: full
      ? block.transactions.map((tx) => blockTransactionJson(tx, encoding, details, options))
      : undefined,
  }
}

/** getSignaturesForAddress' `memo`: agave's "[len] text" for each top-level memo instruction, joined by "; ". */
export function memoOf(tx: LedgerTransaction): string | null {
  const memos: string[] = []
  for (const ix of tx.message.instructions) {
    const programId = tx.message.accountKeys[ix.programIdIndex]
    if (programId === undefined || !isMemoProgram(programId)) continue
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(ix.data)
    } catch {
      text = '(unparseable)'
    }
    memos.push(`[${ix.data.length}] ${text}`)
  }
  return memos.length === 0 ? null : memos.join('; ')
}
