// A Solana JSON-RPC 2.0 server over a SolanaLedger, on 127.0.0.1, answering the methods Plumb's
// ingester uses the way an agave node does: same result shapes, same error codes and messages,
// commitment levels (`finalized` trails `confirmed` by a configurable number of slots).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Address } from '@solana/kit'
import { base58Decode, base58Encode, parseAddress } from './base58.js'
import {
  blockJson,
  confirmedTransactionJson,
  isOneOf,
  memoOf,
  TRANSACTION_DETAILS,
  TRANSACTION_ENCODINGS,
  UnsupportedTransactionVersionError,
  type TransactionDetails,
  type TransactionEncoding,
  type VersionOptions,
} from './encode.js'
import { isJsonObject, stringifyJson, type Json, type JsonObject } from './json.js'
import type { AccountSnapshot, LedgerBlock, LedgerTransaction, SolanaLedger } from './ledger.js'
import { isTokenProgram, unpackMint, unpackTokenAccount, uiTokenAmount } from './token-state.js'

export interface SolanaRpcServerOptions {
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: a free port. */
  port?: number
  /** How many slots `finalized` trails `confirmed`. Default 32. */
  finalizedLag?: number
  /** What getVersion and response contexts report. Default 3.0.6. */
  solanaCoreVersion?: string
  featureSet?: number
}

export interface SolanaRpcServer {
  url: string
  port: number
  /** Answers a parsed JSON-RPC body (one request or a batch) without HTTP; undefined for notifications only. */
  handle(body: unknown): Json | undefined
  close(): Promise<void>
}

export type Commitment = 'processed' | 'confirmed' | 'finalized'

/** A JSON-RPC error as agave sends it. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: Json,
  ) {
    super(message)
  }
}

// agave rpc-client-api custom_error.rs and jsonrpc-core's standard codes.
export const RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  blockNotAvailable: -32004,
  slotSkipped: -32007,
  longTermStorageSlotSkipped: -32009,
  unsupportedTransactionVersion: -32015,
  minContextSlotNotReached: -32016,
  filterTransactionNotFound: -32020,
} as const

const MAX_SIGNATURES_FOR_ADDRESS = 1000
const MAX_BLOCKS_RANGE = 500_000
const MAX_SIGNATURE_STATUSES = 256
const MAX_PROCESSING_AGE = 150
const RENT_EXEMPT_RENT_EPOCH = 18_446_744_073_709_551_615n

function invalidParams(detail: string): RpcError {
  return new RpcError(RPC_ERRORS.invalidParams, detail)
}

// ---- parameter parsing ----------------------------------------------------------------------------

type Params = readonly unknown[]

function u64Param(params: Params, index: number, name: string): number {
  const value = params[index]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParams(`Invalid params: invalid type: ${describe(value)}, expected u64 (${name}).`)
  }
  return value
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing parameter'
  if (value === null) return 'null'
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  if (Array.isArray(value)) return 'sequence'
  return typeof value === 'object' ? 'map' : `${typeof value} ${String(value)}`
}

function stringParam(params: Params, index: number, name: string): string {
  const value = params[index]
  if (typeof value !== 'string') {
    throw invalidParams(`Invalid params: invalid type: ${describe(value)}, expected a string (${name}).`)
  }
  return value
}

/** agave verify_pubkey. */
function addressParam(params: Params, index: number): Address {
  const text = stringParam(params, index, 'pubkey')
  const address = parseAddress(text)
  if (address === undefined)
    throw invalidParams(`Invalid param: ${/^[1-9A-HJ-NP-Za-km-z]+$/.test(text) ? 'WrongSize' : 'Invalid'}`)
  return address
}

/** agave verify_signature. */
function signatureText(text: string): string {
  let bytes: Uint8Array
  try {
    bytes = base58Decode(text)
  } catch {
    throw invalidParams('Invalid param: Invalid')
  }
  if (bytes.length !== 64) throw invalidParams('Invalid param: WrongSize')
  return text
}

function configParam(params: Params, index: number): Record<string, unknown> {
  const value = params[index]
  if (value === undefined || value === null) return {}
  if (!isJsonObject(value))
    throw invalidParams(`Invalid params: invalid type: ${describe(value)}, expected a map.`)
  return value
}

