/**
 * Issue #8, part 4: hostile requests to POST /ingest/v1/telemetry (signed batches, ingest/telemetry
 * batch.ts, validate.ts, signature.ts): arbitrary JSON, valid batches with a field removed, retyped,
 * out of range or added (re-signed, so that validation has to refuse them, or not, so that the
 * signature has to), forged and malformed signatures, replayed and older sequence numbers, random
 * bytes, wrong content types and encodings, deep nesting, huge arrays. Every answer is 200 or a 4xx
 * with the ingest's `{error, path, reason}`; never 5xx or leaked text; a refused request stores
 * nothing and is counted; nothing invalid is ever stored; a valid batch is still accepted after all.
 */
import { gzipSync } from 'node:zlib'
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { getBase58Decoder } from '@solana/kit'
import { Wallet } from 'ethers'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson, type TelemetryBatch, type UnsignedBatch } from '../../ingest/telemetry/batch.js'
import { MAX_GPUS_PER_BATCH, MAX_SAMPLES_PER_BATCH } from '../../ingest/telemetry/limits.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { h100Batch, secondsAgo, signingBytes, type TestKey } from '../telemetry/support.js'
import { probe, sendChecked, type IngestProbe } from './ingest-support.js'
import {
  deepNesting,
  hostileJson,
  hostileNumber,
  hostileString,
  SEED,
  show,
  tableCounts,
  type TableCounts,
} from './support.js'

const MAX_AGE_H = 24
const JSON_HEADERS = { 'content-type': 'application/json' }

let t: TestApp
let p: IngestProbe
let url: string
let before: TableCounts

beforeAll(async () => {
  // No rate limit in the way of the properties (429 is checked by test/telemetry).
  t = await startTestApp({
    PLUMB_INGEST_NODE_BURST: '1000000',
    PLUMB_INGEST_NODE_RATE: '1000000',
    PLUMB_INGEST_MAX_AGE_H: String(MAX_AGE_H),
  })
  p = probe(t, MAX_AGE_H)
  url = `${t.url}/ingest/v1/telemetry`
  before = await tableCounts(t.db.reader)
}, 120_000)
afterAll(() => t?.close())

// ---------------------------------------------------------------------------------------------
// Keys from generated seeds (reproducible), signed with other libraries than the server's

const base58 = (bytes: Uint8Array): string => getBase58Decoder().decode(bytes)

function keyOf(type: 'ed25519' | 'secp256k1', seed: Uint8Array): TestKey {
  if (type === 'ed25519') {
    const publicKey = base58(ed25519.getPublicKey(seed))
    return {
      keyType: 'ed25519',
      publicKey,
      keyFile: '',
      sign: async (message) => base58(ed25519.sign(message, seed)),
    }
  }
  const wallet = new Wallet(`0x${Buffer.from(seed).toString('hex')}`)
  return { keyType: 'secp256k1', publicKey: wallet.address, keyFile: '', sign: (m) => wallet.signMessage(m) }
}

const keyArb = fc
  .tuple(
    fc.constantFrom('ed25519' as const, 'secp256k1' as const),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
  )
  .filter(([, seed]) => secp256k1.utils.isValidSecretKey(seed))
  .map(([type, seed]) => keyOf(type, seed))

async function signed(batch: UnsignedBatch, key: TestKey): Promise<TelemetryBatch> {
  return { ...batch, signature: await key.sign(signingBytes(batch)) }
}

/** Each run signs for its own node: sequence numbers and key bindings of one run stay apart. */
let runs = 0
const nodeId = (): string => `hostile-node-${++runs}`

/** A valid batch of `samples` samples, seconds to minutes old, on 1 or 2 GPUs. */
function validBatch(key: TestKey, seq: number, samples: number, node = nodeId()): UnsignedBatch {
  const times = Array.from({ length: samples }, (_, i) => secondsAgo(20 + i * 10))
  return h100Batch(key, seq, times, undefined, node)
}

// ---------------------------------------------------------------------------------------------
// Mutations

type Json = Record<string, unknown>

