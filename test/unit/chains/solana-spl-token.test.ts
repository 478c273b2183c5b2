import { address, getAddressEncoder } from '@solana/kit'
import { describe, expect, it } from 'vitest'

import { decodeSplTokenAccountFact, decodeSplTokenData } from '../../../ingest/chains/solana/spl-token.js'

// Hand-built instruction bytes (no fixture has raw mintTo/burn): layouts from the SPL Token program.
function ix(tag: number, amount: bigint, ...rest: number[]): Uint8Array {
  const bytes = new Uint8Array(9 + rest.length)
  bytes[0] = tag
  new DataView(bytes.buffer).setBigUint64(1, amount, true)
  bytes.set(rest, 9)
  return bytes
}

const [A, B, C, D] = ['Acct1111', 'Mint2222', 'Dest3333', 'Auth4444']

describe('decodeSplTokenData', () => {
  it('transfer (3): source, destination, authority; no mint', () => {
    expect(decodeSplTokenData(ix(3, 5n), [A, C, D])).toMatchObject({
      kind: 'transfer',
      amount: 5n,
      mint: null,
      decimals: null,
      sourceAccount: A,
      destinationAccount: C,
      authority: D,
    })
  })

  it('mintToChecked (14): mint, account, authority, and decimals', () => {
    expect(decodeSplTokenData(ix(14, 2n ** 64n - 1n, 8), [B, C, D])).toMatchObject({
      kind: 'mint',
      amount: 18_446_744_073_709_551_615n,
      decimals: 8,
      mint: B,
      sourceAccount: null,
      destinationAccount: C,
    })
  })

  it('burnChecked (15): account, mint, authority', () => {
    expect(decodeSplTokenData(ix(15, 7n, 6), [A, B, D])).toMatchObject({
      kind: 'burn',
      amount: 7n,
      decimals: 6,
      mint: B,
      sourceAccount: A,
      destinationAccount: null,
    })
  })

  it('Token-2022 transferCheckedWithFee (26, 1): the full debited amount', () => {
    const data = new Uint8Array(19)
    data.set([26, 1])
    new DataView(data.buffer).setBigUint64(2, 1000n, true)
    data[10] = 9
    expect(decodeSplTokenData(data, [A, B, C, D])).toMatchObject({
      kind: 'transfer',
      amount: 1000n,
      decimals: 9,
    })
  })

  it('ignores other instructions and data too short to be accepted', () => {
    expect(decodeSplTokenData(new Uint8Array([9]), [A, C, D])).toBeNull()
    expect(decodeSplTokenData(new Uint8Array([3, 1, 2]), [A, C, D])).toBeNull()
  })
})

describe('decodeSplTokenAccountFact', () => {
  it('reads the owner pubkey from initializeAccount3 data', () => {
    const owner = 'G7Hf2J55BAkHtbbXPh94UTGRCQioKPpnb5oKQMBteXo'
    const data = new Uint8Array([18, ...getAddressEncoder().encode(address(owner))])
    expect(decodeSplTokenAccountFact(data, [A, B])).toEqual({ account: A, owner, mint: B })
  })
})
