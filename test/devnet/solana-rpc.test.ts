/**
 * The Solana devnet through @solana/kit's own RPC client, as the ingester will use it:
 * commitment levels, paging, token balances and supply, batches and agave's error codes.
 */
import {
  address,
  createSolanaRpc,
  isSolanaError,
  signature as toSignature,
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_NOT_AVAILABLE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_FILTER_TRANSACTION_NOT_FOUND,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SLOT_SKIPPED,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_UNSUPPORTED_TRANSACTION_VERSION,
  type Address,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SolanaLedger, type LedgerTransaction, type Signer } from '../../devnet/solana/ledger.js'
import { startSolanaRpcServer, type SolanaRpcServer } from '../../devnet/solana/rpc-server.js'

const LAG = 8
const DECIMALS = 6
const MINTED = 1_000_000_000n
const BURNED = 250_000_000n
const AMOUNTS = [11_000_000n, 12_500_000n, 3_000_000n, 7_250_000n, 1n, 40_000_000n, 5_000_000n]

let ledger: SolanaLedger
let server: SolanaRpcServer
let rpc: Rpc<SolanaRpcApi>
let alice: Signer
let bob: Signer
let mint: Address
let aliceAta: Address
let bobAta: Address
let bobAtaCreation: LedgerTransaction
let transfers: LedgerTransaction[]
let burnTx: LedgerTransaction
let v0Tx: LedgerTransaction
let skippedSlots: number[]
let lateBurn: LedgerTransaction

async function rpcError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the request to fail')
}

async function post(body: unknown): Promise<unknown> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return response.json()
}

beforeAll(async () => {
  ledger = new SolanaLedger()
  alice = ledger.signer('rpc-alice')
  bob = ledger.signer('rpc-bob')
  ledger.airdrop(alice.address, 20_000_000_000n)
  ledger.airdrop(bob.address, 1_000_000_000n)
  mint = ledger.createMint({ payer: alice, decimals: DECIMALS, mintAuthority: alice.address }).mint
  aliceAta = ledger.createAssociatedTokenAccount({ payer: alice, owner: alice.address, mint }).address
  const bobAccount = ledger.createAssociatedTokenAccount({ payer: alice, owner: bob.address, mint })
  bobAta = bobAccount.address
  bobAtaCreation = bobAccount.transaction
  ledger.mintTo({ mint, destination: aliceAta, authority: alice, amount: MINTED })
  ledger.advanceSlot()

  transfers = AMOUNTS.map((amount, i) => {
    const tx = ledger.transferChecked({
      source: aliceAta,
      mint,
      destination: bobAta,
      authority: alice,
      amount,
    })
    // Every other transfer leaves a skipped slot behind it.
    ledger.advanceSlot({ skip: i % 2 })
    return tx
  })
  burnTx = ledger.burn({ account: aliceAta, mint, authority: alice, amount: BURNED })
  v0Tx = ledger.transfer(
    { source: bobAta, destination: aliceAta, authority: bob, amount: 1n },
    { version: 0 },
  )
  ledger.advanceSlot()
  skippedSlots = []
  for (let slot = 1; slot < ledger.currentSlot; slot++) if (ledger.isSkipped(slot)) skippedSlots.push(slot)
  // Enough empty blocks that everything above is finalized.
  for (let i = 0; i < LAG + 2; i++) ledger.advanceSlot()
  // A burn that is confirmed but not finalized yet.
  lateBurn = ledger.burn({ account: aliceAta, mint, authority: alice, amount: 1_000_000n })
  ledger.advanceSlot()

  server = await startSolanaRpcServer(ledger, { finalizedLag: LAG })
  rpc = createSolanaRpc(server.url)
})

afterAll(async () => {
  await server.close()
})

describe('commitment levels', () => {
  it('finalized trails confirmed by the configured lag, processed is the open slot', async () => {
    const confirmed = await rpc.getSlot({ commitment: 'confirmed' }).send()
    const finalized = await rpc.getSlot({ commitment: 'finalized' }).send()
    const processed = await rpc.getSlot({ commitment: 'processed' }).send()
    expect(confirmed - finalized).toBe(BigInt(LAG))
    expect(confirmed).toBe(BigInt(ledger.latestBlock.slot))
    expect(processed).toBe(BigInt(ledger.currentSlot))
  })

  it('hides blocks and transactions above the requested commitment', async () => {
    const late = toSignature(lateBurn.signature)
    expect(await rpc.getTransaction(late, { commitment: 'finalized', encoding: 'json' }).send()).toBeNull()
    expect(
      await rpc.getTransaction(late, { commitment: 'confirmed', encoding: 'json' }).send(),
    ).not.toBeNull()
    const error = await rpcError(rpc.getBlock(BigInt(lateBurn.slot), { commitment: 'finalized' }).send())
    expect(isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_NOT_AVAILABLE)).toBe(true)
    const finalizedSigs = await rpc.getSignaturesForAddress(aliceAta, { commitment: 'finalized' }).send()
    expect(finalizedSigs.map((s) => s.signature)).not.toContain(lateBurn.signature)
  })

  it('reports block heights and the latest blockhash per commitment', async () => {
    const latest = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
    expect(latest.value.blockhash).toBe(ledger.latestBlock.blockhash)
    expect(latest.value.lastValidBlockHeight).toBe(BigInt(ledger.latestBlock.blockHeight + 150))
    expect(await rpc.getBlockHeight({ commitment: 'confirmed' }).send()).toBe(
      BigInt(ledger.latestBlock.blockHeight),
    )
    expect(await rpc.getGenesisHash().send()).toBe(ledger.genesisHash)
    expect(await rpc.getHealth().send()).toBe('ok')
  })
})