const COMMITMENT_ALIASES: Record<string, Commitment> = {
  processed: 'processed',
  confirmed: 'confirmed',
  finalized: 'finalized',
  recent: 'processed',
  single: 'confirmed',
  singleGossip: 'confirmed',
  root: 'finalized',
  max: 'finalized',
}

function commitmentOf(config: Record<string, unknown>): Commitment {
  const value = config.commitment
  if (value === undefined || value === null) return 'finalized'
  const commitment = typeof value === 'string' ? COMMITMENT_ALIASES[value] : undefined
  if (commitment === undefined) {
    throw invalidParams(
      `Invalid params: unknown variant \`${String(value)}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\`.`,
    )
  }
  return commitment
}

/** Block and history methods refuse `processed`: that data may still be on a minority fork. */
function atLeastConfirmed(config: Record<string, unknown>): Commitment {
  const commitment = commitmentOf(config)
  if (commitment === 'processed') throw invalidParams('Method does not support commitment below `confirmed`')
  return commitment
}

function encodingOf(value: unknown, fallback: TransactionEncoding): TransactionEncoding {
  if (value === undefined || value === null) return fallback
  if (isOneOf(TRANSACTION_ENCODINGS, value)) return value
  throw invalidParams(
    `Invalid params: unknown variant \`${String(value)}\`, expected one of \`binary\`, \`base64\`, \`base58\`, \`json\`, \`jsonParsed\`.`,
  )
}

function detailsOf(value: unknown): TransactionDetails {
  if (value === undefined || value === null) return 'full'
  if (isOneOf(TRANSACTION_DETAILS, value)) return value
  throw invalidParams(
    `Invalid params: unknown variant \`${String(value)}\`, expected one of \`full\`, \`signatures\`, \`none\`, \`accounts\`.`,
  )
}

function versionOptions(config: Record<string, unknown>): VersionOptions {
  const value = config.maxSupportedTransactionVersion
  if (value === undefined || value === null) return { maxSupportedTransactionVersion: undefined }
  if (value !== 0)
    throw invalidParams(`Invalid params: invalid value: integer \`${String(value)}\`, expected 0.`)
  return { maxSupportedTransactionVersion: 0 }
}

/** getBlock and getTransaction accept either a config object or, in the legacy form, an encoding string. */
function encodingConfig(params: Params, index: number): Record<string, unknown> {
  const value = params[index]
  return typeof value === 'string' ? { encoding: value } : configParam(params, index)
}

// ---- the handler ----------------------------------------------------------------------------------

interface View {
  processed: number
  confirmed: number
  finalized: number
}

type Method = (params: Params) => Json

export class SolanaRpcHandler {
  private readonly finalizedLag: number
  private readonly version: string
  private readonly featureSet: number
  private readonly methods: Record<string, Method>

  constructor(
    private readonly ledger: SolanaLedger,
    options: SolanaRpcServerOptions = {},
  ) {
    this.finalizedLag = options.finalizedLag ?? 32
    this.version = options.solanaCoreVersion ?? '3.0.6'
    this.featureSet = options.featureSet ?? 3_294_202_862
    this.methods = {
      getAccountInfo: (p) => this.getAccountInfo(p),
      getBalance: (p) => this.getBalance(p),
      getBlock: (p) => this.getBlock(p),
      getBlockHeight: (p) => this.getBlockHeight(p),
      getBlockTime: (p) => this.getBlockTime(p),
      getBlocks: (p) => this.getBlocks(p),
      getBlocksWithLimit: (p) => this.getBlocksWithLimit(p),
      getFirstAvailableBlock: () => 0,
      getGenesisHash: () => this.ledger.genesisHash,
      getHealth: () => 'ok',
      getLatestBlockhash: (p) => this.getLatestBlockhash(p),
      getSignatureStatuses: (p) => this.getSignatureStatuses(p),
      getSignaturesForAddress: (p) => this.getSignaturesForAddress(p),
      getSlot: (p) => this.getSlot(p),
      getTokenSupply: (p) => this.getTokenSupply(p),
      getTransaction: (p) => this.getTransaction(p),
      getVersion: () => ({ 'feature-set': this.featureSet, 'solana-core': this.version }),
      minimumLedgerSlot: () => 0,
    }
  }

  /** The slots each commitment level sees right now. */
  view(): View {
    const confirmed = this.ledger.latestBlock.slot
    const finalized = this.ledger.blockAtOrBelow(confirmed - this.finalizedLag)?.slot ?? 0
    return { processed: this.ledger.currentSlot, confirmed, finalized }
  }

