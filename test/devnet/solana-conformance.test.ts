/**
 * The Solana devnet answers in mainnet's wire format. Real transactions run on the litesvm ledger,
 * are fetched over HTTP JSON-RPC, and every response is compared, key set by key set and JSON type
 * by JSON type, with a real RPC response recorded in /work/shared/fixtures/solana.
 *
 * Each comparison asserts the exact list of differences; every entry in those lists is a difference
 * we can explain (a field mainnet added or dropped since the fixture was recorded, or an instruction
 * mix the devnet does not produce), written next to it.
 */
import { readFileSync } from 'node:fs'
import type { Address } from '@solana/kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SolanaLedger, type LedgerTransaction, type Signer } from '../../devnet/solana/ledger.js'
import {
  computeUnitLimitInstruction,
  createAssociatedTokenAccountInstruction,
  memoInstruction,
  transferCheckedInstruction,
} from '../../devnet/solana/programs.js'
import { startSolanaRpcServer, type SolanaRpcServer } from '../../devnet/solana/rpc-server.js'

const FIXTURES = new URL('../../../shared/fixtures/solana/', import.meta.url)

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'))
}

// ---- shapes ---------------------------------------------------------------------------------------

type Primitive = 'null' | 'boolean' | 'number' | 'string'

/** A JSON value's type structure: primitives by kind, arrays by the merged shape of their elements. */
type Shape =
  Primitive | { array: Shape | 'empty' } | { object: { [key: string]: Shape } } | { anyOf: Shape[] }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function shapeOf(json: unknown): Shape {
  if (json === null) return 'null'
  if (Array.isArray(json)) {
    return { array: json.length === 0 ? 'empty' : json.map(shapeOf).reduce(mergeShapes) }
  }
  if (isRecord(json)) {
    const object: { [key: string]: Shape } = {}
    for (const key of Object.keys(json).sort()) object[key] = shapeOf(json[key])
    return { object }
  }
  switch (typeof json) {
    case 'boolean':
      return 'boolean'
    case 'number':
      return 'number'
    case 'string':
      return 'string'
    default:
      throw new Error(`not JSON: ${typeof json}`)
  }
}

function alternatives(shape: Shape): Shape[] {
  return typeof shape === 'object' && 'anyOf' in shape ? shape.anyOf : [shape]
}

function kindOf(shape: Shape): string {
  if (typeof shape === 'string') return shape
  if ('array' in shape) return 'array'
  if ('object' in shape) return 'object'
  return alternatives(shape).map(kindOf).sort().join('|')
}

/** Two elements of one array: objects merge key by key, differing kinds become a union. */
function mergeShapes(a: Shape, b: Shape): Shape {
  const byKind = new Map<string, Shape>()
  for (const shape of [...alternatives(a), ...alternatives(b)]) {
    const kind = kindOf(shape)
    const known = byKind.get(kind)
    byKind.set(kind, known === undefined ? shape : mergeSameKind(known, shape))
  }
  const merged = [...byKind.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, s]) => s)
  return merged.length === 1 && merged[0] !== undefined ? merged[0] : { anyOf: merged }
}

function mergeSameKind(a: Shape, b: Shape): Shape {
  if (typeof a === 'object' && typeof b === 'object' && 'object' in a && 'object' in b) {
    const object: { [key: string]: Shape } = { ...a.object }
    for (const [key, shape] of Object.entries(b.object)) {
      const known = object[key]
      object[key] = known === undefined ? shape : mergeShapes(known, shape)
    }
    return { object }
  }
  if (typeof a === 'object' && typeof b === 'object' && 'array' in a && 'array' in b) {
    if (a.array === 'empty') return b
    if (b.array === 'empty') return a
    return { array: mergeShapes(a.array, b.array) }
  }
  return a
}

