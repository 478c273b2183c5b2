// A local Solana ledger: litesvm executes real signed transactions (SPL Token, ATA, memo, system),
// and this class groups them into slots/blocks and records what mainnet's transaction status meta
// would hold for each, so the RPC server can serve them in the real wire format.
//
// litesvm's raw binding (litesvm/dist/internal.js) is used rather than its @solana/kit wrapper: the
// wrapper converts every address through kit's base58 codec, which cost ~80% of the time per transaction.
import {
  Account,
  FailedTransactionMetadata,
  InstructionErrorBorshIo,
  InstructionErrorCustom,
  LiteSvm,
  TransactionErrorDuplicateInstruction,
  TransactionErrorInstructionError,
  TransactionErrorInsufficientFundsForRent,
  TransactionErrorProgramExecutionTemporarilyRestricted,
  type TransactionMetadata,
} from 'litesvm/dist/internal.js'
import type { Address } from '@solana/kit'
import { addressFromBytes, addressToBytes } from './base58.js'
import type { Json } from './json.js'
import {
  BPF_LOADER_UPGRADEABLE,
  MINT_SIZE,
  SYSTEM_PROGRAM,
  TOKEN_PROGRAM,
  burnInstruction,
  computeUnitLimitInstruction,
  computeUnitPriceInstruction,
  createAccountInstruction,
  createAssociatedTokenAccountInstruction,
  findAssociatedTokenAddress,
  initializeMint2Instruction,
  memoInstruction,
  mintToInstruction,
  systemTransferInstruction,
  transferCheckedInstruction,
  transferInstruction,
  type DevnetInstruction,
} from './programs.js'
import { randomSigner, signerFromSeed, type Signer } from './signer.js'
import {
  isTokenProgram,
  storedUiTokenAmount,
  unpackMint,
  unpackTokenAccount,
  type MintState,
  type TokenAccountState,
  type UiTokenAmount,
} from './token-state.js'
import {
  compileMessage,
  signTransaction,
  signersOf,
  type CompiledInstruction,
  type CompiledMessage,
  type MessageHeader,
  type SignedTransaction,
  type TxVersion,
} from './wire.js'

export type { CompiledInstruction, CompiledMessage, MessageHeader, Signer, TxVersion }

export interface InnerInstruction extends CompiledInstruction {
  stackHeight: number
}

export interface TokenBalance {
  accountIndex: number
  mint: Address
  owner: Address
  programId: Address
  uiTokenAmount: UiTokenAmount
}

export interface TransactionStatusMeta {
  /** Solana's TransactionError in its JSON form, e.g. `{ InstructionError: [0, { Custom: 1 }] }`. */
  err: Json
  fee: bigint
  preBalances: bigint[]
  postBalances: bigint[]
  preTokenBalances: TokenBalance[]
  postTokenBalances: TokenBalance[]
  logMessages: string[]
  innerInstructions: { index: number; instructions: InnerInstruction[] }[]
  computeUnitsConsumed: bigint
  /** Estimated with agave's cost model (signatures, write locks, data bytes, CUs, loaded bytes). */
  costUnits: bigint
  returnData: { programId: Address; data: Uint8Array } | null
}

export interface LedgerTransaction {
  slot: number
  /** Position in its block. */
  transactionIndex: number
  /** The block's time; final once the slot is sealed. */
  blockTime: number
  signature: string
  signatures: string[]
  version: TxVersion
  /** The signed transaction as sent on the wire. */
  wireTransaction: Uint8Array
  message: CompiledMessage
  meta: TransactionStatusMeta
}

export interface LedgerBlock {
  slot: number
  parentSlot: number
  blockHeight: number
  blockTime: number
  blockhash: string
  previousBlockhash: string
  transactions: LedgerTransaction[]
}

export interface AccountSnapshot {
  address: Address
  lamports: bigint
  data: Uint8Array
  owner: Address
  executable: boolean
}

export interface LedgerOptions {
  /** Unix time of the genesis block (slot 0). Default 2026-01-01T00:00:00Z. */
  genesisUnixTimestamp?: number
  /** Simulated slot duration, used for block times the caller does not set. Default 400. */
  msPerSlot?: number
  /** First slot open for transactions (slots between genesis and it are skipped). Default 1. */
  firstSlot?: number
  /** Lamports the faucet starts with (a genesis allocation). Default 500M SOL. */
  faucetLamports?: bigint
  /** How many slots of account history to keep for reads at older commitments. Default 10 000. */
  accountHistorySlots?: number
}