  /** Answers one request or a batch; undefined when nothing is to be sent back (notifications only). */
  handle(body: unknown): Json | undefined {
    if (!Array.isArray(body)) return this.handleOne(body)
    if (body.length === 0)
      return errorResponse(null, new RpcError(RPC_ERRORS.invalidRequest, 'Invalid request'))
    const responses = body.map((request) => this.handleOne(request)).filter((r) => r !== undefined)
    return responses.length === 0 ? undefined : responses
  }

  private handleOne(request: unknown): Json | undefined {
    if (!isJsonObject(request) || request.jsonrpc !== '2.0' || typeof request.method !== 'string') {
      return errorResponse(requestId(request), new RpcError(RPC_ERRORS.invalidRequest, 'Invalid request'))
    }
    const id = requestId(request)
    const isNotification = !('id' in request)
    const method = this.methods[request.method]
    let response: Json
    if (method === undefined) {
      response = errorResponse(id, new RpcError(RPC_ERRORS.methodNotFound, 'Method not found'))
    } else if (request.params === undefined || Array.isArray(request.params)) {
      response = this.call(method, request.params ?? [], id)
    } else {
      response = errorResponse(id, invalidParams('Invalid params: invalid type: map, expected a sequence.'))
    }
    return isNotification ? undefined : response
  }

  private call(method: Method, params: Params, id: Json): Json {
    try {
      return { jsonrpc: '2.0', result: method(params), id }
    } catch (error) {
      if (error instanceof RpcError) return errorResponse(id, error)
      if (error instanceof UnsupportedTransactionVersionError) {
        const v = error.version
        const message =
          `Transaction version (${v}) is not supported by the requesting client. ` +
          `Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${v}`
        return errorResponse(id, new RpcError(RPC_ERRORS.unsupportedTransactionVersion, message))
      }
      const detail = error instanceof Error ? error.message : String(error)
      return errorResponse(id, new RpcError(RPC_ERRORS.internalError, `Internal error: ${detail}`))
    }
  }

  private slotFor(commitment: Commitment, view = this.view()): number {
    return view[commitment]
  }

  private context(slot: number): JsonObject {
    return { apiVersion: this.version, slot }
  }

  private checkMinContextSlot(config: Record<string, unknown>, contextSlot: number): void {
    const min = config.minContextSlot
    if (typeof min === 'number' && contextSlot < min) {
      throw new RpcError(RPC_ERRORS.minContextSlotNotReached, 'Minimum context slot has not been reached', {
        contextSlot,
      })
    }
  }

  private getSlot(params: Params): Json {
    const config = configParam(params, 0)
    const slot = this.slotFor(commitmentOf(config))
    this.checkMinContextSlot(config, slot)
    return slot
  }

  private getBlockHeight(params: Params): Json {
    const config = configParam(params, 0)
    const commitment = commitmentOf(config)
    const slot = this.slotFor(commitment)
    this.checkMinContextSlot(config, slot)
    const latest = this.ledger.latestBlock
    // The processed bank is the open slot, one block above the latest sealed one.
    if (commitment === 'processed') return latest.blockHeight + 1
    return this.ledger.blockAtOrBelow(slot)?.blockHeight ?? 0
  }

  private getLatestBlockhash(params: Params): Json {
    const config = configParam(params, 0)
    const commitment = commitmentOf(config)
    const slot = this.slotFor(commitment)
    this.checkMinContextSlot(config, slot)
    const block = commitment === 'finalized' ? this.ledger.blockAtOrBelow(slot) : this.ledger.latestBlock
    if (block === undefined) throw new RpcError(RPC_ERRORS.internalError, 'Internal error')
    return {
      context: this.context(slot),
      value: { blockhash: block.blockhash, lastValidBlockHeight: block.blockHeight + MAX_PROCESSING_AGE },
    }
  }

  /**
   * agave get_block: finalized slots come from the rooted ledger (a slot without a block there was
   * skipped, -32007); newer confirmed slots only if the confirmed fork holds them (-32004 otherwise).
   */
  private blockFor(slot: number, commitment: Commitment): LedgerBlock {
    const view = this.view()
    const block = this.ledger.getBlock(slot)
    if (slot <= view.finalized) {
      if (block !== undefined) return block
      throw new RpcError(
        RPC_ERRORS.slotSkipped,
        `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`,
      )
    }
    if (commitment === 'confirmed' && slot <= view.confirmed && block !== undefined) return block
    throw new RpcError(RPC_ERRORS.blockNotAvailable, `Block not available for slot ${slot}`)
  }

