import {
  getBase58Decoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
} from '@solana/kit'
import { describe, expect, it } from 'vitest'

import { decodeSolanaTransaction } from '../../../ingest/chains/solana/decode-transaction.js'
import { getTransactionResult } from '../../../ingest/chains/solana/rpc-schemas.js'
import { normalizeTransaction } from '../../../ingest/chains/solana/transaction-message.js'
import { asRecord, derive, loadRpcResult } from './fixtures.js'

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'
const WSOL = 'So11111111111111111111111111111111111111112'

interface Balance {
  accountIndex: number
  mint: string
  owner: string
  uiTokenAmount: { amount: string; decimals: number; uiAmount: number | null }
}

/** The fixture's own pre/post token balances, to check decoded amounts against them. */
function balances(result: unknown): { pre: Balance[]; post: Balance[] } {
  const meta = asRecord(asRecord(result)['meta'])
  return { pre: meta['preTokenBalances'] as Balance[], post: meta['postTokenBalances'] as Balance[] }
}

function balanceDelta(result: unknown, owner: string, mint: string): bigint {
  const { pre, post } = balances(result)
  const sum = (list: Balance[]): bigint =>
    list
      .filter((b) => b.owner === owner && b.mint === mint)
      .reduce((total, b) => total + BigInt(b.uiTokenAmount.amount), 0n)
  return sum(post) - sum(pre)
}

describe('decodeSolanaTransaction: explorer mainnet single USDC (jsonParsed, durable nonce)', () => {
  const result = loadRpcResult('solana/explorer_getTransaction_jsonParsed_mainnet-single-usdc_4LXpF3MC.json')
  const decoded = decodeSolanaTransaction(result)
  const from = '3V9bd3EN5aNuhE4RiHGbZ1eZakJ1F9cDb8V4YLjCG8cg'
  const to = 'B2v68t8MXb9zUms1VQKuCcvjrjKDK6fLd8ZngqmBGy1M'

  it('is one transferChecked of 3.8 USDC between the two owners, not their token accounts', () => {
    expect(decoded.failed).toBe(false)
    expect(decoded.warnings).toEqual([])
    expect(decoded.movements).toEqual([
      {
        chain: 'solana',
        txId: '4LXpF3MCdp69iFmD27Sn812UNpqFPHM4qXH7Y12E964p9GHXvwMe1XEmyasogVT2N4XEctdQQLf1sHY6Gvsa5sFX',
        slotOrBlock: 419685246,
        blockTime: new Date(1778761079 * 1000),
        eventIndex: 1000,
        kind: 'transfer',
        token: USDC,
        amountRaw: 3_800_000n,
        decimals: 6,
        from,
        to,
        fromTokenAccount: '2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc',
        toTokenAccount: 'Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv',
        authority: from,
      },
    ])
  })

  it('agrees with the token balance changes', () => {
    expect(balanceDelta(result, from, USDC)).toBe(-3_800_000n)
    expect(balanceDelta(result, to, USDC)).toBe(3_800_000n)
  })

  it('decodes the same from @solana/kit-style bigint integers', () => {
    const withBigints = derive(asRecord(result), (copy) => {
      copy['slot'] = 419685246n
      copy['blockTime'] = 1778761079n
    })
    expect(decodeSolanaTransaction(withBigints).movements).toEqual(decoded.movements)
  })

  /** The same transaction with its transferChecked rewritten as a plain `transfer` (no mint, no decimals). */
  const asPlainTransfer = derive(asRecord(result), (copy) => {
    const message = asRecord(asRecord(copy['transaction'])['message'])
    const instructions = message['instructions'] as unknown[]
    instructions[1] = {
      parsed: {
        info: {
          amount: '3800000',
          authority: from,
          destination: 'Efc6bp3wVC2iQpewxRmKdZM8vzt9DCFFhL7EiHYNGunv',
          source: '2e3Eb9tkT8252WhFR26Xz6SKoiatJScuMW1BHgGqPvvc',
        },
        type: 'transfer',
      },
      program: 'spl-token',
      programId: 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      stackHeight: 1,
    }
  })

  it('takes the mint and decimals of a plain `transfer` from the token balances (derived copy)', () => {
    expect(decodeSolanaTransaction(asPlainTransfer).movements).toEqual(decoded.movements)
  })

  it('warns and emits nothing when no balance names the mint of a plain `transfer` (derived copy)', () => {
    const unknownMint = derive(asPlainTransfer, (copy) => {
      const meta = asRecord(copy['meta'])
      meta['preTokenBalances'] = []
      meta['postTokenBalances'] = []
    })
    const decodedUnknown = decodeSolanaTransaction(unknownMint)
    expect(decodedUnknown.movements).toEqual([])
    expect(decodedUnknown.warnings).toEqual([expect.stringMatching(/^event 1000 \(transfer\): mint unknown/)])
  })

  it('returns failed and no movements when meta.err is set (derived copy)', () => {
    const err = { InstructionError: [1, { Custom: 1 }] }
    const failed = derive(asRecord(result), (copy) => {
      asRecord(copy['meta'])['err'] = err
    })
    expect(decodeSolanaTransaction(failed)).toMatchObject({ failed: true, err, movements: [] })
  })

  it('attaches an SPL Memo to the transaction and its movements (derived copy)', () => {
    const withMemo = derive(asRecord(result), (copy) => {
      const message = asRecord(asRecord(copy['transaction'])['message'])
      const instructions = message['instructions'] as unknown[]
      instructions.push({
        parsed: 'job 42',
        program: 'spl-memo',
        programId: 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr',
        stackHeight: 1,
      })
    })
    const memoed = decodeSolanaTransaction(withMemo)
    expect(memoed.memo).toBe('job 42')
    expect(memoed.movements.map((m) => m.memo)).toEqual(['job 42'])
  })
})