/** Paths into a batch: top-level fields, fields of gpus[0], of samples[i]. */
const TOP = ['version', 'network', 'nodeId', 'keyType', 'publicKey', 'seq', 'intervalS', 'gpus', 'samples']
const GPU = ['uuid', 'index', 'name', 'pciDeviceId', 'memoryTotalMiB']
const SAMPLE = ['gpu', 'time', 'utilizationPct', 'memoryUsedMiB', 'powerW', 'temperatureC', 'jobId']

const pathArb: fc.Arbitrary<(string | number)[]> = fc.oneof(
  fc.constantFrom(...TOP).map((k) => [k]),
  fc.constantFrom(...GPU).map((k) => ['gpus', 0, k]),
  fc.tuple(fc.nat(2), fc.constantFrom(...SAMPLE)).map(([i, k]) => ['samples', i, k]),
)

/** Values out of what each field allows (and anything else). */
const outOfRange = fc.oneof(
  hostileNumber,
  fc.constantFrom(-1, 101, 130, -41, 151, 400, 3001, 4 * 1024 * 1024 + 1, 90_000, 0, 3601, 1024, 256, -0.5),
  fc.constantFrom(
    '2026-02-30T00:00:00Z',
    '2026-01-01T25:00:00Z',
    '1969-12-31T23:59:59Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    new Date(Date.now() + 3_600_000).toISOString(),
    new Date(Date.now() - (MAX_AGE_H + 1) * 3_600_000).toISOString(),
    new Date().toISOString().replace('Z', '+00:00'),
    'golem',
    'NVIDIA H100 80GB HBM3'.repeat(20),
    'GPU-\u0000',
    'gpu uuid with spaces',
    '10DE:2330',
    'x'.repeat(129),
  ),
)

type Mutation =
  | { kind: 'set'; path: (string | number)[]; value: unknown }
  | { kind: 'delete'; path: (string | number)[] }
  | { kind: 'add'; path: (string | number)[]; key: string; value: unknown }
  | { kind: 'dup'; path: ['gpus'] | ['samples'] }

/** Values of the right type that the checks past the schema refuse. */
const semanticArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'set', path: ['network'], value: 'golem' }),
  fc.constant<Mutation>({ kind: 'set', path: ['publicKey'], value: '0'.repeat(44) }),
  fc.constant<Mutation>({ kind: 'set', path: ['samples'], value: [] }),
  fc.constant<Mutation>({ kind: 'set', path: ['gpus'], value: [] }),
  fc.constant<Mutation>({ kind: 'set', path: ['samples', 0, 'memoryUsedMiB'], value: 90_000 }),
  fc.constant<Mutation>({ kind: 'set', path: ['samples', 0, 'gpu'], value: 1 }),
  fc.constant<Mutation>({ kind: 'dup', path: ['gpus'] }),
  // Text the TabSeparated insert (ingest/store/tsv.ts) has to escape, in the free-text fields.
  fc
    .tuple(
      fc.constantFrom<(string | number)[]>(['gpus', 0, 'name'], ['samples', 0, 'jobId']),
      fc.constantFrom(
        '\\N',
        'a\tb\nc\rd\\e',
        '\u0000',
        '\\',
        'x\\',
        '\\t',
        "'; DROP TABLE x; --",
        '\ud800',
        '🚀',
      ),
    )
    .map<Mutation>(([path, value]) => ({ kind: 'set', path, value })),
  fc.constant<Mutation>({ kind: 'dup', path: ['samples'] }),
  fc.integer({ min: 6, max: 10 ** 9 }).map<Mutation>((min) => ({
    kind: 'set',
    path: ['samples', 0, 'time'],
    value: new Date(Date.now() + min * 60_000).toISOString(),
  })),
  fc.integer({ min: MAX_AGE_H * 60 + 10, max: 10 ** 7 }).map<Mutation>((min) => ({
    kind: 'set',
    path: ['samples', 0, 'time'],
    value: new Date(Date.now() - min * 60_000).toISOString(),
  })),
)

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: semanticArb },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('set' as const), path: pathArb, value: outOfRange }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('set' as const), path: pathArb, value: hostileJson }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: pathArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      path: fc.constantFrom<(string | number)[]>([], ['gpus', 0], ['samples', 0]),
      key: fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', 'signature', 'Seq'), hostileString),
      value: hostileJson,
    }),
  },
)