export interface TxOptions {
  /** Pays the fee; defaults to the operation's payer/authority. */
  feePayer?: Signer
  /** Appends an SPL Memo (v3) instruction. */
  memo?: string
  /** Prepends ComputeBudget SetComputeUnitLimit, as wallets do. */
  computeUnitLimit?: number
  /** Prepends ComputeBudget SetComputeUnitPrice (micro-lamports per CU): a priority fee. */
  computeUnitPrice?: bigint
  version?: TxVersion
  /** Return a failed-but-included transaction instead of throwing TransactionFailedError. */
  allowFailure?: boolean
}

/** The transaction failed on chain (fee charged, included in the block). */
export class TransactionFailedError extends Error {
  constructor(readonly transaction: LedgerTransaction) {
    super(`transaction ${transaction.signature} failed: ${JSON.stringify(transaction.meta.err)}`)
  }
}

/** The runtime refused the transaction before charging a fee; mainnet would not include it in a block. */
export class TransactionRejectedError extends Error {
  constructor(
    readonly err: Json,
    readonly logMessages: string[],
  ) {
    super(`transaction rejected: ${JSON.stringify(err)}`)
  }
}

const GENESIS_UNIX_TIMESTAMP = 1_767_225_600
const LAMPORTS_PER_SOL = 1_000_000_000n
// agave counts a fixed overhead per loaded account towards the loaded-data cost.
const LOADED_ACCOUNT_BASE = 64

// Names of litesvm's fieldless enum values, in declaration order (they mirror agave's variants).
const TRANSACTION_ERRORS = [
  'AccountInUse',
  'AccountLoadedTwice',
  'AccountNotFound',
  'ProgramAccountNotFound',
  'InsufficientFundsForFee',
  'InvalidAccountForFee',
  'AlreadyProcessed',
  'BlockhashNotFound',
  'CallChainTooDeep',
  'MissingSignatureForFee',
  'InvalidAccountIndex',
  'SignatureFailure',
  'InvalidProgramForExecution',
  'SanitizeFailure',
  'ClusterMaintenance',
  'AccountBorrowOutstanding',
  'WouldExceedMaxBlockCostLimit',
  'UnsupportedVersion',
  'InvalidWritableAccount',
  'WouldExceedMaxAccountCostLimit',
  'WouldExceedAccountDataBlockLimit',
  'TooManyAccountLocks',
  'AddressLookupTableNotFound',
  'InvalidAddressLookupTableOwner',
  'InvalidAddressLookupTableData',
  'InvalidAddressLookupTableIndex',
  'InvalidRentPayingAccount',
  'WouldExceedMaxVoteCostLimit',
  'WouldExceedAccountDataTotalLimit',
  'MaxLoadedAccountsDataSizeExceeded',
  'ResanitizationNeeded',
  'InvalidLoadedAccountsDataSizeLimit',
  'UnbalancedTransaction',
  'ProgramCacheHitMaxLimit',
  'CommitCancelled',
] as const

const INSTRUCTION_ERRORS = [
  'GenericError',
  'InvalidArgument',
  'InvalidInstructionData',
  'InvalidAccountData',
  'AccountDataTooSmall',
  'InsufficientFunds',
  'IncorrectProgramId',
  'MissingRequiredSignature',
  'AccountAlreadyInitialized',
  'UninitializedAccount',
  'UnbalancedInstruction',
  'ModifiedProgramId',
  'ExternalAccountLamportSpend',
  'ExternalAccountDataModified',
  'ReadonlyLamportChange',
  'ReadonlyDataModified',
  'DuplicateAccountIndex',
  'ExecutableModified',
  'RentEpochModified',
  'NotEnoughAccountKeys',
  'AccountDataSizeChanged',
  'AccountNotExecutable',
  'AccountBorrowFailed',
  'AccountBorrowOutstanding',
  'DuplicateAccountOutOfSync',
  'InvalidError',
  'ExecutableDataModified',
  'ExecutableLamportChange',
  'ExecutableAccountNotRentExempt',
  'UnsupportedProgramId',
  'CallDepth',
  'MissingAccount',
  'ReentrancyNotAllowed',
  'MaxSeedLengthExceeded',
  'InvalidSeeds',
  'InvalidRealloc',
  'ComputationalBudgetExceeded',
  'PrivilegeEscalation',
  'ProgramEnvironmentSetupFailure',
  'ProgramFailedToComplete',
  'ProgramFailedToCompile',
  'Immutable',
  'IncorrectAuthority',
  'AccountNotRentExempt',
  'InvalidAccountOwner',
  'ArithmeticOverflow',
  'UnsupportedSysvar',
  'IllegalOwner',
  'MaxAccountsDataAllocationsExceeded',
  'MaxAccountsExceeded',
  'MaxInstructionTraceLengthExceeded',
  'BuiltinProgramsMustConsumeComputeUnits',
  'BorshIoError',
] as const