  private getBlock(params: Params): Json {
    const slot = u64Param(params, 0, 'slot')
    const config = encodingConfig(params, 1)
    const encoding = encodingOf(config.encoding, 'json')
    const details = detailsOf(config.transactionDetails)
    const rewards = config.rewards === undefined || config.rewards === null ? true : config.rewards === true
    const commitment = atLeastConfirmed(config)
    const block = this.blockFor(slot, commitment)
    return blockJson(block, encoding, details, rewards, versionOptions(config))
  }

  private getBlockTime(params: Params): Json {
    const slot = u64Param(params, 0, 'slot')
    if (slot === 0) return this.ledger.getBlock(0)?.blockTime ?? null
    const view = this.view()
    if (slot <= view.finalized) return this.blockFor(slot, 'finalized').blockTime
    const block = this.ledger.getBlock(slot)
    if (block !== undefined) return block.blockTime
    // agave answers from any bank it has, the open (processed) one included.
    if (slot === view.processed) return this.ledger.currentUnixTimestamp
    throw new RpcError(RPC_ERRORS.blockNotAvailable, `Block not available for slot ${slot}`)
  }

  private getBlocks(params: Params): Json {
    const start = u64Param(params, 0, 'start_slot')
    // The second parameter is either the end slot or the config.
    const endGiven = typeof params[1] === 'number'
    const config = configParam(params, endGiven ? 2 : typeof params[1] === 'object' ? 1 : 2)
    const commitment = atLeastConfirmed(config)
    const requestedEnd = endGiven ? u64Param(params, 1, 'end_slot') : start + MAX_BLOCKS_RANGE
    const end = Math.min(requestedEnd, this.slotFor(commitment))
    if (end < start) return []
    if (end - start > MAX_BLOCKS_RANGE) throw invalidParams(`Slot range too large; max ${MAX_BLOCKS_RANGE}`)
    return this.ledger.blockSlotsInRange(start, end)
  }

  private getBlocksWithLimit(params: Params): Json {
    const start = u64Param(params, 0, 'start_slot')
    const limit = u64Param(params, 1, 'limit')
    const commitment = atLeastConfirmed(configParam(params, 2))
    if (limit > MAX_BLOCKS_RANGE) throw invalidParams(`Limit too large; max ${MAX_BLOCKS_RANGE}`)
    return this.ledger.blockSlotsInRange(start, this.slotFor(commitment)).slice(0, limit)
  }

  private getTransaction(params: Params): Json {
    const signature = signatureText(stringParam(params, 0, 'signature'))
    const config = encodingConfig(params, 1)
    const encoding = encodingOf(config.encoding, 'json')
    const commitment = atLeastConfirmed(config)
    const tx = this.ledger.getTransaction(signature)
    if (tx === undefined || this.ledger.getBlock(tx.slot) === undefined) return null
    if (tx.slot > this.slotFor(commitment)) return null
    return confirmedTransactionJson(tx, encoding, versionOptions(config))
  }

  /** A transaction named by a `before`/`until` cursor; agave answers -32020 for one it cannot find. */
  private cursor(text: unknown): LedgerTransaction | undefined {
    if (typeof text !== 'string') return undefined
    const tx = this.ledger.getTransaction(signatureText(text))
    if (tx === undefined)
      throw new RpcError(RPC_ERRORS.filterTransactionNotFound, `Transaction ${text} not found`)
    return tx
  }