/** Every place where the devnet's shape differs from mainnet's, as readable lines. */
function compareShapes(devnet: Shape, mainnet: Shape, path = ''): string[] {
  const kindD = kindOf(devnet)
  const kindM = kindOf(mainnet)
  if (kindD !== kindM) return [`${path}: mainnet ${kindM}, devnet ${kindD}`]
  if (typeof devnet === 'object' && typeof mainnet === 'object') {
    if ('object' in devnet && 'object' in mainnet) {
      const keys = [...new Set([...Object.keys(devnet.object), ...Object.keys(mainnet.object)])].sort()
      return keys.flatMap((key) => {
        const d = devnet.object[key]
        const m = mainnet.object[key]
        const at = path === '' ? key : `${path}.${key}`
        if (d === undefined) return [`${at}: only on mainnet`]
        if (m === undefined) return [`${at}: only on devnet`]
        return compareShapes(d, m, at)
      })
    }
    if ('array' in devnet && 'array' in mainnet) {
      if (devnet.array === 'empty' && mainnet.array === 'empty') return []
      if (devnet.array === 'empty') return [`${path}[]: empty on devnet`]
      if (mainnet.array === 'empty') return [`${path}[]: empty on mainnet`]
      return compareShapes(devnet.array, mainnet.array, `${path}[]`)
    }
    if ('anyOf' in devnet && 'anyOf' in mainnet) {
      return devnet.anyOf.flatMap((d, i) => {
        const m = mainnet.anyOf[i]
        return m === undefined ? [`${path}: union differs`] : compareShapes(d, m, path)
      })
    }
  }
  return []
}

function differences(devnet: unknown, mainnet: unknown): string[] {
  return compareShapes(shapeOf(devnet), shapeOf(mainnet))
}

// ---- picking parts of responses -------------------------------------------------------------------

/** A deep copy without the given dotted paths. */
function without(json: unknown, paths: string[]): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(json))
  for (const path of paths) {
    const keys = path.split('.')
    const last = keys.pop()
    let node: unknown = copy
    for (const key of keys) node = isRecord(node) ? node[key] : undefined
    if (isRecord(node) && last !== undefined) delete node[last]
  }
  return copy
}

function at(json: unknown, path: string): unknown {
  if (path === '') return json
  let node: unknown = json
  for (const key of path.split('.')) {
    if (Array.isArray(node)) node = node[Number(key)]
    else if (isRecord(node)) node = node[key]
    else return undefined
  }
  return node
}

function asArray(json: unknown, path: string): unknown[] {
  const value = at(json, path)
  if (!Array.isArray(value)) throw new Error(`${path} is not an array`)
  return value
}

/** Top-level and inner instructions of a jsonParsed transaction, in one list. */
function allInstructions(result: unknown): unknown[] {
  const inner = asArray(result, 'meta.innerInstructions').flatMap((group) => asArray(group, 'instructions'))
  return [...asArray(result, 'transaction.message.instructions'), ...inner]
}

function instruction(
  result: unknown,
  predicate: (ix: Record<string, unknown>) => boolean,
  what: string,
): unknown {
  const found = allInstructions(result).find((ix) => isRecord(ix) && predicate(ix))
  if (found === undefined) throw new Error(`no ${what} instruction`)
  return found
}

function parsedOfType(type: string) {
  return (ix: Record<string, unknown>): boolean => isRecord(ix.parsed) && ix.parsed.type === type
}

function partiallyDecoded(ix: Record<string, unknown>): boolean {
  return 'data' in ix && !('parsed' in ix)
}

function tokenBalance(result: unknown, list: string, zero: boolean): unknown {
  const found = asArray(result, `meta.${list}`).find((b) => (at(b, 'uiTokenAmount.amount') === '0') === zero)
  if (found === undefined) throw new Error(`no ${zero ? 'zero' : 'non-zero'} entry in ${list}`)
  return found
}

// Arrays whose elements differ by instruction or balance, compared element by element below.
const ENVELOPE_SKIPS = [
  'transaction.message.instructions',
  'meta.innerInstructions',
  'meta.preTokenBalances',
  'meta.postTokenBalances',
]

// ---- the devnet ------------------------------------------------------------------------------------

let ledger: SolanaLedger
let server: SolanaRpcServer
let payer: Signer
let transferCheckedTx: LedgerTransaction
let burnTx: LedgerTransaction
let transferTx: LedgerTransaction
let solTransferTx: LedgerTransaction
let failedTx: LedgerTransaction
let v0Tx: LedgerTransaction
let mint: Address