describe('decodeSolanaTransaction: explorer mainnet multi SOL (jsonParsed)', () => {
  it('has no token movements: SOL system transfers are out of scope', () => {
    const decoded = decodeSolanaTransaction(
      loadRpcResult('solana/explorer_getTransaction_jsonParsed_mainnet-multi-sol_2msqMqeU.json'),
    )
    expect(decoded.failed).toBe(false)
    expect(decoded.signature).toBe(
      '2msqMqeUTTZhgite3PvWSLJhZJ3m4v4UMbDAcXymTPpXwKM5PcKfZFfxn4izZ2UTZmngYJeWSf1ztdD6kdeDkdbr',
    )
    expect(decoded.movements).toEqual([])
  })
})

describe('decodeSolanaTransaction: Jupiter swap, version 0 with lookup tables (jsonParsed)', () => {
  const result = loadRpcResult(
    'solana/jup-instruction-parser_getTransaction_jsonParsed_v0-ALT_jupiter-swap_5SPdWfQr.json',
  )
  const decoded = decodeSolanaTransaction(result)
  const user = '3qAnC3L6xDoTbaL74jLKzQNyhRJc2YJGL7Uu5fxiu9W6'
  const pool = 'HTvjzsfX3yU6BUodCjZ5vZkUrAxMDTrBs3CJaq43ashR'

  it('finds the two transfers, both in inner instructions of outer instruction 4', () => {
    expect(decoded.movements).toHaveLength(2)
    expect(decoded.movements.map((m) => m.eventIndex)).toEqual([4002, 4003])
  })

  it('reads 0.0396 wSOL user → pool and 5.30065 USDC pool → user', () => {
    const [wsol, usdc] = decoded.movements
    expect(wsol).toMatchObject({
      kind: 'transfer',
      token: WSOL,
      amountRaw: 39_600_000n,
      decimals: 9,
      to: pool,
    })
    expect(usdc).toMatchObject({
      kind: 'transfer',
      token: USDC,
      amountRaw: 5_300_650n,
      decimals: 6,
      from: pool,
    })
    expect(usdc?.to).toBe(user)
  })

  it('resolves the owner of the temporary wSOL account from its initializeAccount3', () => {
    // DNWm... is created and closed in the transaction, so no token balance names its owner.
    const [wsol] = decoded.movements
    expect(wsol?.fromTokenAccount).toBe('DNWmbNYEa6G9PACfpbKgXenpmybAPxqg8vsCJmupBxty')
    expect(wsol?.from).toBe(user)
  })

  it('agrees with the token balance changes', () => {
    expect(balanceDelta(result, pool, WSOL)).toBe(39_600_000n)
    expect(balanceDelta(result, pool, USDC)).toBe(-5_300_650n)
    expect(balanceDelta(result, user, USDC)).toBe(5_300_650n)
  })
})

describe('decodeSolanaTransaction: solana-go spl-burn (result only, jsonParsed)', () => {
  const result = loadRpcResult('solana/solana-go_getParsedTransaction_result_spl-burn_2022.json')
  const decoded = decodeSolanaTransaction(result)

  it('is one inner burn of the whole balance', () => {
    const { pre, post } = balances(result)
    expect(post[0]?.uiTokenAmount).toMatchObject({ amount: '0', uiAmount: null })
    expect(decoded.movements).toEqual([
      {
        chain: 'solana',
        txId: '2x1QBpfcEQetAx7zETLEmvVvjue9311s9AWroEvMAboFkqaHZVp1sUpTFXroc5Q6tkPmZK5pYfmPFteoZPVRLF89',
        slotOrBlock: 146099091,
        blockTime: new Date(1660570006 * 1000),
        eventIndex: 2001,
        kind: 'burn',
        token: 'E942z7FnS7GpswTvF5Vggvo7cMTbvZojjLbFgsrDVff1',
        amountRaw: BigInt(pre[0]?.uiTokenAmount.amount ?? -1),
        decimals: 6,
        // The owner comes from the outer `approve` (only the owner may approve); the burn itself
        // is signed by the delegate.
        from: 'G7Hf2J55BAkHtbbXPh94UTGRCQioKPpnb5oKQMBteXo',
        to: null,
        fromTokenAccount: 'BMnsyyG6S6zkaE3K5X3nbRMKdvBS5dT6HhcMozBVL7Ly',
        authority: '7oPa2PHQdZmjSPqvpZN7MQxnC7Dcf3uL4oLqknGLk2S3',
      },
    ])
  })

  it('reports that the trimmed account keys cannot place the token balance', () => {
    // solana-go's test keeps 1 account key while the balances point at accountIndex 4.
    expect(decoded.warnings).toEqual(['token balance accountIndex 4 is outside the 1 account keys'])
  })
})