  /** agave get_signatures_for_address: newest first; `before` and `until` are exclusive bounds. */
  private getSignaturesForAddress(params: Params): Json {
    const address = addressParam(params, 0)
    const config = configParam(params, 1)
    const limit = config.limit ?? MAX_SIGNATURES_FOR_ADDRESS
    if (
      typeof limit !== 'number' ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > MAX_SIGNATURES_FOR_ADDRESS
    ) {
      throw invalidParams(`Invalid limit; max ${MAX_SIGNATURES_FOR_ADDRESS}`)
    }
    const before = this.cursor(config.before)
    const until = this.cursor(config.until)
    const commitment = atLeastConfirmed(config)
    const view = this.view()
    const highest = this.slotFor(commitment, view)
    this.checkMinContextSlot(config, highest)

    const history = this.ledger.transactionsForAddress(address)
    const out: Json[] = []
    for (let index = countOlderThan(history, before) - 1; index >= 0 && out.length < limit; index--) {
      const tx = history[index]
      if (tx === undefined || (until !== undefined && !isNewer(tx, until))) break
      if (tx.slot > highest || this.ledger.getBlock(tx.slot) === undefined) continue
      out.push({
        blockTime: tx.blockTime,
        confirmationStatus: tx.slot <= view.finalized ? 'finalized' : 'confirmed',
        err: tx.meta.err,
        memo: memoOf(tx),
        signature: tx.signature,
        slot: tx.slot,
      })
    }
    return out
  }

  private getSignatureStatuses(params: Params): Json {
    const value = params[0]
    if (!Array.isArray(value) || !value.every((s): s is string => typeof s === 'string')) {
      throw invalidParams('Invalid params: invalid type: expected a sequence of strings.')
    }
    if (value.length > MAX_SIGNATURE_STATUSES) {
      throw invalidParams(`Too many inputs provided; max ${MAX_SIGNATURE_STATUSES}`)
    }
    const view = this.view()
    const statuses = value.map((text): Json => {
      const tx = this.ledger.getTransaction(signatureText(text))
      if (tx === undefined) return null
      const sealed = this.ledger.getBlock(tx.slot) !== undefined
      const finalized = sealed && tx.slot <= view.finalized
      const confirmations = finalized ? null : sealed ? view.confirmed - tx.slot : 0
      return {
        confirmationStatus: finalized ? 'finalized' : sealed ? 'confirmed' : 'processed',
        confirmations,
        err: tx.meta.err,
        slot: tx.slot,
        status: tx.meta.err === null ? { Ok: null } : { Err: tx.meta.err },
      }
    })
    return { context: this.context(view.processed), value: statuses }
  }

  /** The account as the bank at `commitment` sees it. */
  private accountFor(
    address: Address,
    config: Record<string, unknown>,
  ): { slot: number; account: AccountSnapshot | null } {
    const slot = this.slotFor(commitmentOf(config))
    this.checkMinContextSlot(config, slot)
    const account =
      slot >= this.ledger.currentSlot
        ? this.ledger.getAccount(address)
        : this.ledger.getAccountAt(address, slot)
    return { slot, account }
  }

  private getBalance(params: Params): Json {
    const address = addressParam(params, 0)
    const { slot, account } = this.accountFor(address, configParam(params, 1))
    return { context: this.context(slot), value: account?.lamports ?? 0n }
  }

  private getTokenSupply(params: Params): Json {
    const address = addressParam(params, 0)
    const { slot, account } = this.accountFor(address, configParam(params, 1))
    if (account === null) throw invalidParams('Invalid param: could not find account')
    if (!isTokenProgram(account.owner)) throw invalidParams('Invalid param: not a Token mint')
    const mint = unpackMint(account.data)
    if (mint === null) throw invalidParams('Invalid param: mint could not be unpacked')
    return { context: this.context(slot), value: { ...uiTokenAmount(mint.supply, mint.decimals) } }
  }

  private getAccountInfo(params: Params): Json {
    const address = addressParam(params, 0)
    const config = configParam(params, 1)
    const encoding = config.encoding ?? 'binary'
    const { slot, account } = this.accountFor(address, config)
    if (account === null) return { context: this.context(slot), value: null }
    return {
      context: this.context(slot),
      value: {
        data: accountData(account, encoding, (mint) => this.ledger.getMint(mint)?.decimals),
        executable: account.executable,
        lamports: account.lamports,
        owner: account.owner,
        rentEpoch: RENT_EXEMPT_RENT_EPOCH,
        space: account.data.length,
      },
    }
  }
}