type LiteSvmError = ReturnType<FailedTransactionMetadata['err']>
type LiteSvmInstructionError = ReturnType<TransactionErrorInstructionError['err']>

function instructionErrorJson(err: LiteSvmInstructionError): Json {
  if (err instanceof InstructionErrorCustom) return { Custom: err.code }
  if (err instanceof InstructionErrorBorshIo) return { BorshIoError: err.msg }
  return INSTRUCTION_ERRORS[err] ?? `InstructionError${String(err)}`
}

/** litesvm's error objects in Solana's TransactionError JSON form. */
export function transactionErrorJson(err: LiteSvmError): Json {
  if (err instanceof TransactionErrorInstructionError) {
    return { InstructionError: [err.index, instructionErrorJson(err.err())] }
  }
  if (err instanceof TransactionErrorDuplicateInstruction) return { DuplicateInstruction: err.index }
  if (err instanceof TransactionErrorInsufficientFundsForRent) {
    return { InsufficientFundsForRent: { account_index: err.accountIndex } }
  }
  if (err instanceof TransactionErrorProgramExecutionTemporarilyRestricted) {
    return { ProgramExecutionTemporarilyRestricted: { account_index: err.accountIndex } }
  }
  return TRANSACTION_ERRORS[err] ?? `TransactionError${String(err)}`
}

interface AccountHistoryEntry {
  slot: number
  account: AccountSnapshot | null
}

/** What a transaction needs of an account: programs' code is not copied, only its size is cached. */
interface LoadedAccount {
  lamports: bigint
  owner: Address
  executable: boolean
  data: Uint8Array | null
  loadedBytes: number
}

/**
 * Everything is synchronous. A long synchronous loop should yield to the event loop now and then
 * (`await new Promise(setImmediate)`): litesvm's native objects are freed by finalizers that only run
 * between turns, and without that memory grows by ~20 KB per transaction.
 */
export class SolanaLedger {
  readonly genesisHash: string
  readonly genesisUnixTimestamp: number
  readonly msPerSlot: number
  /** Holds the genesis allocation; airdrops are real transfers from it. */
  readonly faucet: Signer

  private readonly svm = new LiteSvm()
  private readonly blocks = new Map<number, LedgerBlock>()
  private readonly blockSlots: number[] = []
  private readonly bySignature = new Map<string, LedgerTransaction>()
  private readonly byAddress = new Map<Address, LedgerTransaction[]>()
  private readonly accountHistory = new Map<Address, AccountHistoryEntry[]>()
  private readonly decimalsByMint = new Map<Address, number>()
  private readonly programSize = new Map<Address, number>()
  private readonly owners: [Uint8Array, Address][] = []
  private readonly associatedAccounts = new Map<string, Address>()
  // Log lines and decoded addresses repeat across transactions; one copy of each keeps records small.
  private readonly interned = new Map<string, string>()
  private readonly accountHistorySlots: number
  private openSlot: number
  private openTime: number
  private openTransactions: LedgerTransaction[] = []