async function rpc(method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body: unknown = await response.json()
  if (!isRecord(body) || !('result' in body)) throw new Error(`${method} failed: ${JSON.stringify(body)}`)
  return body.result
}

function getParsed(tx: LedgerTransaction, extra: Record<string, unknown> = {}): Promise<unknown> {
  const config = {
    encoding: 'jsonParsed',
    commitment: 'confirmed',
    maxSupportedTransactionVersion: 0,
    ...extra,
  }
  return rpc('getTransaction', [tx.signature, config])
}

beforeAll(async () => {
  ledger = new SolanaLedger()
  payer = ledger.signer('conformance-payer')
  const merchant = ledger.signer('conformance-merchant')
  ledger.airdrop(payer.address, 50_000_000_000n)
  const created = ledger.createMint({ payer, decimals: 6, mintAuthority: payer.address })
  mint = created.mint
  const payerAta = ledger.createAssociatedTokenAccount({
    payer,
    owner: payer.address,
    mint: created.mint,
  }).address
  const merchantAta = ledger.createAssociatedTokenAccount({
    payer,
    owner: merchant.address,
    mint: created.mint,
  }).address
  ledger.mintTo({ mint: created.mint, destination: payerAta, authority: payer, amount: 101_903_768_394n })
  ledger.advanceSlot()

  // The single-usdc fixture: 3.8 USDC by transferChecked, with compute budget instructions; ours adds a memo.
  transferCheckedTx = ledger.transferChecked(
    { source: payerAta, mint: created.mint, destination: merchantAta, authority: payer, amount: 3_800_000n },
    { memo: 'invoice 42', computeUnitLimit: 2_408, computeUnitPrice: 10_000n },
  )
  // The spl-burn fixture: a burn of an account's whole balance.
  burnTx = ledger.burn(
    { account: merchantAta, mint: created.mint, authority: merchant, amount: 3_800_000n },
    { feePayer: payer },
  )
  transferTx = ledger.transfer({
    source: payerAta,
    destination: merchantAta,
    authority: payer,
    amount: 1_000_000n,
  })
  // The multi-sol fixture: SOL transfers with compute budget instructions.
  solTransferTx = ledger.transferSol(
    { from: payer, to: merchant.address, lamports: 105_673_070n },
    { computeUnitLimit: 750, computeUnitPrice: 8_000n },
  )
  // A transaction that fails on chain (insufficient funds: token program error 1), as in the signatures fixture.
  failedTx = ledger.transfer(
    { source: merchantAta, destination: payerAta, authority: merchant, amount: 10n ** 15n },
    { feePayer: payer, allowFailure: true },
  )
  // The jupiter and blocto fixtures: a version-0 transaction with inner instructions (an ATA created by CPI).
  const third = ledger.signer('conformance-third')
  const thirdAta = ledger.associatedTokenAddress(third.address, created.mint)
  v0Tx = ledger.send(
    [
      computeUnitLimitInstruction(100_000),
      createAssociatedTokenAccountInstruction({
        payer,
        associatedAccount: thirdAta,
        owner: third.address,
        mint: created.mint,
        idempotent: true,
      }),
      transferCheckedInstruction({
        source: payerAta,
        mint: created.mint,
        destination: thirdAta,
        authority: payer,
        amount: 5_300_650n,
        decimals: 6,
      }),
      memoInstruction('route'),
    ],
    payer,
    { version: 0 },
  )
  ledger.advanceSlot()
  server = await startSolanaRpcServer(ledger)
})

afterAll(async () => {
  await server.close()
})

describe('shapeOf', () => {
  it('sees key sets, JSON types and merged array elements', () => {
    expect(shapeOf({ b: [1, null], a: 'x', c: [] })).toEqual({
      object: { a: 'string', b: { array: { anyOf: ['null', 'number'] } }, c: { array: 'empty' } },
    })
    expect(differences({ a: 1, b: { c: 'x' } }, { a: '1', b: { d: 'x' } })).toEqual([
      'a: mainnet string, devnet number',
      'b.c: only on devnet',
      'b.d: only on mainnet',
    ])
    expect(differences([{ k: 1 }, { k: 2, extra: true }], [{ k: 3 }])).toEqual(['[].extra: only on devnet'])
  })
})