describe('decodeSolanaTransaction: blocto base64, version 0 with meta.loadedAddresses', () => {
  const result = loadRpcResult(
    'solana/blocto-sdk_getTransaction_base64_v0_loadedAddresses_likely-devnet.json',
  )
  const owner = 'RNfp4xTbBb4C3kcv2KqtAj8mu4YhMHxqm1Skg9uchZ7'

  it('lists static keys, then loaded writable, then loaded readonly', () => {
    const parsed = getTransactionResult.parse(result)
    expect(normalizeTransaction(parsed.transaction, parsed.meta).accountKeys).toEqual([
      owner,
      'HqXcr9ja8jTZAfWN4YSSL8PPWFN3BFJsoxrCvSLaqww1',
      'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      '3Yvq7e9UXLoFK4PKyxrpEA3y3TKmFK2Wb1f5tVFUgwPu',
      '5McxjaxNKYLHtv9DqbMfoi6GNs7ZEMHGkJDrouPib4sW',
      'GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g',
      'F1rcBbZB6tQZUTR2z8jKQxaAwUUkxnghSh941Q62hMi8',
      '5jHeQFBSNxFqqkMF9YCYwtJbkzGarSGwGsmi2ZuPG6yw',
    ])
  })

  it('decodes the two transferChecked instructions from their bytes', () => {
    const decoded = decodeSolanaTransaction(result, { chain: 'solana-devnet' })
    expect(decoded.failed).toBe(false)
    expect(decoded.warnings).toEqual([])
    expect(decoded.movements).toMatchObject([
      {
        chain: 'solana-devnet',
        slotOrBlock: 193487858,
        eventIndex: 0,
        kind: 'transfer',
        token: 'F1rcBbZB6tQZUTR2z8jKQxaAwUUkxnghSh941Q62hMi8',
        amountRaw: 1n,
        decimals: 0,
        from: owner,
        to: owner,
        fromTokenAccount: '3Yvq7e9UXLoFK4PKyxrpEA3y3TKmFK2Wb1f5tVFUgwPu',
        toTokenAccount: 'GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g',
        authority: owner,
      },
      {
        eventIndex: 1000,
        token: '5jHeQFBSNxFqqkMF9YCYwtJbkzGarSGwGsmi2ZuPG6yw',
        amountRaw: 1n,
        decimals: 0,
        fromTokenAccount: '5McxjaxNKYLHtv9DqbMfoi6GNs7ZEMHGkJDrouPib4sW',
        toTokenAccount: 'HqXcr9ja8jTZAfWN4YSSL8PPWFN3BFJsoxrCvSLaqww1',
      },
    ])
    // Each balance moves by one: 100 → 99 on the sources, 100 → 101 on the destinations.
    const { pre, post } = balances(result)
    expect(pre.map((b) => b.uiTokenAmount.amount)).toEqual(['100', '100', '100', '100'])
    expect(post.map((b) => b.uiTokenAmount.amount)).toEqual(['101', '99', '99', '101'])
  })

  it('decodes the same transaction re-encoded as `json` (derived: compiled instructions, base58 data)', () => {
    const record = asRecord(result)
    const [base64] = record['transaction'] as [string, string]
    const wire = getTransactionDecoder().decode(getBase64Encoder().encode(base64))
    const message = getCompiledTransactionMessageDecoder().decode(wire.messageBytes)
    if (message.version === 1) throw new Error('unexpected v1 message')
    const base58 = getBase58Decoder()
    const signatures = Object.values(wire.signatures).map((s) => (s ? base58.decode(s) : ''))
    const asJson = {
      ...record,
      transaction: {
        signatures,
        message: {
          accountKeys: message.staticAccounts,
          instructions: message.instructions.map((ix) => ({
            programIdIndex: ix.programAddressIndex,
            accounts: ix.accountIndices ?? [],
            data: base58.decode(ix.data ?? new Uint8Array()),
          })),
        },
      },
    }
    expect(decodeSolanaTransaction(asJson).movements).toEqual(decodeSolanaTransaction(result).movements)
  })
})