function accountData(
  account: AccountSnapshot,
  encoding: unknown,
  decimalsOf: (mint: Address) => number | undefined,
): Json {
  const base64: Json = [Buffer.from(account.data).toString('base64'), 'base64']
  switch (encoding) {
    case 'binary':
    case 'base58':
      if (account.data.length > 128) {
        throw invalidParams(
          'Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.',
        )
      }
      return encoding === 'binary' ? base58Encode(account.data) : [base58Encode(account.data), 'base58']
    case 'base64':
      return base64
    case 'jsonParsed':
      return parsedAccountData(account, decimalsOf) ?? base64
    case 'base64+zstd':
      throw invalidParams('Invalid params: base64+zstd encoding is not supported by this devnet')
    default:
      throw invalidParams(
        `Invalid params: unknown variant \`${String(encoding)}\`, expected one of \`binary\`, \`base58\`, \`base64\`, \`jsonParsed\`, \`base64+zstd\`.`,
      )
  }
}

/** agave account-decoder for SPL Token accounts and mints; `decimalsOf` reads the token account's mint. */
function parsedAccountData(
  account: AccountSnapshot,
  decimalsOf: (mint: Address) => number | undefined,
): Json | null {
  if (!isTokenProgram(account.owner)) return null
  const space = account.data.length
  const tokenAccount = unpackTokenAccount(account.data)
  if (tokenAccount !== null) {
    const decimals = decimalsOf(tokenAccount.mint)
    if (decimals === undefined) return null
    const info: Record<string, Json> = {
      isNative: tokenAccount.isNative,
      mint: tokenAccount.mint,
      owner: tokenAccount.owner,
      state: tokenAccount.state,
      tokenAmount: { ...uiTokenAmount(tokenAccount.amount, decimals) },
    }
    if (tokenAccount.delegate !== null) {
      info.delegate = tokenAccount.delegate
      info.delegatedAmount = { ...uiTokenAmount(tokenAccount.delegatedAmount, decimals) }
    }
    if (tokenAccount.closeAuthority !== null) info.closeAuthority = tokenAccount.closeAuthority
    return { parsed: { info, type: 'account' }, program: 'spl-token', space }
  }
  const mint = unpackMint(account.data)
  if (mint === null) return null
  const info = {
    decimals: mint.decimals,
    freezeAuthority: mint.freezeAuthority,
    isInitialized: mint.isInitialized,
    mintAuthority: mint.mintAuthority,
    supply: mint.supply.toString(),
  }
  return { parsed: { info, type: 'mint' }, program: 'spl-token', space }
}

function isNewer(a: LedgerTransaction, b: LedgerTransaction): boolean {
  return a.slot > b.slot || (a.slot === b.slot && a.transactionIndex > b.transactionIndex)
}

/** How many of `history` (oldest first) come before `cursor`; all of them without one. */
function countOlderThan(
  history: readonly LedgerTransaction[],
  cursor: LedgerTransaction | undefined,
): number {
  if (cursor === undefined) return history.length
  let lo = 0
  let hi = history.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const tx = history[mid]
    if (tx !== undefined && isNewer(cursor, tx)) lo = mid + 1
    else hi = mid
  }
  return lo
}

function requestId(request: unknown): Json {
  if (!isJsonObject(request)) return null
  const id = request.id
  return typeof id === 'string' || typeof id === 'number' ? id : null
}

function errorResponse(id: Json, error: RpcError): Json {
  const body: JsonObject = { code: error.code, message: error.message, data: error.data }
  return { jsonrpc: '2.0', error: body, id }
}

// ---- HTTP -----------------------------------------------------------------------------------------

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(body)
}

async function serve(
  handler: SolanaRpcHandler,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' })
    response.end('ok')
    return
  }
  if (request.method !== 'POST') {
    response.writeHead(405, { allow: 'POST' })
    response.end()
    return
  }
  const text = await readBody(request)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    send(
      response,
      200,
      stringifyJson(errorResponse(null, new RpcError(RPC_ERRORS.parseError, 'Parse error'))),
    )
    return
  }
  const answer = handler.handle(body)
  send(response, 200, answer === undefined ? '' : stringifyJson(answer))
}

/** Starts the server on 127.0.0.1 (a free port unless one is given). */
export async function startSolanaRpcServer(
  ledger: SolanaLedger,
  options: SolanaRpcServerOptions = {},
): Promise<SolanaRpcServer> {
  const handler = new SolanaRpcHandler(ledger, options)
  const server: Server = createServer((request, response) => {
    serve(handler, request, response).catch((error: unknown) => {
      send(response, 500, stringifyJson({ error: String(error) }))
    })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}`,
    port,
    handle: (body) => handler.handle(body),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      }),
  }
}