describe('getTransaction jsonParsed vs mainnet', () => {
  it('matches the single-usdc transferChecked fixture (legacy, 2026)', async () => {
    const mainnet = at(
      fixture('explorer_getTransaction_jsonParsed_mainnet-single-usdc_4LXpF3MC.json'),
      'result',
    )
    const devnet = await getParsed(transferCheckedTx)
    expect(differences(without(devnet, ENVELOPE_SKIPS), without(mainnet, ENVELOPE_SKIPS))).toEqual([])

    const ours = instruction(devnet, parsedOfType('transferChecked'), 'transferChecked')
    const theirs = instruction(mainnet, parsedOfType('transferChecked'), 'transferChecked')
    expect(differences(ours, theirs)).toEqual([])
    expect(Object.keys(at(ours, 'parsed.info') as object)).toEqual(
      Object.keys(at(theirs, 'parsed.info') as object),
    )
    expect(
      differences(
        instruction(devnet, partiallyDecoded, 'ComputeBudget'),
        instruction(mainnet, partiallyDecoded, 'ComputeBudget'),
      ),
    ).toEqual([])
    // Mainnet's first instruction advances a durable nonce, which the devnet does not use.
    expect(at(mainnet, 'transaction.message.instructions.0.parsed.type')).toBe('advanceNonce')

    for (const list of ['preTokenBalances', 'postTokenBalances']) {
      expect(differences(tokenBalance(devnet, list, false), tokenBalance(mainnet, list, false))).toEqual([])
    }
    expect(at(devnet, 'meta.fee')).toBe(5000 + Math.ceil((10_000 * 2_408) / 1_000_000))
  })

  it('matches the multi-sol fixture (SOL transfers, 2026)', async () => {
    const mainnet = at(
      fixture('explorer_getTransaction_jsonParsed_mainnet-multi-sol_2msqMqeU.json'),
      'result',
    )
    const devnet = await getParsed(solTransferTx)
    expect(differences(without(devnet, ENVELOPE_SKIPS), without(mainnet, ENVELOPE_SKIPS))).toEqual([])
    const isTransfer = parsedOfType('transfer')
    expect(
      differences(instruction(devnet, isTransfer, 'transfer'), instruction(mainnet, isTransfer, 'transfer')),
    ).toEqual([])
    expect(
      differences(
        instruction(devnet, partiallyDecoded, 'ComputeBudget'),
        instruction(mainnet, partiallyDecoded, 'ComputeBudget'),
      ),
    ).toEqual([])
    expect(at(devnet, 'meta.preTokenBalances')).toEqual([])
    expect(at(devnet, 'meta.postTokenBalances')).toEqual([])
  })

  it('matches the jupiter v0 fixture with lookup tables and inner instructions (2024)', async () => {
    const mainnet = at(
      fixture('jup-instruction-parser_getTransaction_jsonParsed_v0-ALT_jupiter-swap_5SPdWfQr.json'),
      'result',
    )
    const devnet = await getParsed(v0Tx)
    expect(at(devnet, 'version')).toBe(0)
    expect(differences(without(devnet, ENVELOPE_SKIPS), without(mainnet, ENVELOPE_SKIPS))).toEqual(
      [
        // The devnet builds no address lookup tables, so a v0 message looks its accounts up in none.
        'transaction.message.addressTableLookups[]: empty on devnet',
        // Agave added costUnits (2025) and transactionIndex after this 2024 response was recorded.
        'meta.costUnits: only on devnet',
        'transactionIndex: only on devnet',
      ].sort(),
    )

    // Inner instructions: a parsed SPL Token instruction called by another program, at stack height 2.
    const innerInit = (r: unknown): unknown =>
      instruction(r, parsedOfType('initializeAccount3'), 'initializeAccount3')
    expect(differences(innerInit(devnet), innerInit(mainnet))).toEqual([])
    expect(at(innerInit(devnet), 'stackHeight')).toBe(2)
    // transferChecked runs at stack height 3 inside Jupiter's route; ours is top-level: same keys, same types.
    const transferChecked = (r: unknown): unknown =>
      instruction(r, parsedOfType('transferChecked'), 'transferChecked')
    expect(differences(transferChecked(devnet), transferChecked(mainnet))).toEqual([])
    // Top-level instructions printed stackHeight null in 2024; current nodes print 1 (see single-usdc above).
    const topLevelPartial = (r: unknown): unknown =>
      asArray(r, 'transaction.message.instructions').find((ix) => isRecord(ix) && partiallyDecoded(ix))
    expect(differences(topLevelPartial(devnet), topLevelPartial(mainnet))).toEqual([
      'stackHeight: mainnet null, devnet number',
    ])
    const sources = asArray(devnet, 'transaction.message.accountKeys').map((k) => at(k, 'source'))
    expect(new Set(sources)).toEqual(new Set(['transaction']))
    for (const list of ['preTokenBalances', 'postTokenBalances']) {
      expect(differences(tokenBalance(devnet, list, false), tokenBalance(mainnet, list, false))).toEqual([])
    }
  })

  it('matches the spl-burn fixture, a burn of a whole balance (result only, 2022)', async () => {
    const mainnet = fixture('solana-go_getParsedTransaction_result_spl-burn_2022.json')
    // solana-go asked without maxSupportedTransactionVersion, so neither side has `version`.
    const devnet = await rpc('getTransaction', [
      burnTx.signature,
      { encoding: 'jsonParsed', commitment: 'confirmed' },
    ])
    expect(differences(without(devnet, ENVELOPE_SKIPS), without(mainnet, ENVELOPE_SKIPS))).toEqual(
      [
        // 2022 nodes did not report these yet.
        'meta.computeUnitsConsumed: only on devnet',
        'meta.costUnits: only on devnet',
        'transactionIndex: only on devnet',
        // 2022 nodes printed loadedAddresses in jsonParsed too; current agave leaves it out there
        // (the parsed account keys carry `source` instead).
        'meta.loadedAddresses: only on mainnet',
        'transaction.message.accountKeys[].source: only on devnet',
        // solana-go's record carries `addressTableLookups: null` for a legacy message; agave omits the key.
        'transaction.message.addressTableLookups: only on mainnet',
      ].sort(),
    )
    const burn = (r: unknown): unknown => instruction(r, parsedOfType('burn'), 'burn')
    // 2022 responses had no stackHeight on instructions.
    expect(differences(burn(devnet), burn(mainnet))).toEqual(['stackHeight: only on devnet'])
    expect(Object.keys(at(burn(devnet), 'parsed.info') as object)).toEqual([
      'account',
      'amount',
      'authority',
      'mint',
    ])
    // The emptied account: uiAmount null after, as mainnet prints a zero balance.
    expect(
      differences(
        tokenBalance(devnet, 'postTokenBalances', true),
        tokenBalance(mainnet, 'postTokenBalances', true),
      ),
    ).toEqual([])
    expect(at(tokenBalance(devnet, 'postTokenBalances', true), 'uiTokenAmount')).toEqual({
      amount: '0',
      decimals: 6,
      uiAmount: null,
      uiAmountString: '0',
    })
    expect(
      differences(
        tokenBalance(devnet, 'preTokenBalances', false),
        tokenBalance(mainnet, 'preTokenBalances', false),
      ),
    ).toEqual([])
  })

  it('decodes transfer with the same type name and info keys as mainnet', async () => {
    const devnet = await getParsed(transferTx)
    const transfer = instruction(devnet, parsedOfType('transfer'), 'transfer')
    // No fixture holds an SPL `transfer`; agave parse_token.rs prints source, destination, amount (string), authority.
    expect(at(transfer, 'program')).toBe('spl-token')
    expect(Object.keys(at(transfer, 'parsed.info') as object)).toEqual([
      'amount',
      'authority',
      'destination',
      'source',
    ])
    expect(typeof at(transfer, 'parsed.info.amount')).toBe('string')
  })
})

