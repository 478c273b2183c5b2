import { getUtf8Decoder } from '@solana/kit'

import { solanaEventIndex, type TokenMovement } from '../movement.js'
import { getTransactionResult } from './rpc-schemas.js'
import { MEMO_PROGRAM_IDS, splTokenActionOf, tokenAccountFactOf, type SplTokenAction } from './spl-token.js'
import { TokenAccountIndex } from './token-accounts.js'
import { normalizeTransaction, type NormalizedInstruction } from './transaction-message.js'

export interface DecodedSolanaTransaction {
  signature: string
  slot: number
  blockTime: Date | null
  failed: boolean
  /** The raw `meta.err` when failed. */
  err?: unknown
  movements: TokenMovement[]
  /** SPL Memo texts of the transaction, joined with '\n'. */
  memo?: string
  /** What could not be resolved (e.g. a `transfer` whose mint no balance or instruction names). */
  warnings: string[]
}

export interface DecodeSolanaOptions {
  /** Chain name written into the movements; 'solana' unless told (e.g. 'solana-devnet'). */
  chain?: string
}

/**
 * Decodes a `getTransaction` result (encoding `jsonParsed`, `json`, `base64` or `base58`; legacy
 * or version 0) into SPL Token / Token-2022 movements: transfer, transferChecked, mintTo,
 * mintToChecked, burn, burnChecked (and Token-2022 transferCheckedWithFee), from outer and inner
 * instructions. A failed transaction has no movements. Native SOL transfers are not decoded.
 */
export function decodeSolanaTransaction(
  result: unknown,
  options: DecodeSolanaOptions = {},
): DecodedSolanaTransaction {
  const tx = getTransactionResult.parse(result)
  if (tx.meta === null) throw new Error(`transaction at slot ${tx.slot} has no meta: status unknown`)
  const normalized = normalizeTransaction(tx.transaction, tx.meta)
  const blockTime = tx.blockTime == null ? null : new Date(tx.blockTime * 1000)
  const base = { signature: normalized.signature, slot: tx.slot, blockTime }

  const err = tx.meta.err ?? errOfStatus(tx.meta.status)
  if (err != null) return { ...base, failed: true, err, movements: [], warnings: [] }

  const accounts = TokenAccountIndex.fromBalances(
    normalized.accountKeys,
    tx.meta.preTokenBalances ?? [],
    tx.meta.postTokenBalances ?? [],
  )
  for (const ix of normalized.instructions) {
    const fact = tokenAccountFactOf(ix)
    if (fact) accounts.addFact(fact)
  }

  const memos = normalized.instructions.map(memoOf).filter((m): m is string => m !== null)
  const memo = memos.length > 0 ? memos.join('\n') : undefined
  const warnings = [...accounts.warnings]
  const movements: TokenMovement[] = []
  for (const ix of normalized.instructions) {
    const action = splTokenActionOf(ix)
    if (!action) continue
    const eventIndex = solanaEventIndex(ix.outerIndex, ix.innerIndex)
    const movement = toMovement(action, accounts, { ...base, chain: options.chain ?? 'solana', eventIndex })
    if (typeof movement === 'string') {
      warnings.push(`event ${eventIndex} (${action.instruction}): ${movement}`)
      continue
    }
    movements.push(memo === undefined ? movement : { ...movement, memo })
  }
  return { ...base, failed: false, movements, ...(memo !== undefined ? { memo } : {}), warnings }
}

/** Older nodes only fill `meta.status` ({ Ok: null } | { Err: ... }). */
function errOfStatus(status: unknown): unknown {
  if (typeof status !== 'object' || status === null || !('Err' in status)) return null
  return status.Err
}

interface MovementContext {
  chain: string
  signature: string
  slot: number
  blockTime: Date | null
  eventIndex: number
}

/** Resolves token accounts to owners and the mint; returns the reason when the mint is unknown. */
function toMovement(
  action: SplTokenAction,
  accounts: TokenAccountIndex,
  ctx: MovementContext,
): TokenMovement | string {
  const source = accounts.get(action.sourceAccount)
  const destination = accounts.get(action.destinationAccount)
  const token = action.mint ?? source?.mint ?? destination?.mint
  if (token === undefined)
    return 'mint unknown: the instruction does not name it and no token balance covers its accounts'
  return {
    chain: ctx.chain,
    txId: ctx.signature,
    slotOrBlock: ctx.slot,
    blockTime: ctx.blockTime,
    eventIndex: ctx.eventIndex,
    kind: action.kind,
    token,
    amountRaw: action.amount,
    decimals: action.decimals ?? accounts.decimalsOf(token) ?? null,
    from: source?.owner ?? null,
    to: destination?.owner ?? null,
    ...(action.sourceAccount !== null ? { fromTokenAccount: action.sourceAccount } : {}),
    ...(action.destinationAccount !== null ? { toTokenAccount: action.destinationAccount } : {}),
    ...(action.authority !== null ? { authority: action.authority } : {}),
  }
}

function memoOf(ix: NormalizedInstruction): string | null {
  if (!MEMO_PROGRAM_IDS.has(ix.programId)) return null
  if (ix.form === 'parsed') return typeof ix.parsed === 'string' ? ix.parsed : null
  return getUtf8Decoder().decode(ix.data)
}
