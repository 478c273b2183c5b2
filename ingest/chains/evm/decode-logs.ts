import { Interface, type LogDescription, type Result } from 'ethers'
import { z } from 'zod'

import type { TokenMovement } from '../movement.js'
import { rpcLogs, rpcReceipt, type RpcLog } from './rpc-schemas.js'

/** Where a log sits on chain: enough to key a row and to retract it on a reorg. */
export interface LogCoordinates {
  /** Emitting contract, lower-case. */
  address: string
  blockNumber: number
  blockHash: string | null
  txHash: string
  txIndex: number
  /** Position of the log in its block. */
  logIndex: number
  /** From the log's `blockTimestamp` when the node gives it, else null (take it from the block). */
  blockTime: Date | null
}

export interface DecodedEvent extends LogCoordinates {
  name: string
  /** Canonical signature, e.g. 'Transfer(address,address,uint256)'. */
  signature: string
  /** Decoded arguments, by position and by name (`args.value`, `args[2]`). */
  args: Result
}

export interface DecodeEventsOptions {
  /** Keep only logs emitted by these contracts (any case). */
  addresses?: Iterable<string>
}

/**
 * Decodes the logs that match an event of `iface`, with their coordinates. Pluggable: pass the
 * Interface of any market contract. Logs with `removed: true` (dropped by a reorg), pending logs,
 * logs of other events, and logs whose shape does not fit the event's ABI (e.g. an ERC-721
 * `Transfer`, which shares its topic with ERC-20 but indexes the third argument) are skipped.
 */
export function decodeEventLogs(
  iface: Interface,
  logs: unknown,
  options: DecodeEventsOptions = {},
): DecodedEvent[] {
  const only = options.addresses ? new Set([...options.addresses].map((a) => a.toLowerCase())) : null
  const events: DecodedEvent[] = []
  for (const log of rpcLogs.parse(logs)) {
    const at = coordinatesOf(log)
    if (!at || (only && !only.has(at.address))) continue
    const parsed = parseLogSafely(iface, log)
    if (!parsed) continue
    events.push({ ...at, name: parsed.name, signature: parsed.signature, args: parsed.args })
  }
  return events
}

function coordinatesOf(log: RpcLog): LogCoordinates | null {
  if (log.removed === true) return null
  if (log.blockNumber === null || log.transactionHash === null || log.logIndex === null) return null
  return {
    address: log.address,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash ?? null,
    txHash: log.transactionHash,
    txIndex: log.transactionIndex ?? 0,
    logIndex: log.logIndex,
    blockTime: log.blockTimestamp === undefined ? null : new Date(log.blockTimestamp * 1000),
  }
}

function parseLogSafely(iface: Interface, log: RpcLog): LogDescription | null {
  const fragment = log.topics[0] === undefined ? null : iface.getEvent(log.topics[0])
  if (!fragment) return null
  // One topic for the selector (unless anonymous) plus one per indexed input.
  const indexed = fragment.inputs.filter((input) => input.indexed).length
  if (log.topics.length !== indexed + (fragment.anonymous ? 0 : 1)) return null
  try {
    return iface.parseLog({ topics: log.topics, data: log.data })
  } catch {
    return null
  }
}

export const ERC20_INTERFACE = new Interface([
  'event Transfer(address indexed from, address indexed to, uint256 value)',
])

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'

/**
 * ERC-20 `Transfer` logs as token movements: from 0x0 is a mint, to 0x0 a burn. The token is the
 * emitting contract; decimals are not in the log (null: the catalog knows them). `eventIndex` is
 * the log index.
 */
export function decodeTransferLogs(
  chain: string,
  logs: unknown,
  options: DecodeEventsOptions = {},
): TokenMovement[] {
  return decodeEventLogs(ERC20_INTERFACE, logs, options).map((event) => transferMovement(chain, event))
}

function transferMovement(chain: string, event: DecodedEvent): TokenMovement {
  const from = String(event.args.getValue('from')).toLowerCase()
  const to = String(event.args.getValue('to')).toLowerCase()
  const value: unknown = event.args.getValue('value')
  if (typeof value !== 'bigint') throw new Error(`Transfer value is not a uint256 at log ${event.logIndex}`)
  const kind = from === ZERO_ADDRESS ? 'mint' : to === ZERO_ADDRESS ? 'burn' : 'transfer'
  return {
    chain,
    txId: event.txHash,
    slotOrBlock: event.blockNumber,
    blockTime: event.blockTime,
    eventIndex: event.logIndex,
    kind,
    token: event.address,
    amountRaw: value,
    decimals: null,
    from: kind === 'mint' ? null : from,
    to: kind === 'burn' ? null : to,
  }
}

/**
 * The logs of the receipts that succeeded, from one `eth_getTransactionReceipt` result or an
 * `eth_getBlockReceipts` array. Receipts with status 0x0 are dropped. Pre-Byzantium receipts carry
 * a state `root` and no `status`: they count as successful, which is safe for logs because a
 * transaction that threw back then had all its logs reverted with its state.
 */
export function successfulReceiptLogs(receipts: unknown): unknown[] {
  const list = z.union([rpcReceipt, z.array(rpcReceipt)]).parse(receipts)
  return (Array.isArray(list) ? list : [list]).filter(receiptSucceeded).flatMap((receipt) => receipt.logs)
}

export function receiptSucceeded(receipt: { status?: number | null }): boolean {
  return receipt.status == null || receipt.status === 1
}

/** ERC-20 movements of one receipt or a block's receipts (reverted transactions skipped). */
export function decodeReceiptTransfers(
  chain: string,
  receipts: unknown,
  options: DecodeEventsOptions = {},
): TokenMovement[] {
  return decodeTransferLogs(chain, successfulReceiptLogs(receipts), options)
}