describe('getSignaturesForAddress vs mainnet', () => {
  it('matches the 2021 entries, the failed one included', async () => {
    const mainnet = fixture('solana-go_getSignaturesForAddress_result_2021_first20.json')
    const withErr = fixture('solana-go_getSignaturesForAddress_result_2021_entries275-284_with-err.json')
    const devnet = asArray(
      await rpc('getSignaturesForAddress', [payer.address, { commitment: 'confirmed' }]),
      '',
    )
    const plain = devnet.find((e) => at(e, 'err') === null && at(e, 'memo') === null)
    expect(differences(plain, asArray(mainnet, '')[0])).toEqual([])
    expect(differences(devnet, mainnet)).toEqual([
      // Our page has a failed transaction (the fixture's first page has none: see its entries 275-284)...
      '[].err: mainnet null, devnet null|object',
      // ...and memos ("[len] text"); the 2021 page has none.
      '[].memo: mainnet null, devnet null|string',
    ])

    const failedMainnet = asArray(withErr, '').find((e) => at(e, 'err') !== null)
    const failedDevnet = devnet.find((e) => at(e, 'signature') === failedTx.signature)
    expect(differences(failedDevnet, failedMainnet)).toEqual([])
    expect(at(failedDevnet, 'err')).toEqual({ InstructionError: [0, { Custom: 1 }] })
    const memoEntry = devnet.find((e) => at(e, 'signature') === transferCheckedTx.signature)
    expect(at(memoEntry, 'memo')).toBe('[10] invoice 42')
  })
})

