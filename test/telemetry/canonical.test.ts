import { describe, expect, it } from 'vitest'
import {
  batchSchema,
  canonicalJson,
  canonicalJsonOfValid,
  signingBytes,
  signingBytesOfValid,
  type TelemetryBatch,
  type UnsignedBatch,
} from '../../ingest/telemetry/batch.js'

const batch: UnsignedBatch = {
  version: 1,
  network: 'nosana',
  nodeId: 'n1',
  keyType: 'ed25519',
  publicKey: '11111111111111111111111111111111',
  seq: 7,
  intervalS: 10,
  gpus: [{ uuid: 'GPU-1', index: 0, name: 'NVIDIA L4', pciDeviceId: null, memoryTotalMiB: 23034 }],
  samples: [
    {
      gpu: 0,
      time: '2026-11-21T10:00:00.000Z',
      utilizationPct: 12.5,
      memoryUsedMiB: 100,
      powerW: 70.25,
      temperatureC: 40,
      jobId: null,
    },
  ],
}

// Written out by hand from the specification in ingest/telemetry/README.md.
const EXPECTED =
  'plumb-telemetry-v1\n' +
  '{"gpus":[{"index":0,"memoryTotalMiB":23034,"name":"NVIDIA L4","pciDeviceId":null,"uuid":"GPU-1"}],' +
  '"intervalS":10,"keyType":"ed25519","network":"nosana","nodeId":"n1",' +
  '"publicKey":"11111111111111111111111111111111",' +
  '"samples":[{"gpu":0,"jobId":null,"memoryUsedMiB":100,"powerW":70.25,"temperatureC":40,' +
  '"time":"2026-11-21T10:00:00.000Z","utilizationPct":12.5}],"seq":7,"version":1}'

describe('canonical signing bytes', () => {
  it('are the domain tag and the JSON with sorted keys, no whitespace, without the signature', () => {
    expect(signingBytes(batch).toString('utf8')).toBe(EXPECTED)
    expect(signingBytes({ ...batch, signature: 'x'.repeat(88) }).toString('utf8')).toBe(EXPECTED)
  })

  it('do not depend on the order the sender wrote the keys in (as parsed by the server)', () => {
    const reordered = JSON.parse(
      '{"signature":"' +
        'x'.repeat(88) +
        '","samples":[{"utilizationPct":12.5,"time":"2026-11-21T10:00:00.000Z","temperatureC":40,' +
        '"powerW":70.25,"memoryUsedMiB":100,"jobId":null,"gpu":0}],"seq":7,"publicKey":"11111111111111111111111111111111",' +
        '"nodeId":"n1","network":"nosana","keyType":"ed25519","intervalS":10,' +
        '"gpus":[{"uuid":"GPU-1","pciDeviceId":null,"name":"NVIDIA L4","memoryTotalMiB":23034,"index":0}],"version":1}',
    ) as unknown
    const valid = batchSchema.parse(reordered)
    expect(signingBytesOfValid(valid).toString('utf8')).toBe(EXPECTED)
  })

  it('escape strings and write numbers as JSON.stringify does (RFC 8785 for these values)', () => {
    expect(canonicalJson({ b: 'é"\n', a: [1e21, 0.1, -0, 5e-7] })).toBe(
      '{"a":[1e+21,0.1,0,5e-7],"b":"é\\"\\n"}',
    )
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/)
  })

  it('written field by field on the ingest path, equal the generic canonical form for every field', () => {
    const odd: TelemetryBatch = {
      ...batch,
      nodeId: 'node-"1"\\',
      gpus: [
        {
          uuid: 'GPU-a',
          index: null,
          name: 'NVIDIA “H100” 80GB\u0001',
          pciDeviceId: '10de:2330',
          memoryTotalMiB: 81559.5,
        },
        { uuid: 'GPU-b', index: 7, name: '', pciDeviceId: null, memoryTotalMiB: null },
      ],
      samples: [
        {
          gpu: 1,
          time: '2026-11-21T10:00:00Z',
          utilizationPct: null,
          memoryUsedMiB: null,
          powerW: null,
          temperatureC: -5,
          jobId: 'job\n1',
        },
        {
          gpu: 0,
          time: '2026-11-21T10:00:00.5Z',
          utilizationPct: 0.1,
          memoryUsedMiB: 1e-7,
          powerW: 1000,
          temperatureC: null,
          jobId: null,
        },
      ],
      signature: 'x'.repeat(88),
    }
    const parsed = batchSchema.parse(odd)
    const { signature: _s, ...unsigned } = parsed
    expect(canonicalJsonOfValid(parsed)).toBe(canonicalJson(unsigned))
    expect(Object.keys(batchSchema.shape).sort()).toEqual([
      'gpus',
      'intervalS',
      'keyType',
      'network',
      'nodeId',
      'publicKey',
      'samples',
      'seq',
      'signature',
      'version',
    ])
  })
})
