/** The litesvm-backed ledger on its own: real execution, slots and the simulated clock. */
import { describe, expect, it } from 'vitest'
import { SolanaLedger, TransactionFailedError, TransactionRejectedError } from '../../devnet/solana/ledger.js'
import { MEMO_PROGRAM, SYSTEM_PROGRAM } from '../../devnet/solana/programs.js'

function setup() {
  const ledger = new SolanaLedger()
  const alice = ledger.signer('ledger-alice')
  const bob = ledger.signer('ledger-bob')
  ledger.airdrop(alice.address, 10_000_000_000n)
  const { mint } = ledger.createMint({ payer: alice, decimals: 9, mintAuthority: alice.address })
  const aliceAta = ledger.createAssociatedTokenAccount({ payer: alice, owner: alice.address, mint }).address
  const bobAta = ledger.createAssociatedTokenAccount({ payer: alice, owner: bob.address, mint }).address
  ledger.mintTo({ mint, destination: aliceAta, authority: alice, amount: 5_000_000_000n, checked: true })
  return { ledger, alice, bob, mint, aliceAta, bobAta }
}

describe('SolanaLedger', () => {
  it('is deterministic: same seeds, same keys, same genesis and signatures', () => {
    const a = setup()
    const b = setup()
    expect(a.alice.address).toBe(b.alice.address)
    expect(a.ledger.genesisHash).toBe(b.ledger.genesisHash)
    const tx = (s: ReturnType<typeof setup>) =>
      s.ledger.transfer({ source: s.aliceAta, destination: s.bobAta, authority: s.alice, amount: 7n })
        .signature
    expect(tx(a)).not.toBe(tx(b)) // the mints are random keypairs, so the messages differ
    expect(a.ledger.signer('x').address).toBe(b.ledger.signer('x').address)
  })

  it('executes the memo program and records its log', () => {
    const { ledger, alice, aliceAta, bobAta, mint } = setup()
    const tx = ledger.transferChecked(
      { source: aliceAta, mint, destination: bobAta, authority: alice, amount: 1_500_000_000n },
      { memo: 'job 7 settled' },
    )
    expect(tx.message.accountKeys).toContain(MEMO_PROGRAM)
    expect(tx.meta.logMessages).toContain('Program log: job 7 settled')
    expect(tx.meta.postTokenBalances.map((b) => b.uiTokenAmount.uiAmountString)).toEqual(['3.5', '1.5'])
  })

  it('includes a failed transaction with its fee and error, and rejects a duplicate outright', () => {
    const { ledger, alice, aliceAta, bobAta } = setup()
    const failing = () =>
      ledger.transfer({ source: aliceAta, destination: bobAta, authority: alice, amount: 10n ** 12n })
    // More than the balance: the token program answers InsufficientFunds (custom error 1).
    const error: unknown = (() => {
      try {
        failing()
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(TransactionFailedError)
    const failed = (error as TransactionFailedError).transaction
    expect(failed.meta.err).toEqual({ InstructionError: [0, { Custom: 1 }] })
    expect(failed.meta.fee).toBe(5000n)
    expect(ledger.pendingTransactions).toContain(failed)

    const ok = () => ledger.transfer({ source: aliceAta, destination: bobAta, authority: alice, amount: 3n })
    ok()
    expect(ok).toThrow(TransactionRejectedError)
    expect(ok).toThrow('AlreadyProcessed')
  })

  it('groups transactions into slots, skips slots and follows the simulated clock', () => {
    const { ledger, alice, aliceAta, bobAta } = setup()
    const first = ledger.advanceSlot()
    expect(first.slot).toBe(1)
    expect(first.transactions).toHaveLength(5)
    expect(first.transactions.map((t) => t.transactionIndex)).toEqual([0, 1, 2, 3, 4])

    ledger.advanceSlot({ skip: 3 })
    expect(ledger.isSkipped(3)).toBe(true)
    expect(ledger.currentSlot).toBe(6)

    const at = ledger.genesisUnixTimestamp + 3600
    ledger.warpToTime(at)
    expect(ledger.currentSlot).toBe(9000)
    const tx = ledger.transfer({ source: aliceAta, destination: bobAta, authority: alice, amount: 9n })
    const block = ledger.advanceSlot()
    expect(block.slot).toBe(9000)
    expect(block.blockTime).toBe(at)
    expect(tx.blockTime).toBe(at)
    expect(block.parentSlot).toBe(6)
    expect(block.previousBlockhash).toBe(ledger.getBlock(6)?.blockhash)
    expect(ledger.blockSlotsInRange(0, 10_000)).toEqual([0, 1, 2, 6, 9000])
    // Transactions in a slot reference the previous block's hash.
    expect(tx.message.recentBlockhash).toBe(ledger.getBlock(6)?.blockhash)
  })

  it('remembers account states per slot for older commitments', () => {
    const { ledger, alice, aliceAta, bobAta } = setup()
    ledger.advanceSlot()
    ledger.transfer({ source: aliceAta, destination: bobAta, authority: alice, amount: 2_000_000_000n })
    ledger.advanceSlot()
    const balanceAt = (slot: number) => ledger.getAccountAt(bobAta, slot)?.data.slice(64, 72)
    expect(balanceAt(1)).toEqual(new Uint8Array(8))
    expect(new DataView(balanceAt(2)?.buffer ?? new ArrayBuffer(8)).getBigUint64(0, true)).toBe(
      2_000_000_000n,
    )
    expect(ledger.getAccountAt(bobAta, 0)).toBeNull()
    expect(ledger.getAccount(alice.address)?.owner).toBe(SYSTEM_PROGRAM)
  })
})