  constructor(options: LedgerOptions = {}) {
    this.genesisUnixTimestamp = options.genesisUnixTimestamp ?? GENESIS_UNIX_TIMESTAMP
    this.msPerSlot = options.msPerSlot ?? 400
    this.accountHistorySlots = options.accountHistorySlots ?? 10_000
    this.genesisHash = this.svm.latestBlockhash()
    this.faucet = signerFromSeed('faucet')
    const faucetLamports = options.faucetLamports ?? 500_000_000n * LAMPORTS_PER_SOL
    this.svm.setAccount(
      addressToBytes(this.faucet.address),
      new Account(faucetLamports, new Uint8Array(), addressToBytes(SYSTEM_PROGRAM), false, 0n),
    )
    const genesis: LedgerBlock = {
      slot: 0,
      parentSlot: 0,
      blockHeight: 0,
      blockTime: this.genesisUnixTimestamp,
      blockhash: this.genesisHash,
      previousBlockhash: SYSTEM_PROGRAM,
      transactions: [],
    }
    this.blocks.set(0, genesis)
    this.blockSlots.push(0)
    this.openSlot = Math.max(1, options.firstSlot ?? 1)
    this.openTime = this.defaultTimeForSlot(this.openSlot)
    this.applyClock()
  }

  // ---- slots and time -------------------------------------------------------------------------

  /** The slot open for transactions (mainnet's `processed` tip). */
  get currentSlot(): number {
    return this.openSlot
  }

  get currentUnixTimestamp(): number {
    return this.openTime
  }

  /** The newest sealed block (mainnet's `confirmed` tip). */
  get latestBlock(): LedgerBlock {
    return this.blockAt(this.blockSlots[this.blockSlots.length - 1] ?? 0)
  }

  /** The blockhash transactions in the open slot reference: the latest block's. */
  get latestBlockhash(): string {
    return this.svm.latestBlockhash()
  }

  /** Transactions executed in the open slot, not yet in a block. */
  get pendingTransactions(): readonly LedgerTransaction[] {
    return this.openTransactions
  }

  /** Sets the open slot's block time (unix seconds); block times never go backwards. */
  setUnixTimestamp(unixTimestamp: number): void {
    const floor = this.latestBlock.blockTime
    if (unixTimestamp < floor)
      throw new Error(`block time ${unixTimestamp} is before the previous block's ${floor}`)
    this.openTime = Math.floor(unixTimestamp)
    for (const tx of this.openTransactions) tx.blockTime = this.openTime
    this.applyClock()
  }

  /**
   * Seals the open slot as a block and opens the next one; `skip` slots in between get no block.
   * Block time defaults to genesis time + slot × msPerSlot.
   */
  advanceSlot(options: { skip?: number; unixTimestamp?: number } = {}): LedgerBlock {
    return this.warpToSlot(this.openSlot + 1 + (options.skip ?? 0), options)
  }

  /** Seals the open slot as a block and opens `slot`; the slots in between are skipped (no block). */
  warpToSlot(slot: number, options: { unixTimestamp?: number } = {}): LedgerBlock {
    if (!Number.isSafeInteger(slot) || slot <= this.openSlot) {
      throw new Error(`cannot warp from slot ${this.openSlot} to ${slot}`)
    }
    const sealed = this.seal()
    this.openSlot = slot
    this.openTime = Math.floor(
      Math.max(options.unixTimestamp ?? this.defaultTimeForSlot(slot), sealed.blockTime),
    )
    this.applyClock()
    return sealed
  }

  /** Warps to the slot the simulated clock reaches at `unixTimestamp`, with exactly that block time. */
  warpToTime(unixTimestamp: number): LedgerBlock {
    const elapsedMs = (unixTimestamp - this.genesisUnixTimestamp) * 1000
    const slot = Math.max(this.openSlot + 1, Math.floor(elapsedMs / this.msPerSlot))
    return this.warpToSlot(slot, { unixTimestamp })
  }

  private defaultTimeForSlot(slot: number): number {
    const byClock = this.genesisUnixTimestamp + Math.floor((slot * this.msPerSlot) / 1000)
    return Math.max(byClock, this.latestBlock.blockTime)
  }

  private applyClock(): void {
    const clock = this.svm.getClock()
    clock.slot = BigInt(this.openSlot)
    clock.unixTimestamp = BigInt(this.openTime)
    this.svm.setClock(clock)
  }

  private seal(): LedgerBlock {
    const parent = this.latestBlock
    this.svm.expireBlockhash()
    const block: LedgerBlock = {
      slot: this.openSlot,
      parentSlot: parent.slot,
      blockHeight: parent.blockHeight + 1,
      blockTime: this.openTime,
      blockhash: this.svm.latestBlockhash(),
      previousBlockhash: parent.blockhash,
      transactions: this.openTransactions,
    }
    for (const tx of block.transactions) tx.blockTime = block.blockTime
    this.blocks.set(block.slot, block)
    this.blockSlots.push(block.slot)
    this.openTransactions = []
    return block
  }