describe('getTransaction base64 vs the blocto v0 fixture', () => {
  it('matches the shape of a base64 version-0 response with loadedAddresses', async () => {
    const mainnet = at(
      fixture('blocto-sdk_getTransaction_base64_v0_loadedAddresses_likely-devnet.json'),
      'result',
    )
    const devnet = await rpc('getTransaction', [
      v0Tx.signature,
      { encoding: 'base64', commitment: 'confirmed', maxSupportedTransactionVersion: 0 },
    ])
    expect(differences(without(devnet, ENVELOPE_SKIPS), without(mainnet, ENVELOPE_SKIPS))).toEqual([
      'meta.costUnits: only on devnet',
      // No lookup tables on the devnet, so nothing is loaded through one.
      'meta.loadedAddresses.readonly[]: empty on devnet',
      'meta.loadedAddresses.writable[]: empty on devnet',
      'transactionIndex: only on devnet',
    ])
    expect(at(devnet, 'transaction.1')).toBe('base64')
    const wire = Buffer.from(String(at(devnet, 'transaction.0')), 'base64')
    expect(new Uint8Array(wire)).toEqual(v0Tx.wireTransaction)
    // One signature, then the message with the version-0 prefix.
    expect(wire[0]).toBe(1)
    expect(wire[65]).toBe(0x80)
    const fixtureWire = Buffer.from(String(at(mainnet, 'transaction.0')), 'base64')
    expect(fixtureWire[1 + 64 * (fixtureWire[0] ?? 0)]).toBe(0x80)
    for (const list of ['preTokenBalances', 'postTokenBalances']) {
      expect(differences(tokenBalance(devnet, list, false), tokenBalance(mainnet, list, false))).toEqual([])
    }
  })

  it('rejects an unknown encoding as agave does', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'getTransaction',
        params: [v0Tx.signature, { encoding: 'hex' }],
      }),
    })
    const body: unknown = await response.json()
    expect(at(body, 'error.code')).toBe(-32602)
    expect(String(at(body, 'error.message'))).toContain('unknown variant `hex`')
  })
})

describe('wire details', () => {
  it('prints u64 fields as JSON numbers, as mainnet does', async () => {
    const devnet = await getParsed(transferCheckedTx)
    for (const path of [
      'slot',
      'blockTime',
      'meta.fee',
      'meta.computeUnitsConsumed',
      'meta.costUnits',
      'meta.preBalances.0',
    ]) {
      expect(typeof at(devnet, path), path).toBe('number')
    }
    expect(typeof at(devnet, 'meta.preTokenBalances.0.uiTokenAmount.amount')).toBe('string')
  })

  it('asks for maxSupportedTransactionVersion before returning a v0 transaction', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'getTransaction',
        params: [v0Tx.signature, { commitment: 'confirmed' }],
      }),
    })
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32015,
        message:
          'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
      },
      id: 3,
    })
  })

  it('has the mint the transactions moved', () => {
    expect(ledger.getMint(mint)?.decimals).toBe(6)
  })
})
