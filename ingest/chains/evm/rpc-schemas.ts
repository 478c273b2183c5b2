import { z } from 'zod'

/**
 * The parts of Ethereum JSON-RPC results the decoders read; other fields (Parity's
 * `transactionLogIndex`/`type`, Arbitrum's `l1BlockNumber`/`gasUsedForL1`/`sendRoot`, ...) are
 * ignored. Quantities are accepted as hex strings (the wire format) or as numbers/bigints (already
 * converted by a client), and come out as numbers: block numbers, indexes and timestamps all fit.
 */

export const quantity = z
  .union([z.string().regex(/^0x[0-9a-fA-F]+$/, 'expected a hex quantity'), z.number().int(), z.bigint()])
  .transform((v) => Number(typeof v === 'string' ? BigInt(v) : v))

const hash = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hex hash')
  .transform((h) => h.toLowerCase())

export const rpcLog = z.object({
  address: z.string().transform((a) => a.toLowerCase()),
  topics: z.array(z.string()),
  data: z.string(),
  // Null on pending logs (Parity `type: "pending"`): not yet in a block, so skipped.
  blockNumber: quantity.nullable(),
  blockHash: hash.nullish(),
  transactionHash: hash.nullable(),
  transactionIndex: quantity.nullable(),
  logIndex: quantity.nullable(),
  removed: z.boolean().optional(),
  /** Unix seconds; newer nodes (geth ≥ 1.14, erigon) add it to logs. */
  blockTimestamp: quantity.optional(),
})
export type RpcLog = z.infer<typeof rpcLog>

export const rpcLogs = z.array(rpcLog)

export const rpcReceipt = z.object({
  transactionHash: hash,
  /** '0x1' success, '0x0' reverted; absent before Byzantium (block 4,370,000), which has `root`. */
  status: quantity.nullish(),
  root: z.string().nullish(),
  logs: z.array(z.unknown()),
})
export type RpcReceipt = z.infer<typeof rpcReceipt>

export const rpcBlockHeader = z.object({
  number: quantity,
  hash,
  parentHash: hash,
  timestamp: quantity,
})