  // ---- reading blocks and transactions ----------------------------------------------------------

  getBlock(slot: number): LedgerBlock | undefined {
    return this.blocks.get(slot)
  }

  private blockAt(slot: number): LedgerBlock {
    const block = this.blocks.get(slot)
    if (block === undefined) throw new Error(`no block at slot ${slot}`)
    return block
  }

  /** A slot before the open one that has no block. */
  isSkipped(slot: number): boolean {
    return slot >= 0 && slot < this.openSlot && !this.blocks.has(slot)
  }

  /** The newest block at or below `slot`. */
  blockAtOrBelow(slot: number): LedgerBlock | undefined {
    const index = this.lastIndexAtOrBelow(slot)
    return index < 0 ? undefined : this.blocks.get(this.blockSlots[index] ?? -1)
  }

  /** Slots of sealed blocks in [from, to], ascending. */
  blockSlotsInRange(from: number, to: number): number[] {
    const out: number[] = []
    for (let i = this.lastIndexAtOrBelow(to); i >= 0; i--) {
      const slot = this.blockSlots[i]
      if (slot === undefined || slot < from) break
      out.push(slot)
    }
    return out.reverse()
  }

  private lastIndexAtOrBelow(slot: number): number {
    let lo = 0
    let hi = this.blockSlots.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if ((this.blockSlots[mid] ?? Infinity) <= slot) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }

  /** A recorded transaction, sealed or still in the open slot. */
  getTransaction(signature: string): LedgerTransaction | undefined {
    return this.bySignature.get(signature)
  }

  /** Every recorded transaction that lists `address` among its account keys, oldest first. */
  transactionsForAddress(address: Address): readonly LedgerTransaction[] {
    return this.byAddress.get(address) ?? []
  }

  get transactionCount(): number {
    return this.bySignature.size
  }

  // ---- accounts ---------------------------------------------------------------------------------

  /** A deterministic signer: the same seed always gives the same keypair. */
  signer(seed: string): Signer {
    return signerFromSeed(seed)
  }

  randomSigner(): Signer {
    return randomSigner()
  }

  associatedTokenAddress(owner: Address, mint: Address): Address {
    const key = `${owner}:${mint}`
    let ata = this.associatedAccounts.get(key)
    if (ata === undefined) {
      ata = findAssociatedTokenAddress(owner, mint)
      this.associatedAccounts.set(key, ata)
    }
    return ata
  }

  /** Account owners are a handful of programs: compare bytes with the ones seen before decoding. */
  private ownerOf(account: Account): Address {
    const bytes = account.owner()
    for (const [known, owner] of this.owners) if (sameBytes(known, bytes)) return owner
    const owner = addressFromBytes(bytes)
    this.owners.push([bytes, owner])
    return owner
  }

  /** The account as of now (the open slot). */
  getAccount(address: Address): AccountSnapshot | null {
    const account = this.svm.getAccount(addressToBytes(address))
    if (account === null) return null
    return {
      address,
      lamports: account.lamports(),
      data: account.data(),
      owner: this.ownerOf(account),
      executable: account.executable(),
    }
  }

  /** The account as it was at the end of `slot` (history is kept for `accountHistorySlots` slots). */
  getAccountAt(address: Address, slot: number): AccountSnapshot | null {
    const history = this.accountHistory.get(address)
    if (history === undefined) return this.getAccount(address)
    for (let i = history.length - 1; i >= 0; i--) {
      const entry = history[i]
      if (entry !== undefined && entry.slot <= slot) return entry.account
    }
    return history[0]?.account ?? null
  }

  getBalance(address: Address): bigint {
    return this.svm.getAccount(addressToBytes(address))?.lamports() ?? 0n
  }

  getTokenAccount(address: Address): TokenAccountState | null {
    const account = this.getAccount(address)
    return account !== null && isTokenProgram(account.owner) ? unpackTokenAccount(account.data) : null
  }

  getMint(address: Address): MintState | null {
    const account = this.getAccount(address)
    return account !== null && isTokenProgram(account.owner) ? unpackMint(account.data) : null
  }