describe('getSignaturesForAddress', () => {
  it('pages newest first with before and until', async () => {
    const all = await rpc.getSignaturesForAddress(bobAta, { commitment: 'confirmed' }).send()
    const expected = [bobAtaCreation, ...transfers, v0Tx].map((tx) => tx.signature).reverse()
    expect(all.map((s) => s.signature)).toEqual(expected)
    const slots = all.map((s) => Number(s.slot))
    expect(slots).toEqual([...slots].sort((a, b) => b - a))

    const page1 = await rpc.getSignaturesForAddress(bobAta, { commitment: 'confirmed', limit: 3 }).send()
    const last = page1[page1.length - 1]
    if (last === undefined) throw new Error('empty page')
    const page2 = await rpc
      .getSignaturesForAddress(bobAta, { commitment: 'confirmed', limit: 3, before: last.signature })
      .send()
    expect([...page1, ...page2].map((s) => s.signature)).toEqual(expected.slice(0, 6))

    const firstTransfer = transfers[0]
    if (firstTransfer === undefined) throw new Error('no transfers')
    const untilFirst = await rpc
      .getSignaturesForAddress(bobAta, {
        commitment: 'confirmed',
        until: toSignature(firstTransfer.signature),
      })
      .send()
    expect(untilFirst.map((s) => s.signature)).toEqual(
      expected.slice(0, expected.indexOf(firstTransfer.signature)),
    )
    for (const entry of all) {
      const tx = ledger.getTransaction(entry.signature)
      expect(entry.blockTime).toBe(BigInt(tx?.blockTime ?? -1))
      expect(entry.confirmationStatus).toBe('finalized')
      expect(entry.err).toBeNull()
    }
  })

  it('refuses cursors it cannot find and limits above 1000', async () => {
    const unknown = toSignature('1'.repeat(64))
    const error = await rpcError(rpc.getSignaturesForAddress(bobAta, { before: unknown }).send())
    expect(isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_FILTER_TRANSACTION_NOT_FOUND)).toBe(true)
    const tooMany = await rpcError(rpc.getSignaturesForAddress(bobAta, { limit: 1001 }).send())
    expect(isSolanaError(tooMany, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS)).toBe(true)
  })
})

describe('getTransaction', () => {
  it('returns the executed transfers with their pre and post token balances', async () => {
    let alicePrior = MINTED
    let bobPrior = 0n
    for (const [i, tx] of transfers.entries()) {
      const amount = AMOUNTS[i] ?? 0n
      const result = await rpc
        .getTransaction(toSignature(tx.signature), {
          commitment: 'confirmed',
          encoding: 'jsonParsed',
          maxSupportedTransactionVersion: 0,
        })
        .send()
      if (result === null) throw new Error(`transfer ${i} not found`)
      expect(result.slot).toBe(BigInt(tx.slot))
      const keys = result.transaction.message.accountKeys.map((k) => k.pubkey)
      const balance = (
        list: typeof result.meta,
        which: 'preTokenBalances' | 'postTokenBalances',
        account: Address,
      ) => list?.[which]?.find((b) => keys[Number(b.accountIndex)] === account)?.uiTokenAmount.amount
      expect(balance(result.meta, 'preTokenBalances', aliceAta)).toBe(alicePrior.toString())
      expect(balance(result.meta, 'preTokenBalances', bobAta)).toBe(bobPrior.toString())
      alicePrior -= amount
      bobPrior += amount
      expect(balance(result.meta, 'postTokenBalances', aliceAta)).toBe(alicePrior.toString())
      expect(balance(result.meta, 'postTokenBalances', bobAta)).toBe(bobPrior.toString())
      const ix = result.transaction.message.instructions[0]
      expect(ix && 'parsed' in ix ? ix.parsed : undefined).toMatchObject({
        type: 'transferChecked',
        info: { source: aliceAta, destination: bobAta, mint, authority: alice.address },
      })
      expect(result.meta?.fee).toBe(5000n)
    }
  })

  it('asks for maxSupportedTransactionVersion before returning a version-0 transaction', async () => {
    const v0 = toSignature(v0Tx.signature)
    const error = await rpcError(rpc.getTransaction(v0, { commitment: 'confirmed', encoding: 'json' }).send())
    expect(isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_UNSUPPORTED_TRANSACTION_VERSION)).toBe(
      true,
    )
    const found = await rpc
      .getTransaction(v0, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 })
      .send()
    expect(found?.version).toBe(0)
  })
})

