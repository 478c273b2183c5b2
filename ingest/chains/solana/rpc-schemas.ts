import { z } from 'zod'

/**
 * The parts of Solana JSON-RPC results the decoders read. Only the fields used are declared (zod
 * strips the rest). Integers are accepted as number or bigint: plain JSON gives numbers, while
 * `@solana/kit`'s RPC client returns u64 fields (slot, blockTime, ...) as bigint.
 */

export const rpcInteger = z.union([z.number().int(), z.bigint()]).transform((v) => Number(v))

const tokenBalance = z.object({
  accountIndex: rpcInteger,
  mint: z.string(),
  owner: z.string().optional(),
  programId: z.string().optional(),
  uiTokenAmount: z.object({ amount: z.string(), decimals: rpcInteger }),
})
export type RpcTokenBalance = z.infer<typeof tokenBalance>

/** jsonParsed: an instruction of a program the node knows how to parse. */
const parsedInstruction = z.object({
  programId: z.string(),
  program: z.string().optional(),
  parsed: z.unknown().optional(),
  stackHeight: rpcInteger.nullish(),
})

/** jsonParsed: an instruction of a program the node cannot parse (addresses + base58 data). */
const partiallyDecodedInstruction = z.object({
  programId: z.string(),
  accounts: z.array(z.string()),
  data: z.string(),
  stackHeight: rpcInteger.nullish(),
})

/** json / base64 meta: a compiled instruction (indexes into the account keys + base58 data). */
const compiledInstruction = z.object({
  programIdIndex: rpcInteger,
  accounts: z.array(rpcInteger),
  data: z.string(),
  stackHeight: rpcInteger.nullish(),
})

// Order matters: a parsed instruction has neither `accounts` nor `programIdIndex`.
export const rpcInstruction = z.union([compiledInstruction, partiallyDecodedInstruction, parsedInstruction])
export type RpcInstruction = z.infer<typeof rpcInstruction>

const loadedAddresses = z.object({ writable: z.array(z.string()), readonly: z.array(z.string()) })

const meta = z.object({
  err: z.unknown().optional(),
  status: z.unknown().optional(),
  innerInstructions: z
    .array(z.object({ index: rpcInteger, instructions: z.array(rpcInstruction) }))
    .nullish(),
  preTokenBalances: z.array(tokenBalance).nullish(),
  postTokenBalances: z.array(tokenBalance).nullish(),
  loadedAddresses: loadedAddresses.nullish(),
})
export type RpcTransactionMeta = z.infer<typeof meta>

const accountKey = z.union([z.string(), z.object({ pubkey: z.string() })])

/** `json` and `jsonParsed` encodings: a transaction object. */
const transactionObject = z.object({
  signatures: z.array(z.string()),
  message: z.object({
    accountKeys: z.array(accountKey),
    instructions: z.array(rpcInstruction),
  }),
})
export type RpcTransactionObject = z.infer<typeof transactionObject>

/** `base64` / `base58` encodings: the wire bytes and the encoding name. */
const transactionBytes = z.tuple([z.string(), z.enum(['base64', 'base58'])])

export const getTransactionResult = z.object({
  slot: rpcInteger,
  blockTime: rpcInteger.nullish(),
  meta: meta.nullable(),
  transaction: z.union([transactionObject, transactionBytes]),
  version: z.union([z.literal('legacy'), rpcInteger]).optional(),
})
export type RpcGetTransactionResult = z.infer<typeof getTransactionResult>

export const signatureInfo = z.object({
  signature: z.string(),
  slot: rpcInteger,
  err: z.unknown().optional(),
  memo: z.string().nullish(),
  blockTime: rpcInteger.nullish(),
  confirmationStatus: z.enum(['processed', 'confirmed', 'finalized']).nullish(),
})

export const getSignaturesForAddressResult = z.array(signatureInfo)