  minimumBalanceForRentExemption(dataLength: number): bigint {
    return this.svm.minimumBalanceForRentExemption(BigInt(dataLength))
  }

  private mintDecimals(mint: Address): number | undefined {
    const cached = this.decimalsByMint.get(mint)
    if (cached !== undefined) return cached
    const decimals = this.getMint(mint)?.decimals
    if (decimals !== undefined) this.decimalsByMint.set(mint, decimals)
    return decimals
  }

  private requireDecimals(mint: Address): number {
    const decimals = this.mintDecimals(mint)
    if (decimals === undefined) throw new Error(`${mint} is not a token mint`)
    return decimals
  }

  // ---- transactions -----------------------------------------------------------------------------

  /** A real system transfer from the faucet, as devnet's requestAirdrop makes. */
  airdrop(to: Address, lamports: bigint, options: TxOptions = {}): LedgerTransaction {
    return this.send(
      [systemTransferInstruction({ source: this.faucet, destination: to, lamports })],
      this.faucet,
      options,
    )
  }

  transferSol(
    input: { from: Signer; to: Address; lamports: bigint },
    options: TxOptions = {},
  ): LedgerTransaction {
    const ix = systemTransferInstruction({
      source: input.from,
      destination: input.to,
      lamports: input.lamports,
    })
    return this.send([ix], input.from, options)
  }

  /** Creates and initializes a mint: system CreateAccount + InitializeMint2. */
  createMint(
    input: {
      payer: Signer
      decimals: number
      mintAuthority: Address
      freezeAuthority?: Address
      mint?: Signer
    },
    options: TxOptions = {},
  ): { mint: Address; transaction: LedgerTransaction } {
    const mint = input.mint ?? randomSigner()
    const instructions = [
      createAccountInstruction({
        payer: input.payer,
        newAccount: mint,
        lamports: this.minimumBalanceForRentExemption(MINT_SIZE),
        space: MINT_SIZE,
        owner: TOKEN_PROGRAM,
      }),
      initializeMint2Instruction({
        mint: mint.address,
        decimals: input.decimals,
        mintAuthority: input.mintAuthority,
        freezeAuthority: input.freezeAuthority,
      }),
    ]
    return { mint: mint.address, transaction: this.send(instructions, input.payer, options) }
  }

  /** Creates `owner`'s associated token account for `mint` through the Associated Token Account program. */
  createAssociatedTokenAccount(
    input: { payer: Signer; owner: Address; mint: Address; idempotent?: boolean },
    options: TxOptions = {},
  ): { address: Address; transaction: LedgerTransaction } {
    const associatedAccount = this.associatedTokenAddress(input.owner, input.mint)
    const ix = createAssociatedTokenAccountInstruction({ ...input, associatedAccount })
    return { address: associatedAccount, transaction: this.send([ix], input.payer, options) }
  }

  /** MintTo, or MintToChecked when `checked` is set. */
  mintTo(
    input: { mint: Address; destination: Address; authority: Signer; amount: bigint; checked?: boolean },
    options: TxOptions = {},
  ): LedgerTransaction {
    const decimals = input.checked === true ? this.requireDecimals(input.mint) : undefined
    return this.send([mintToInstruction({ ...input, decimals })], input.authority, options)
  }

  transfer(
    input: { source: Address; destination: Address; authority: Signer; amount: bigint },
    options: TxOptions = {},
  ): LedgerTransaction {
    return this.send([transferInstruction(input)], input.authority, options)
  }

  /** TransferChecked; `decimals` defaults to the mint's (a wrong value makes the program reject it). */
  transferChecked(
    input: {
      source: Address
      mint: Address
      destination: Address
      authority: Signer
      amount: bigint
      decimals?: number
    },
    options: TxOptions = {},
  ): LedgerTransaction {
    const decimals = input.decimals ?? this.requireDecimals(input.mint)
    return this.send([transferCheckedInstruction({ ...input, decimals })], input.authority, options)
  }

  burn(
    input: { account: Address; mint: Address; authority: Signer; amount: bigint },
    options: TxOptions = {},
  ): LedgerTransaction {
    return this.send([burnInstruction(input)], input.authority, options)
  }