/** A deep copy of `batch` with the mutation applied (JSON round trip: what goes on the wire). */
function mutate(batch: object, m: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(batch)) as Json
  const path = m.path
  let holder: unknown = copy
  for (const part of m.kind === 'add' ? path : path.slice(0, -1)) {
    holder = (holder as Record<string | number, unknown> | undefined)?.[part]
  }
  if (typeof holder !== 'object' || holder === null) return copy
  const h = holder as Record<string | number, unknown>
  const last = path.at(-1) as string | number
  if (m.kind === 'set') h[last] = m.value
  else if (m.kind === 'delete') delete h[last]
  else if (m.kind === 'dup') (h[last] as unknown[]).push((h[last] as unknown[])[0])
  else
    Object.defineProperty(h, m.key, { value: m.value, enumerable: true, configurable: true, writable: true })
  return copy
}

function unsignedOf(body: Json): Json {
  const { signature: _signature, ...rest } = body
  return rest
}

/** UTF-8 cannot hold a lone surrogate: what any store makes of one. */
const asUtf8 = (s: string): string => Buffer.from(s, 'utf8').toString('utf8')

/** The text fields of an accepted batch come back from ClickHouse as they were sent. */
async function expectStoredAsSent(batch: TelemetryBatch, what: string): Promise<void> {
  const result = await t.db.reader.query({
    query: `SELECT gpu_uuid, gpu_name, job_id, toUnixTimestamp64Milli(time) AS ms FROM telemetry_samples
            WHERE network = {network:String} AND node_id = {node:String} ORDER BY time, gpu_uuid`,
    query_params: { network: batch.network, node: batch.nodeId },
    format: 'JSONEachRow',
  })
  const stored = await result.json<{ gpu_uuid: string; gpu_name: string; job_id: string; ms: string }>()
  const sent = batch.samples
    .map((s) => {
      const gpu = batch.gpus[s.gpu]
      return {
        gpu_uuid: gpu?.uuid ?? '',
        gpu_name: asUtf8(gpu?.name ?? ''),
        job_id: asUtf8(s.jobId ?? ''),
        ms: String(Date.parse(s.time)),
      }
    })
    .sort((a, b) => Number(a.ms) - Number(b.ms) || a.gpu_uuid.localeCompare(b.gpu_uuid))
  expect(stored, what).toEqual(sent)
}

// ---------------------------------------------------------------------------------------------

