import type { Address } from '@solana/kit'

import { createPrng } from '../../devnet/faults/prng.js'
import { SolanaLedger, type LedgerTransaction, type Signer } from '../../devnet/solana/ledger.js'
import {
  burnInstruction,
  mintToInstruction,
  transferCheckedInstruction,
  transferInstruction,
  type DevnetInstruction,
} from '../../devnet/solana/programs.js'
import type { MovementKind } from '../../ingest/chains/movement.js'

/** A token movement the test caused, known from what it sent (never read back from the indexer). */
export interface TruthMovement {
  txId: string
  slot: number
  kind: MovementKind
  token: string
  amount: bigint
  /** Owner wallets (null for a mint / a burn). */
  from: string | null
  to: string | null
  fromTokenAccount: string | null
  toTokenAccount: string | null
  memo: string | null
}

type Leg = Omit<TruthMovement, 'txId' | 'slot' | 'memo'>

interface Op {
  ix: DevnetInstruction
  signer: Signer
  leg: Leg
  /** The accounts the instruction names (what getSignaturesForAddress indexes it under). */
  accounts: string[]
}

const SOL = 1_000_000_000n

/**
 * Drives a SolanaLedger with SPL token activity on two mints and a vault token account, and keeps
 * the truth: every movement of every transaction that names a followed account, the failed ones,
 * the ones a follower must not see, and the block time of every slot it sealed.
 */
export class SolanaActivity {
  readonly ledger: SolanaLedger
  readonly movements: TruthMovement[] = []
  /** Transactions naming a followed account, failed ones included. */
  readonly followedTxs: string[] = []
  readonly failedTxs: string[] = []
  /** Landed transactions that name no followed account: never indexed. */
  readonly unfollowedTxs: string[] = []
  /** Per followed address, how many transactions name it. */
  readonly txsPerAddress = new Map<string, number>()
  /** Slot → unix seconds, for every block sealed. */
  readonly blockTimes = new Map<number, number>()
  readonly skippedSlots: number[] = []
  readonly treasury: Signer
  readonly vaultOwner: Signer
  readonly users: Signer[]
  readonly mintA: Address
  readonly mintB: Address
  /** The vault's token account of mint A. */
  readonly vault: Address
  private readonly decimals = new Map<string, number>()
  private readonly balances = new Map<string, bigint>()
  private readonly rand: () => number
  private time: number
  /** Makes failing transactions unique: the same one twice in a slot would be refused as a duplicate. */
  private nonce = 0
  /** Setup transactions and the accounts they name, counted once all followed addresses are known. */
  private readonly setup: [LedgerTransaction, string[]][] = []

  constructor(seed: number, userCount = 8) {
    this.rand = createPrng(seed)
    this.ledger = new SolanaLedger()
    this.time = this.ledger.currentUnixTimestamp
    this.treasury = this.ledger.signer(`treasury-${seed}`)
    this.vaultOwner = this.ledger.signer(`vault-${seed}`)
    this.users = Array.from({ length: userCount }, (_, i) => this.ledger.signer(`user-${seed}-${i}`))
    for (const s of [this.treasury, this.vaultOwner, ...this.users]) this.ledger.airdrop(s.address, 50n * SOL)
    this.mintA = this.createMint(6)
    this.mintB = this.createMint(9)
    this.vault = this.createAccount(this.vaultOwner, this.mintA)
    for (const user of this.users) {
      this.createAccount(user, this.mintA)
      this.createAccount(user, this.mintB)
    }
    for (const [tx, named] of this.setup) this.noteSetup(tx, named)
    this.seal()
  }

  /** What a source follows: both mints and the vault token account. */
  get followed(): string[] {
    return [this.mintA, this.mintB, this.vault]
  }

  account(owner: Signer, mint: Address): Address {
    return this.ledger.associatedTokenAddress(owner.address, mint)
  }

  /** Seals the open slot at a time the test picks (1-3 s after the last), then skips `skip` slots. */
  seal(skip = 0): number {
    this.time += 1 + Math.floor(this.rand() * 3)
    this.ledger.setUnixTimestamp(this.time)
    const block = this.ledger.advanceSlot({ skip })
    this.blockTimes.set(block.slot, this.time)
    for (let s = block.slot + 1; s <= block.slot + skip; s++) this.skippedSlots.push(s)
    return block.slot
  }