describe('getTokenSupply', () => {
  it('equals minted minus burned, and lags at finalized', async () => {
    const confirmed = await rpc.getTokenSupply(mint, { commitment: 'confirmed' }).send()
    expect(BigInt(confirmed.value.amount)).toBe(MINTED - BURNED - 1_000_000n)
    expect(confirmed.value.decimals).toBe(DECIMALS)
    // The last burn is not finalized yet: the finalized bank still counts its tokens.
    const finalized = await rpc.getTokenSupply(mint, { commitment: 'finalized' }).send()
    expect(BigInt(finalized.value.amount)).toBe(MINTED - BURNED)
    expect(finalized.value.uiAmountString).toBe('750')
    expect(ledger.getMint(mint)?.supply).toBe(MINTED - BURNED - 1_000_000n)
    expect(burnTx.meta.postTokenBalances[0]?.uiTokenAmount.amount).toBe(
      (MINTED - AMOUNTS.reduce((a, b) => a + b, 0n) - BURNED).toString(),
    )
  })
})

describe('blocks', () => {
  it('lists blocks without the skipped slots and dates them on the simulated clock', async () => {
    const blocks = await rpc
      .getBlocks(0n, BigInt(ledger.latestBlock.slot), { commitment: 'confirmed' })
      .send()
    expect(skippedSlots.length).toBeGreaterThan(0)
    for (const slot of skippedSlots) expect(blocks).not.toContain(BigInt(slot))
    const transferSlot = transfers[1]?.slot ?? -1
    expect(blocks).toContain(BigInt(transferSlot))
    const time = await rpc.getBlockTime(BigInt(transferSlot)).send()
    expect(time).toBe(BigInt(ledger.getBlock(transferSlot)?.blockTime ?? -1))
    expect(Number(time)).toBe(ledger.genesisUnixTimestamp + Math.floor((transferSlot * 400) / 1000))

    const block = await rpc
      .getBlock(BigInt(transferSlot), {
        commitment: 'confirmed',
        transactionDetails: 'signatures',
        rewards: false,
        maxSupportedTransactionVersion: 0,
      })
      .send()
    expect(block?.signatures).toEqual([transfers[1]?.signature])
    const parent = ledger.getBlock(Number(block?.parentSlot))
    expect(block?.previousBlockhash).toBe(parent?.blockhash)
  })

  it('answers a skipped slot as agave does', async () => {
    const skipped = skippedSlots[0] ?? -1
    const error = await rpcError(rpc.getBlock(BigInt(skipped), { commitment: 'finalized' }).send())
    expect(isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SLOT_SKIPPED)).toBe(true)
    expect(error instanceof Error ? error.message : '').toContain(
      `Slot ${skipped} was skipped, or missing due to ledger jump to recent snapshot`,
    )
  })

  it('refuses processed for block methods', async () => {
    const answer = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'getBlock',
      params: [1, { commitment: 'processed' }],
    })
    expect(answer).toEqual({
      jsonrpc: '2.0',
      error: { code: -32602, message: 'Method does not support commitment below `confirmed`' },
      id: 1,
    })
  })
})

describe('JSON-RPC envelope', () => {
  it('answers a batch in order, errors included', async () => {
    const answer = await post([
      { jsonrpc: '2.0', id: 1, method: 'getSlot', params: [{ commitment: 'confirmed' }] },
      { jsonrpc: '2.0', id: 'two', method: 'getGenesisHash' },
      { jsonrpc: '2.0', id: 3, method: 'getBlockHeight', params: [{ commitment: 'finalized' }] },
      { jsonrpc: '2.0', id: 4, method: 'getTransactionz', params: [] },
      { jsonrpc: '2.0', id: 5, method: 'getTokenSupply', params: [address(bob.address)] },
    ])
    expect(answer).toEqual([
      { jsonrpc: '2.0', result: ledger.latestBlock.slot, id: 1 },
      { jsonrpc: '2.0', result: ledger.genesisHash, id: 'two' },
      { jsonrpc: '2.0', result: ledger.blockAtOrBelow(ledger.latestBlock.slot - LAG)?.blockHeight, id: 3 },
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 4 },
      { jsonrpc: '2.0', error: { code: -32602, message: 'Invalid param: not a Token mint' }, id: 5 },
    ])
  })

  it('answers malformed bodies with parse and request errors', async () => {
    const response = await fetch(server.url, { method: 'POST', body: '{"jsonrpc":' })
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    })
    expect(await post([])).toEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid request' },
      id: null,
    })
  })
})