describe('POST /ingest/v1/telemetry with hostile bodies', () => {
  it('arbitrary JSON: refused with a reason, nothing stored', async () => {
    const batchLike = fc.dictionary(fc.constantFrom(...TOP, 'signature', 'extra'), hostileJson, {
      maxKeys: 10,
    })
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileJson, batchLike), async (body) => {
        const answer = await sendChecked(p, url, JSON.stringify(body) ?? 'null', JSON_HEADERS, 'json')
        expect(answer.status, show(body)).not.toBe(200)
      }),
      { seed: SEED, numRuns: 60 },
    )
  })

  it('a valid batch mutated then re-signed: refused by validation, or valid and stored as sent', async () => {
    const reasons = new Set<string>()
    await fc.assert(
      fc.asyncProperty(keyArb, fc.integer({ min: 1, max: 3 }), mutationArb, async (key, n, m) => {
        const body = mutate(validBatch(key, 1, n), m)
        const resigned = {
          ...body,
          signature: await key.sign(Buffer.from(`plumb-telemetry-v1\n${canonicalJson(body)}`)),
        }
        const answer = await sendChecked(
          p,
          url,
          JSON.stringify(resigned),
          JSON_HEADERS,
          `re-signed ${show(m)}`,
        )
        reasons.add(answer.status === 200 ? 'accepted' : String(answer.body?.error))
      }),
      { seed: SEED, numRuns: 80 },
    )
    // The mutations reach the checks past the schema: many reasons, and some batches still valid.
    expect(reasons.size, [...reasons].join(', ')).toBeGreaterThanOrEqual(12)
  })

  it('free text the TabSeparated insert escapes (names, job ids) is stored as sent', async () => {
    const texts = ['\\N', 'a\tb\nc\rd\\e', '\u0000x', '\\', 'x\\', '\\t', '"\'`', '\ud800', '🚀 ñ']
    for (const [i, text] of texts.entries()) {
      const key = keyOf('ed25519', new Uint8Array(32).fill(100 + i))
      const batch = validBatch(key, 1, 2)
      const gpus = batch.gpus.map((g) => ({ ...g, name: `NVIDIA H100 80GB HBM3 ${text}` }))
      const samples = batch.samples.map((s) => ({ ...s, jobId: text }))
      const body = await signed({ ...batch, gpus, samples }, key)
      const answer = await sendChecked(p, url, JSON.stringify(body), JSON_HEADERS, `text ${show(text)}`)
      expect(answer.status, answer.text).toBe(200)
      await expectStoredAsSent(body, show(text))
    }
  })

  it('a signed batch tampered with after signing: never accepted (401, or 400 when invalid too)', async () => {
    await fc.assert(
      fc.asyncProperty(keyArb, fc.integer({ min: 1, max: 3 }), mutationArb, async (key, n, m) => {
        const batch = await signed(validBatch(key, 1, n), key)
        const body = mutate(batch, m)
        const same =
          'signature' in body &&
          (() => {
            try {
              return canonicalJson(unsignedOf(body)) === canonicalJson(unsignedOf(batch as unknown as Json))
            } catch {
              return false
            }
          })()
        const answer = await sendChecked(p, url, JSON.stringify(body), JSON_HEADERS, `tampered ${show(m)}`)
        // A mutation that leaves the signed bytes as they were (a key order, -0 for 0) is the same batch.
        if (!same) expect([400, 401, 413], `tampered ${show(m)}: ${answer.text}`).toContain(answer.status)
      }),
      { seed: SEED, numRuns: 60 },
    )
  })

  it('forged and malformed signatures: 401 (or 400 for a malformed one), nothing stored', async () => {
    type Forgery = { by: 'other' } | { text: string }
    const forgeryArb: fc.Arbitrary<Forgery> = fc.oneof(
      fc.constant({ by: 'other' as const }),
      hostileString.map((text) => ({ text })),
      fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => ({ text: base58(b) })),
      fc
        .uint8Array({ minLength: 65, maxLength: 65 })
        .map((b) => ({ text: `0x${Buffer.from(b).toString('hex')}` })),
      fc
        .constantFrom(`0x${'0'.repeat(130)}`, '1'.repeat(88), 'z'.repeat(64), `0x${'f'.repeat(130)}`)
        .map((text) => ({ text })),
    )
    await fc.assert(
      fc.asyncProperty(keyArb, keyArb, forgeryArb, async (key, other, forgery) => {
        const batch = validBatch(key, 1, 1)
        const signature = 'by' in forgery ? await other.sign(signingBytes(batch)) : forgery.text
        const body = JSON.stringify({ ...batch, signature })
        const answer = await sendChecked(p, url, body, JSON_HEADERS, `signature ${show(signature)}`)
        expect([400, 401], `${show(signature)}: ${answer.text}`).toContain(answer.status)
      }),
      { seed: SEED, numRuns: 30 },
    )
  })

  it('replayed and older sequence numbers: 409; another key for a bound node: 401; the next seq: 200', async () => {
    await fc.assert(
      fc.asyncProperty(
        keyArb,
        keyArb,
        fc.integer({ min: 2, max: Number.MAX_SAFE_INTEGER - 1 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        async (key, intruder, seq, olderSeed) => {
          const node = nodeId()
          const first = await signed(validBatch(key, seq, 1, node), key)
          const send = (b: object, what: string) => sendChecked(p, url, JSON.stringify(b), JSON_HEADERS, what)
          expect((await send(first, 'first')).status).toBe(200)
          expect(await send(first, 'replay')).toMatchObject({ status: 409, body: { error: 'duplicate' } })
          const older = 1 + (olderSeed % seq)
          const previous = await signed({ ...validBatch(key, older, 1, node) }, key)
          expect(await send(previous, `older ${older}`)).toMatchObject({
            status: 409,
            body: { error: older === seq ? 'duplicate' : 'seq_not_increasing' },
          })
          const stolen = await signed({ ...validBatch(intruder, seq + 1, 1, node) }, intruder)
          expect(await send(stolen, 'intruder')).toMatchObject({
            status: 401,
            body: { error: 'key_mismatch' },
          })
          const next = await signed(validBatch(key, seq + 1, 1, node), key)
          expect((await send(next, 'next')).status).toBe(200)
        },
      ),
      { seed: SEED, numRuns: 12 },
    )
  })

  it('random bytes, content types and encodings: refused with a reason, nothing stored', async () => {
    const key = keyOf('ed25519', new Uint8Array(32).fill(7))
    const valid = JSON.stringify(await signed(validBatch(key, 1, 1), key))
    const bodyArb = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      hostileString.map((s) => Buffer.from(s)),
      fc
        .constantFrom(
          deepNesting(100_000),
          `{"samples":${deepNesting(50_000)}}`,
          `{"gpus":[${deepNesting(20_000)}]}`,
          '{"version":1,"network":',
          '\ufeff{}',
          'null',
          '"string"',
          '123',
          '[]',
          '',
        )
        .map((s) => Buffer.from(s)),
      fc.constant(Buffer.from(valid.slice(0, valid.length - 5))),
      fc.constant(gzipSync(valid).subarray(0, 20)),
    )
    const headersArb = fc.record(
      {
        'content-type': fc.constantFrom(
          'application/json',
          'application/json; charset=utf-16',
          'application/json; charset=koi8-r',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          'application/jsonx',
          '',
        ),
        'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip'),
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(bodyArb, headersArb, async (body, headers) => {
        const answer = await sendChecked(p, url, body, headers, 'raw')
        expect(answer.status).not.toBe(200)
      }),
      { seed: SEED, numRuns: 50 },
    )
  })

  it('huge arrays and bodies: 413 or 400, nothing stored', async () => {
    const key = keyOf('secp256k1', new Uint8Array(32).fill(9))
    const base = validBatch(key, 1, 1)
    const sample = base.samples[0] as UnsignedBatch['samples'][0]
    const gpu = base.gpus[0] as UnsignedBatch['gpus'][0]
    const start = Date.now() - 3_600_000
    const manySamples = {
      ...base,
      samples: Array.from({ length: MAX_SAMPLES_PER_BATCH + 1 }, (_, i) => ({
        ...sample,
        time: new Date(start + i * 100).toISOString(),
      })),
    }
    const manyGpus = {
      ...base,
      gpus: Array.from({ length: MAX_GPUS_PER_BATCH + 1 }, (_, i) => ({
        ...gpu,
        uuid: `GPU-${i}`,
        index: i % 1024,
      })),
    }
    // Both are refused before the signature is looked at.
    const signature = `0x${'1'.repeat(130)}`
    for (const [what, body] of [
      ['samples', JSON.stringify({ ...manySamples, signature })],
      ['gpus', JSON.stringify({ ...manyGpus, signature })],
      ['8 MiB', JSON.stringify({ ...base, signature: 'x'.repeat(8 * 1024 * 1024) })],
      ['gzip bomb', gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))],
    ] as const) {
      const headers: Record<string, string> =
        what === 'gzip bomb' ? { ...JSON_HEADERS, 'content-encoding': 'gzip' } : JSON_HEADERS
      const answer = await sendChecked(p, url, body, headers, what)
      expect([400, 413], `${what}: ${answer.text.slice(0, 200)}`).toContain(answer.status)
    }
  })

  it('still accepts a valid batch afterwards, stored as sent', async () => {
    const key = keyOf('ed25519', new Uint8Array(32).fill(3))
    const batch = await signed(validBatch(key, 5, 3), key)
    const answer = await sendChecked(p, url, JSON.stringify(batch), JSON_HEADERS, 'valid')
    expect(answer).toMatchObject({ status: 200, body: { accepted: 3, seq: 5 } })
    expect(await p.invalidStored()).toBe(0)
  })

  it('touched no table but the telemetry ones (samples, nodes, rollups) and ingest_rejections', async () => {
    const untouched = (counts: TableCounts): TableCounts =>
      Object.fromEntries(
        Object.entries(counts).filter(([k]) => !k.startsWith('telemetry_') && k !== 'ingest_rejections'),
      )
    expect(untouched(await tableCounts(t.db.reader))).toEqual(untouched(before))
  })
})