  mintTo(mint: Address, to: Signer, amount: bigint): Op {
    const destination = this.account(to, mint)
    const checked = this.rand() < 0.5
    return {
      ix: mintToInstruction({
        mint,
        destination,
        authority: this.treasury,
        amount,
        decimals: checked ? this.decimals.get(mint) : undefined,
      }),
      signer: this.treasury,
      leg: leg('mint', mint, amount, null, null, to.address, destination),
      accounts: [mint, destination],
    }
  }

  /** transferChecked names the mint; a plain transfer names only the two token accounts. */
  transfer(mint: Address, from: Signer, to: Signer, amount: bigint, checked: boolean): Op {
    const source = this.account(from, mint)
    const destination = this.account(to, mint)
    const ix = checked
      ? transferCheckedInstruction({
          source,
          mint,
          destination,
          authority: from,
          amount,
          decimals: this.decimals.get(mint) ?? 0,
        })
      : transferInstruction({ source, destination, authority: from, amount })
    return {
      ix,
      signer: from,
      leg: leg('transfer', mint, amount, from.address, source, to.address, destination),
      accounts: checked ? [source, mint, destination] : [source, destination],
    }
  }

  burn(mint: Address, from: Signer, amount: bigint): Op {
    const account = this.account(from, mint)
    const checked = this.rand() < 0.5
    return {
      ix: burnInstruction({
        account,
        mint,
        authority: from,
        amount,
        decimals: checked ? this.decimals.get(mint) : undefined,
      }),
      signer: from,
      leg: leg('burn', mint, amount, from.address, account, null, null),
      accounts: [account, mint],
    }
  }

  /** Sends the ops as one transaction (the first op's signer pays); `fail` expects it to fail on chain. */
  send(ops: Op[], options: { memo?: string; fail?: boolean } = {}): LedgerTransaction {
    const payer = ops[0]?.signer
    if (!payer) throw new Error('no op')
    const tx = this.ledger.send(
      ops.map((o) => o.ix),
      payer,
      { ...(options.memo !== undefined ? { memo: options.memo } : {}), allowFailure: options.fail === true },
    )
    const failed = tx.meta.err !== null
    if (failed !== (options.fail === true))
      throw new Error(`tx ${tx.signature}: unexpected outcome ${failed}`)
    if (!failed) for (const op of ops) this.applyBalance(op.leg)
    const named = new Set(ops.flatMap((o) => o.accounts))
    const followed = this.followed.filter((a) => named.has(a))
    for (const address of followed)
      this.txsPerAddress.set(address, (this.txsPerAddress.get(address) ?? 0) + 1)
    if (followed.length === 0) {
      this.unfollowedTxs.push(tx.signature)
      return tx
    }
    this.followedTxs.push(tx.signature)
    if (failed) {
      this.failedTxs.push(tx.signature)
      return tx
    }
    for (const op of ops) {
      this.movements.push({ ...op.leg, txId: tx.signature, slot: tx.slot, memo: options.memo ?? null })
    }
    return tx
  }

  balance(owner: Signer, mint: Address): bigint {
    return this.balances.get(this.account(owner, mint)) ?? 0n
  }

  /**
   * `slots` slots of random activity, `perSlot` transactions each: mints, checked and plain
   * transfers between users and with the vault, burns, two-mint transactions, failures, memos;
   * a skipped slot after about one in four.
   */
  randomSlots(slots: number, perSlot: number): void {
    for (let s = 0; s < slots; s++) {
      for (let t = 0; t < perSlot; t++) this.randomTransaction()
      this.seal(this.rand() < 0.25 ? 1 + Math.floor(this.rand() * 3) : 0)
    }
  }