  burnChecked(
    input: { account: Address; mint: Address; authority: Signer; amount: bigint; decimals?: number },
    options: TxOptions = {},
  ): LedgerTransaction {
    const decimals = input.decimals ?? this.requireDecimals(input.mint)
    return this.send([burnInstruction({ ...input, decimals })], input.authority, options)
  }

  /** Compiles, signs (with the signers named in the account metas) and executes any instructions. */
  send(
    instructions: readonly DevnetInstruction[],
    payer: Signer,
    options: TxOptions = {},
  ): LedgerTransaction {
    const all = [
      ...(options.computeUnitLimit === undefined
        ? []
        : [computeUnitLimitInstruction(options.computeUnitLimit)]),
      ...(options.computeUnitPrice === undefined
        ? []
        : [computeUnitPriceInstruction(options.computeUnitPrice)]),
      ...instructions,
      ...(options.memo === undefined ? [] : [memoInstruction(options.memo)]),
    ]
    const feePayer = options.feePayer ?? payer
    const message = compileMessage(all, feePayer, this.svm.latestBlockhash(), options.version ?? 'legacy')
    const tx = this.execute(signTransaction(message, signersOf(all, feePayer)))
    if (tx.meta.err !== null && options.allowFailure !== true) throw new TransactionFailedError(tx)
    return tx
  }

  /** Executes a signed transaction in the open slot and records it. */
  execute(signed: SignedTransaction): LedgerTransaction {
    const { message } = signed
    const keys = message.accountKeys
    const pre = keys.map((key) => this.loadAccount(key))
    const result =
      message.version === 'legacy'
        ? this.svm.sendLegacyTransaction(signed.wireBytes)
        : this.svm.sendVersionedTransaction(signed.wireBytes)
    const post = keys.map((key) => this.loadAccount(key))
    const failed = result instanceof FailedTransactionMetadata
    const meta: TransactionMetadata = failed ? result.meta() : result
    const err = failed ? transactionErrorJson(result.err()) : null
    const fee = sumLamports(pre) - sumLamports(post)
    // A failure that charged no fee never reached a block (bad blockhash, duplicate, no funds for the fee).
    if (failed && fee === 0n) throw new TransactionRejectedError(err, meta.logs())

    const computeUnitsConsumed = meta.computeUnitsConsumed()
    const returnData = meta.returnData()
    const returned = returnData.data()
    const tx: LedgerTransaction = {
      slot: this.openSlot,
      transactionIndex: this.openTransactions.length,
      blockTime: this.openTime,
      signature: signed.signatures[0] ?? '',
      signatures: signed.signatures,
      version: message.version,
      wireTransaction: signed.wireBytes,
      message,
      meta: {
        err,
        fee,
        preBalances: pre.map((a) => a?.lamports ?? 0n),
        postBalances: post.map((a) => a?.lamports ?? 0n),
        preTokenBalances: this.tokenBalances(pre),
        postTokenBalances: this.tokenBalances(post),
        logMessages: meta.logs().map((line) => this.intern(line)),
        innerInstructions: innerInstructions(meta),
        computeUnitsConsumed,
        costUnits: costUnits(message, pre, computeUnitsConsumed),
        returnData:
          returned.length > 0
            ? { programId: addressFromBytes(returnData.programId()), data: returned }
            : null,
      },
    }
    this.record(tx, pre, post)
    return tx
  }

  private intern<T extends string>(text: T): T {
    const known = this.interned.get(text)
    if (known !== undefined) return known as T
    this.interned.set(text, text)
    return text
  }

  private loadAccount(address: Address): LoadedAccount | null {
    const account = this.svm.getAccount(addressToBytes(address))
    if (account === null) return null
    const lamports = account.lamports()
    const owner = this.ownerOf(account)
    if (account.executable()) {
      return {
        lamports,
        owner,
        executable: true,
        data: null,
        loadedBytes: this.programLoadedBytes(address, account),
      }
    }
    const data = account.data()
    return { lamports, owner, executable: false, data, loadedBytes: data.length }
  }

  /** A program's code size, with its programdata account for upgradeable programs. */
  private programLoadedBytes(address: Address, account: Account): number {
    const cached = this.programSize.get(address)
    if (cached !== undefined) return cached
    const data = account.data()
    let size = data.length
    if (this.ownerOf(account) === BPF_LOADER_UPGRADEABLE && data.length >= 36) {
      size += this.svm.getAccount(data.subarray(4, 36))?.data().length ?? 0
    }
    this.programSize.set(address, size)
    return size
  }

