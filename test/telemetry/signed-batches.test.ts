import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UnsignedBatch } from '../../ingest/telemetry/batch.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import {
  count,
  ed25519Key,
  evmKey,
  h100Batch,
  post,
  rows,
  secondsAgo,
  signed,
  signingBytes,
  type Reply,
} from './support.js'

let t: TestApp
let ingest: TelemetryIngest
let url: string

beforeAll(async () => {
  // A small burst so that the 429 case is reachable; every other case uses its own node.
  t = await startTestApp({
    PLUMB_INGEST_NODE_BURST: '6',
    PLUMB_INGEST_NODE_RATE: '0.05',
    PLUMB_INGEST_MAX_AGE_H: '24',
  })
  ingest = t.app.get(TelemetryIngest)
  url = `${t.url}/ingest/v1/telemetry`
})
afterAll(() => t?.close())

const send = async (batch: object): Promise<Reply> => post(url, JSON.stringify(batch))

async function storedFor(nodeId: string): Promise<number> {
  await ingest.drain()
  return count(t.db.reader, 'SELECT count() AS n FROM telemetry_samples WHERE node_id = {node:String}', {
    node: nodeId,
  })
}

/** The rejection reaches ingest_rejections (written in the background, a batch a second). */
async function expectRejectionRow(
  nodeId: string,
  status: number,
  reason: string,
  path: string,
): Promise<void> {
  await expect
    .poll(
      () =>
        count(
          t.db.reader,
          `SELECT count() AS n FROM ingest_rejections
           WHERE endpoint = '/ingest/v1/telemetry' AND node_id = {node:String} AND status = {status:UInt16}
             AND reason = {reason:String} AND path = {path:String}`,
          { node: nodeId, status, reason, path },
        ),
      { timeout: 10_000, interval: 250 },
    )
    .toBe(1)
}

describe('valid signed batches', () => {
  it('ed25519 (Solana keypair): stored with provenance signed and the values sent', async () => {
    const key = ed25519Key()
    const times = [secondsAgo(30), secondsAgo(20)]
    const reply = await send(await signed(h100Batch(key, 1, times), key))
    expect(reply).toMatchObject({ status: 200, body: { accepted: 2, seq: 1 } })
    await ingest.drain()
    const stored = await rows<Record<string, unknown>>(
      t.db.reader,
      `SELECT network, node_id, gpu_uuid, toUnixTimestamp64Milli(time) AS ms, interval_s, gpu_model, gpu_name,
              vram_mib, utilization_pct, memory_used_mib, power_w, temperature_c, job_id, provenance, batch_id
       FROM telemetry_samples WHERE node_id = {node:String} ORDER BY time`,
      { node: key.publicKey },
    )
    expect(stored).toEqual(
      times.map((time) => ({
        network: 'nosana',
        node_id: key.publicKey,
        gpu_uuid: 'GPU-8b7f3c9e-0000-4a1b-9c2d-000000000001',
        ms: String(time.getTime()),
        interval_s: 10,
        gpu_model: 'h100-sxm-80gb',
        gpu_name: 'NVIDIA H100 80GB HBM3',
        vram_mib: 81559,
        utilization_pct: 97,
        memory_used_mib: 40000,
        power_w: 631.95,
        temperature_c: 59,
        job_id: '',
        provenance: 'signed',
        batch_id: '1',
      })),
    )
  })

  it('secp256k1 (EVM key, EIP-191): stored with provenance signed, node bound to the address', async () => {
    const key = evmKey()
    const time = secondsAgo(15)
    const batch: UnsignedBatch = {
      ...h100Batch(
        key,
        42,
        [time],
        { utilizationPct: 3.5, memoryUsedMiB: 0, powerW: 72.1, temperatureC: 31 },
        'evm-node-1',
      ),
      gpus: [
        {
          uuid: 'GPU-aaaa',
          index: 1,
          name: 'NVIDIA GeForce RTX 3090',
          pciDeviceId: null,
          memoryTotalMiB: 24576,
        },
      ],
    }
    expect((await send(await signed(batch, key))).status).toBe(200)
    await ingest.drain()
    const [row] = await rows<Record<string, unknown>>(
      t.db.reader,
      `SELECT gpu_model, gpu_name, utilization_pct, memory_used_mib, power_w, temperature_c, provenance, batch_id
       FROM telemetry_samples WHERE node_id = 'evm-node-1'`,
    )
    expect(row).toEqual({
      gpu_model: 'rtx-3090',
      gpu_name: 'NVIDIA GeForce RTX 3090',
      utilization_pct: 3.5,
      memory_used_mib: 0,
      power_w: 72.1,
      temperature_c: 31,
      provenance: 'signed',
      batch_id: '42',
    })
    const [node] = await rows<Record<string, unknown>>(
      t.db.reader,
      `SELECT key_type, public_key, last_seq FROM telemetry_nodes FINAL WHERE node_id = 'evm-node-1'`,
    )
    expect(node).toEqual({ key_type: 'secp256k1', public_key: key.publicKey.toLowerCase(), last_seq: '42' })
  })
})