  private randomTransaction(): void {
    const r = this.rand()
    const user = this.pick(this.users)
    const other = this.pick(this.users.filter((u) => u !== user))
    const memo = this.rand() < 0.3 ? `invoice-${Math.floor(this.rand() * 1e6)}` : undefined
    const amountOf = (mint: Address) => {
      const balance = this.balance(user, mint)
      return balance > 1n ? 1n + BigInt(Math.floor(this.rand() * Number(balance / 4n))) : 0n
    }
    const a = amountOf(this.mintA)
    if (r < 0.15 || a === 0n) {
      const mint = this.rand() < 0.7 ? this.mintA : this.mintB
      this.send([this.mintTo(mint, user, BigInt(1_000_000 + Math.floor(this.rand() * 9e6)))], { memo })
    } else if (r < 0.4) {
      this.send([this.transfer(this.mintA, user, other, a, true)], { memo })
    } else if (r < 0.5) {
      this.send([this.transfer(this.mintA, user, this.vaultOwner, a, this.rand() < 0.5)], { memo })
    } else if (r < 0.58) {
      const fromVault = this.balance(this.vaultOwner, this.mintA) / 3n
      if (fromVault > 0n)
        this.send([this.transfer(this.mintA, this.vaultOwner, user, fromVault, false)], { memo })
      else this.send([this.transfer(this.mintA, user, other, a, true)], { memo })
    } else if (r < 0.68) {
      // a plain transfer between two users names neither mint nor vault: a follower never sees it
      this.send([this.transfer(this.mintA, user, other, a, false)], { memo })
    } else if (r < 0.76) {
      this.send([this.burn(this.mintA, user, a)], { memo })
    } else if (r < 0.88) {
      const b = amountOf(this.mintB)
      const ops = [this.transfer(this.mintA, user, other, a, true)]
      if (b > 0n) ops.push(this.transfer(this.mintB, user, other, b, true), this.burn(this.mintB, user, 1n))
      this.send(ops, { memo })
    } else if (r < 0.94) {
      const over = this.balance(user, this.mintA) + BigInt(++this.nonce)
      this.send([this.transfer(this.mintA, user, other, over, true)], {
        memo,
        fail: true,
      })
    } else {
      const b = this.balance(user, this.mintB)
      const mint = b > 0n ? this.mintB : this.mintA
      this.send([this.burn(mint, user, this.balance(user, mint) + BigInt(++this.nonce))], { fail: true })
    }
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.rand() * items.length)]
    if (item === undefined) throw new Error('nothing to pick')
    return item
  }

  private createMint(decimals: number): Address {
    const { mint, transaction } = this.ledger.createMint({
      payer: this.treasury,
      decimals,
      mintAuthority: this.treasury.address,
    })
    this.decimals.set(mint, decimals)
    this.setup.push([transaction, [mint]])
    return mint
  }

  private createAccount(owner: Signer, mint: Address): Address {
    const { address, transaction } = this.ledger.createAssociatedTokenAccount({
      payer: this.treasury,
      owner: owner.address,
      mint,
    })
    this.setup.push([transaction, [mint, address]])
    return address
  }

  /** Setup transactions name followed accounts but move no token. */
  private noteSetup(tx: LedgerTransaction, named: string[]): void {
    const followed = this.followed.filter((a) => named.includes(a))
    for (const address of followed)
      this.txsPerAddress.set(address, (this.txsPerAddress.get(address) ?? 0) + 1)
    if (followed.length > 0) this.followedTxs.push(tx.signature)
  }

  private applyBalance(l: Leg): void {
    if (l.fromTokenAccount)
      this.balances.set(l.fromTokenAccount, (this.balances.get(l.fromTokenAccount) ?? 0n) - l.amount)
    if (l.toTokenAccount)
      this.balances.set(l.toTokenAccount, (this.balances.get(l.toTokenAccount) ?? 0n) + l.amount)
  }
}

function leg(
  kind: MovementKind,
  token: string,
  amount: bigint,
  from: string | null,
  fromTokenAccount: string | null,
  to: string | null,
  toTokenAccount: string | null,
): Leg {
  return { kind, token, amount, from, to, fromTokenAccount, toTokenAccount }
}

/** The truth in a comparable form: one line per movement. */
export function truthLine(m: TruthMovement): string {
  return [
    m.slot,
    m.txId,
    m.kind,
    m.token,
    m.amount,
    m.from,
    m.fromTokenAccount,
    m.to,
    m.toTokenAccount,
    m.memo,
  ].join(' ')
}

export interface KindTotals {
  count: number
  sum: bigint
}

/** Count and sum per `token kind`. */
export function totalsByTokenAndKind(
  rows: readonly { token: string; kind: string; amount: bigint }[],
): Map<string, KindTotals> {
  const totals = new Map<string, KindTotals>()
  for (const row of rows) {
    const key = `${row.token} ${row.kind}`
    const t = totals.get(key) ?? { count: 0, sum: 0n }
    totals.set(key, { count: t.count + 1, sum: t.sum + row.amount })
  }
  return totals
}
