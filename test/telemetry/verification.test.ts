import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListingRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import type { UnsignedBatch } from '../../ingest/telemetry/batch.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { nodeVerification } from '../../ingest/telemetry/verification.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { ed25519Key, evmKey, h100Batch, post, secondsAgo, signed, type TestKey } from './support.js'

const TOKEN = 'verify-token-0123456789abcdef'
let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ PLUMB_INGEST_TOKENS: `${TOKEN}=nosana:node-d` })
})
afterAll(() => t?.close())

function listing(
  nodeId: string,
  gpuModel: string,
  gpuCount: number,
  observedAt = '2026-11-01 00:00:00',
): ListingRow {
  return {
    network: 'nosana',
    node_id: nodeId,
    observed_at: observedAt,
    listed_at: '2026-10-01 00:00:00',
    gpu_model: gpuModel,
    gpu_count: gpuCount,
    region: 'eu',
    source: 'explorer',
  }
}

/** A signed batch from `nodeId` with one sample per GPU named in `names`. */
async function sendSigned(
  key: TestKey,
  nodeId: string,
  names: string[],
  time = secondsAgo(30),
): Promise<void> {
  const base = h100Batch(key, 1, [time], undefined, nodeId)
  const batch: UnsignedBatch = {
    ...base,
    gpus: names.map((name, i) => ({
      uuid: `GPU-${nodeId}-${i}`,
      index: i,
      name,
      pciDeviceId: null,
      memoryTotalMiB: 24_576,
    })),
    samples: names.map((_, i) => ({
      ...(base.samples[0] as UnsignedBatch['samples'][0]),
      gpu: i,
      memoryUsedMiB: 1000,
    })),
  }
  const reply = await post(`${t.url}/ingest/v1/telemetry`, JSON.stringify(await signed(batch, key)))
  expect(reply.status).toBe(200)
}

describe('node verification: listings against signed telemetry, canonical models on both sides', () => {
  it('classifies each listed node as verified, mismatch (with both models) or unverified', async () => {
    await sendSigned(ed25519Key(), 'node-a', ['NVIDIA H100 80GB HBM3', 'NVIDIA H100 80GB HBM3'])
    const bTime = secondsAgo(45)
    await sendSigned(evmKey(), 'node-b', ['NVIDIA GeForce RTX 3090'], bTime)
    await sendSigned(ed25519Key(), 'node-f', ['NVIDIA H100 80GB HBM3'])
    await sendSigned(ed25519Key(), 'node-g', ['NVIDIA GeForce RTX 4090'])
    await sendSigned(ed25519Key(), 'node-h', ['Some Future GPU 9000'])
    // node-d reports through a token (provenance reported): not evidence of its key.
    const prom = `DCGM_FI_DEV_GPU_UTIL{UUID="GPU-d-0",modelName="NVIDIA H100 80GB HBM3"} 50\n`
    expect(
      (
        await post(`${t.url}/ingest/v1/prometheus`, prom, {
          'content-type': 'text/plain',
          authorization: `Bearer ${TOKEN}`,
        })
      ).status,
    ).toBe(200)
    await t.app.get(TelemetryIngest).drain()

    await new Store(t.db.writer).insert('listings', [
      listing('node-a', 'h100-sxm-80gb', 2),
      // node-b first listed what it runs, then claimed an H100: the latest claim counts.
      listing('node-b', 'rtx-3090', 1, '2026-10-15 00:00:00'),
      listing('node-b', 'NVIDIA H100 80GB HBM3', 1, '2026-11-01 00:00:00'),
      listing('node-d', 'h100-sxm-80gb', 1),
      listing('node-e', 'a100-sxm-80gb', 4),
      // 'H100 80GB' does not say SXM or PCIe: no single model.
      listing('node-f', 'H100 80GB', 1),
      listing('node-g', 'NVIDIA GeForce RTX 4090', 1),
      listing('node-h', 'h100-sxm-80gb', 1),
    ])

    const result = await nodeVerification(t.db.reader, 'nosana')
    expect(
      result.map(({ nodeId, listedModel, listedCount, signedModels, signedGpus, status, reason }) => ({
        nodeId,
        listedModel,
        listedCount,
        signedModels,
        signedGpus,
        status,
        reason,
      })),
    ).toEqual([
      {
        nodeId: 'node-a',
        listedModel: 'h100-sxm-80gb',
        listedCount: 2,
        signedModels: ['h100-sxm-80gb'],
        signedGpus: 2,
        status: 'verified',
        reason: 'models_match',
      },
      {
        nodeId: 'node-b',
        listedModel: 'h100-sxm-80gb',
        listedCount: 1,
        signedModels: ['rtx-3090'],
        signedGpus: 1,
        status: 'mismatch',
        reason: 'model_differs',
      },
      {
        nodeId: 'node-d',
        listedModel: 'h100-sxm-80gb',
        listedCount: 1,
        signedModels: [],
        signedGpus: 0,
        status: 'unverified',
        reason: 'no_signed_telemetry',
      },
      {
        nodeId: 'node-e',
        listedModel: 'a100-sxm-80gb',
        listedCount: 4,
        signedModels: [],
        signedGpus: 0,
        status: 'unverified',
        reason: 'no_signed_telemetry',
      },
      {
        nodeId: 'node-f',
        listedModel: null,
        listedCount: 1,
        signedModels: ['h100-sxm-80gb'],
        signedGpus: 1,
        status: 'unverified',
        reason: 'listed_model_unknown',
      },
      {
        nodeId: 'node-g',
        listedModel: 'rtx-4090',
        listedCount: 1,
        signedModels: ['rtx-4090'],
        signedGpus: 1,
        status: 'verified',
        reason: 'models_match',
      },
      {
        nodeId: 'node-h',
        listedModel: 'h100-sxm-80gb',
        listedCount: 1,
        signedModels: ['unknown'],
        signedGpus: 1,
        status: 'unverified',
        reason: 'signed_model_unknown',
      },
    ])
    const b = result.find((r) => r.nodeId === 'node-b')
    expect(b?.listedName).toBe('NVIDIA H100 80GB HBM3')
    expect(b?.lastSignedAt).toEqual(bTime)
  })

  it('returns nothing for a network without listings', async () => {
    expect(await nodeVerification(t.db.reader, 'render')).toEqual([])
  })
})