describe('refused batches: status, reason, nothing stored, counted', () => {
  it('forged: signed by another key than the one it names → 401', async () => {
    const claimed = ed25519Key()
    const forger = ed25519Key()
    const batch = h100Batch(claimed, 1, [secondsAgo(10)])
    const reply = await send({ ...batch, signature: await forger.sign(signingBytes(batch)) })
    expect(reply).toMatchObject({ status: 401, body: { error: 'bad_signature', path: 'signature' } })
    expect(await storedFor(claimed.publicKey)).toBe(0)
    await expectRejectionRow(claimed.publicKey, 401, 'bad_signature', 'signature')
  })

  it('tampered: a value changed after signing → 401', async () => {
    const key = evmKey()
    const batch = await signed(h100Batch(key, 1, [secondsAgo(10)], undefined, 'tampered-node'), key)
    const sample = batch.samples[0]
    if (!sample) throw new Error('no sample')
    const reply = await send({ ...batch, samples: [{ ...sample, utilizationPct: 12 }] })
    expect(reply).toMatchObject({ status: 401, body: { error: 'bad_signature' } })
    expect(await storedFor('tampered-node')).toBe(0)
    await expectRejectionRow('tampered-node', 401, 'bad_signature', 'signature')
  })

  it('replayed: the same batch again → 409 duplicate; an older seq → 409 seq_not_increasing', async () => {
    const key = ed25519Key()
    const first = await signed(h100Batch(key, 100, [secondsAgo(40)]), key)
    const second = await signed(h100Batch(key, 200, [secondsAgo(30)]), key)
    const older = await signed(h100Batch(key, 150, [secondsAgo(35)]), key)
    expect((await send(first)).status).toBe(200)
    expect((await send(second)).status).toBe(200)
    expect(await send(second)).toMatchObject({
      status: 409,
      body: { error: 'duplicate', path: 'seq', lastSeq: 200 },
    })
    expect(await send(first)).toMatchObject({
      status: 409,
      body: { error: 'seq_not_increasing', lastSeq: 200 },
    })
    expect(await send(older)).toMatchObject({
      status: 409,
      body: { error: 'seq_not_increasing', lastSeq: 200 },
    })
    expect(await storedFor(key.publicKey)).toBe(2)
    await expectRejectionRow(key.publicKey, 409, 'duplicate', 'seq')
    await expect
      .poll(() =>
        count(
          t.db.reader,
          `SELECT count() AS n FROM ingest_rejections WHERE node_id = {n:String} AND reason = 'seq_not_increasing'`,
          {
            n: key.publicKey,
          },
        ),
      )
      .toBe(2)
  })

  it('another key for a node already bound to a key → 401 key_mismatch', async () => {
    const owner = ed25519Key()
    const intruder = ed25519Key()
    expect(
      (await send(await signed(h100Batch(owner, 1, [secondsAgo(20)], undefined, 'bound-node'), owner)))
        .status,
    ).toBe(200)
    const reply = await send(
      await signed(h100Batch(intruder, 2, [secondsAgo(10)], undefined, 'bound-node'), intruder),
    )
    expect(reply).toMatchObject({ status: 401, body: { error: 'key_mismatch', path: 'publicKey' } })
    expect(await storedFor('bound-node')).toBe(1)
    await expectRejectionRow('bound-node', 401, 'key_mismatch', 'publicKey')
  })

  it('oversized body (> 8 MiB) → 413 too_large, with the ingest’s JSON body', async () => {
    const key = ed25519Key()
    const batch = await signed(h100Batch(key, 1, [secondsAgo(10)]), key)
    const body = JSON.stringify({ ...batch, padding: 'x'.repeat(8 * 1024 * 1024) })
    const reply = await post(url, body)
    expect(reply.status).toBe(413)
    expect(reply.body).toEqual({
      error: 'too_large',
      path: '',
      reason: 'the body is larger than 8388608 bytes (after decompression)',
    })
    expect(await storedFor(key.publicKey)).toBe(0)
    await expect
      .poll(() =>
        count(
          t.db.reader,
          `SELECT count() AS n FROM ingest_rejections WHERE status = 413 AND reason = 'too_large'`,
        ),
      )
      .toBe(1)
  })

  it('more samples than a batch may hold (20000) → 413 too_many_samples', async () => {
    const key = ed25519Key()
    const base = secondsAgo(3 * 3600).getTime()
    const times = Array.from({ length: 20_001 }, (_, i) => new Date(base + i * 100))
    const reply = await send(await signed(h100Batch(key, 1, times), key))
    expect(reply).toMatchObject({ status: 413, body: { error: 'too_many_samples', path: 'samples' } })
    expect(await storedFor(key.publicKey)).toBe(0)
    await expectRejectionRow(key.publicKey, 413, 'too_many_samples', 'samples')
  })

  it('malformed JSON → 400 malformed_json', async () => {
    const reply = await post(url, '{"version":1,"network":')
    expect(reply).toMatchObject({ status: 400, body: { error: 'malformed_json', path: '' } })
    await expect
      .poll(() =>
        count(t.db.reader, `SELECT count() AS n FROM ingest_rejections WHERE reason = 'malformed_json'`),
      )
      .toBe(1)
  })

  const invalid: [string, (b: UnsignedBatch) => UnsignedBatch, string, string, RegExp][] = [
    [
      'utilisation above 100 %',
      (b) => ({ ...b, samples: b.samples.map((s) => ({ ...s, utilizationPct: 130 })) }),
      'out_of_range',
      'samples[0].utilizationPct',
      /must be between 0 and 100 %, got 130/,
    ],
    [
      'memory used above the GPU total',
      (b) => ({ ...b, samples: b.samples.map((s) => ({ ...s, memoryUsedMiB: 90_000 })) }),
      'memory_exceeds_total',
      'samples[0].memoryUsedMiB',
      /90000 MiB exceeds the GPU's total 81559 MiB/,
    ],
    [
      'temperature of 400 °C',
      (b) => ({ ...b, samples: b.samples.map((s) => ({ ...s, temperatureC: 400 })) }),
      'out_of_range',
      'samples[0].temperatureC',
      /between -40 and 150/,
    ],
    [
      'negative power',
      (b) => ({ ...b, samples: b.samples.map((s) => ({ ...s, powerW: -5 })) }),
      'out_of_range',
      'samples[0].powerW',
      /between 0 and 3000 W/,
    ],
    [
      'a sample an hour in the future',
      (b) => ({
        ...b,
        samples: [
          {
            ...(b.samples[0] as UnsignedBatch['samples'][0]),
            time: new Date(Date.now() + 3_600_000).toISOString(),
          },
        ],
      }),
      'time_in_future',
      'samples[0].time',
      /ahead of the server clock/,
    ],
    [
      'a sample older than PLUMB_INGEST_MAX_AGE_H (24 h)',
      (b) => ({
        ...b,
        samples: [
          { ...(b.samples[0] as UnsignedBatch['samples'][0]), time: secondsAgo(25 * 3600).toISOString() },
        ],
      }),
      'time_too_old',
      'samples[0].time',
      /older than 24 h/,
    ],
    [
      'a network not in the catalog',
      (b) => ({ ...b, network: 'golem' }),
      'unknown_network',
      'network',
      /not a network/,
    ],
    [
      'a sample pointing at no GPU',
      (b) => ({ ...b, samples: b.samples.map((s) => ({ ...s, gpu: 3 })) }),
      'unknown_gpu',
      'samples[0].gpu',
      /not an index of gpus/,
    ],
    [
      'a string where a number belongs',
      (b) => ({ ...b, intervalS: '10' as unknown as number }),
      'invalid_type',
      'intervalS',
      /expected number/,
    ],
    [
      'a missing field',
      (b) => {
        const { intervalS: _dropped, ...rest } = b
        return rest as UnsignedBatch
      },
      'missing_field',
      'intervalS',
      /required/,
    ],
    [
      'an unknown field',
      (b) => ({ ...b, extra: 1 }) as UnsignedBatch,
      'unknown_field',
      'extra',
      /not a field/,
    ],
  ]

  it.each(invalid)('%s → 400 %s', async (_what, change, error, path, reason) => {
    const key = ed25519Key()
    const reply = await send(await signed(change(h100Batch(key, 1, [secondsAgo(10)])), key))
    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({ error, path })
    expect(String(reply.body.reason)).toMatch(reason)
    expect(await storedFor(key.publicKey)).toBe(0)
    const network = error === 'unknown_network' ? 'golem' : 'nosana'
    await expect
      .poll(() =>
        count(
          t.db.reader,
          `SELECT count() AS n FROM ingest_rejections WHERE node_id = {n:String} AND network = {net:String}
             AND status = 400 AND reason = {e:String} AND path = {p:String}`,
          { n: key.publicKey, net: network, e: error, p: path },
        ),
      )
      .toBe(1)
  })

  it('a batch with one bad sample among good ones is refused whole', async () => {
    const key = ed25519Key()
    const batch = h100Batch(key, 1, [secondsAgo(30), secondsAgo(20), secondsAgo(10)])
    const samples = batch.samples.map((s, i) => (i === 2 ? { ...s, utilizationPct: 101 } : s))
    const reply = await send(await signed({ ...batch, samples }, key))
    expect(reply).toMatchObject({
      status: 400,
      body: { error: 'out_of_range', path: 'samples[2].utilizationPct' },
    })
    expect(await storedFor(key.publicKey)).toBe(0)
  })

  it('too many requests from one node → 429 with Retry-After', async () => {
    const key = ed25519Key()
    const statuses: number[] = []
    let limited: Reply | null = null
    for (let seq = 1; seq <= 8; seq++) {
      const reply = await send(await signed(h100Batch(key, seq, [secondsAgo(100 - seq)]), key))
      statuses.push(reply.status)
      if (reply.status === 429) limited ??= reply
    }
    // Burst of 6, refilled at 0.05/s: the 7th and 8th, sent within seconds, are refused.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429])
    expect(limited?.body).toMatchObject({ error: 'rate_limited' })
    expect(Number(limited?.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(await storedFor(key.publicKey)).toBe(6)
    await expect
      .poll(() =>
        count(
          t.db.reader,
          `SELECT count() AS n FROM ingest_rejections WHERE node_id = {n:String} AND status = 429`,
          {
            n: key.publicKey,
          },
        ),
      )
      .toBe(2)
  })

  it('keeps an in-process count of every rejection by reason', async () => {
    const res = await fetch(`${t.url}/ingest/v1/stats`)
    const stats = (await res.json()) as {
      rejected: { endpoint: string; status: number; reason: string; count: number }[]
    }
    const byReason = (reason: string): number =>
      stats.rejected.filter((r) => r.reason === reason).reduce((n, r) => n + r.count, 0)
    expect(byReason('bad_signature')).toBe(2)
    expect(byReason('seq_not_increasing')).toBe(2)
    expect(byReason('too_large')).toBe(1)
    expect(byReason('rate_limited')).toBe(2)
  })
})