  private record(tx: LedgerTransaction, pre: (LoadedAccount | null)[], post: (LoadedAccount | null)[]): void {
    this.openTransactions.push(tx)
    this.bySignature.set(tx.signature, tx)
    const { header, accountKeys } = tx.message
    accountKeys.forEach((key, index) => {
      const list = this.byAddress.get(key)
      if (list === undefined) this.byAddress.set(key, [tx])
      else list.push(tx)
      if (isWritable(header, accountKeys.length, index)) {
        this.recordAccount(key, snapshot(key, pre[index] ?? null), snapshot(key, post[index] ?? null))
      }
    })
  }

  private recordAccount(
    address: Address,
    before: AccountSnapshot | null,
    after: AccountSnapshot | null,
  ): void {
    let history = this.accountHistory.get(address)
    if (history === undefined) {
      history = [{ slot: -1, account: before }]
      this.accountHistory.set(address, history)
    }
    const last = history[history.length - 1]
    if (last !== undefined && last.slot === this.openSlot) last.account = after
    else history.push({ slot: this.openSlot, account: after })
    const horizon = this.openSlot - this.accountHistorySlots
    while (history.length > 1 && (history[1]?.slot ?? Infinity) <= horizon) history.shift()
  }

  private tokenBalances(accounts: (LoadedAccount | null)[]): TokenBalance[] {
    const out: TokenBalance[] = []
    accounts.forEach((account, accountIndex) => {
      if (account === null || account.data === null || !isTokenProgram(account.owner)) return
      const state = unpackTokenAccount(account.data)
      if (state === null) return
      const decimals = this.mintDecimals(state.mint)
      if (decimals === undefined) return
      out.push({
        accountIndex,
        mint: this.intern(state.mint),
        owner: this.intern(state.owner),
        programId: account.owner,
        uiTokenAmount: storedUiTokenAmount(state.amount, decimals),
      })
    })
    return out
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false
  return true
}

function snapshot(address: Address, account: LoadedAccount | null): AccountSnapshot | null {
  if (account === null || account.data === null) return null
  return { address, lamports: account.lamports, data: account.data, owner: account.owner, executable: false }
}

function sumLamports(accounts: (LoadedAccount | null)[]): bigint {
  return accounts.reduce((sum, account) => sum + (account?.lamports ?? 0n), 0n)
}

/**
 * agave's cost model for an executed transaction: 720 per signature, 300 per write lock,
 * instruction data bytes / 4, the CUs consumed, and 8 per 32 KiB of loaded account data.
 */
function costUnits(message: CompiledMessage, accounts: (LoadedAccount | null)[], consumed: bigint): bigint {
  const keyCount = message.accountKeys.length
  let writable = 0
  for (let i = 0; i < keyCount; i++) if (isWritable(message.header, keyCount, i)) writable++
  const dataBytes = message.instructions.reduce((n, ix) => n + ix.data.length, 0)
  const loadedBytes = accounts.reduce((n, a) => n + (a === null ? 0 : LOADED_ACCOUNT_BASE + a.loadedBytes), 0)
  const signatureCost = 720 * message.header.numRequiredSignatures
  const loadedCost = 8 * Math.ceil(loadedBytes / (32 * 1024))
  return BigInt(signatureCost + 300 * writable + Math.floor(dataBytes / 4) + loadedCost) + consumed
}

function innerInstructions(meta: TransactionMetadata): TransactionStatusMeta['innerInstructions'] {
  const out: TransactionStatusMeta['innerInstructions'] = []
  meta.innerInstructions().forEach((list, index) => {
    if (list.length === 0) return
    out.push({
      index,
      instructions: list.map((inner) => {
        const ix = inner.instruction()
        return {
          programIdIndex: ix.programIdIndex(),
          accounts: [...ix.accounts()],
          data: ix.data(),
          stackHeight: inner.stackHeight(),
        }
      }),
    })
  })
  return out
}

/** Whether the message header marks account `index` writable. */
export function isWritable(header: MessageHeader, keyCount: number, index: number): boolean {
  if (index < header.numRequiredSignatures)
    return index < header.numRequiredSignatures - header.numReadonlySignedAccounts
  return index < keyCount - header.numReadonlyUnsignedAccounts
}
