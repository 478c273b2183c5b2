import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { count, fixture, post, rows } from './support.js'

const PROM_TOKEN = 'prom-token-0123456789abcdef'
const OTEL_TOKEN = 'otel-token-0123456789abcdef'

let t: TestApp
let ingest: TelemetryIngest

beforeAll(async () => {
  t = await startTestApp({
    PLUMB_INGEST_TOKENS: `${PROM_TOKEN}=akash:prom-node, ${OTEL_TOKEN}=ionet:otel-node`,
    PLUMB_INGEST_NODE_BURST: '100',
  })
  ingest = t.app.get(TelemetryIngest)
})
afterAll(() => t?.close())

const promHeaders = (token = PROM_TOKEN): Record<string, string> => ({
  'content-type': 'text/plain; version=0.0.4',
  authorization: `Bearer ${token}`,
})

interface Stored {
  network: string
  node_id: string
  gpu_uuid: string
  gpu_model: string
  gpu_name: string
  interval_s: number
  vram_mib: number | null
  utilization_pct: number | null
  memory_used_mib: number | null
  power_w: number | null
  temperature_c: number | null
  provenance: string
  ms: string
}

async function storedRows(where: string, params: Record<string, unknown> = {}): Promise<Stored[]> {
  await ingest.drain()
  return rows<Stored>(
    t.db.reader,
    `SELECT network, node_id, gpu_uuid, gpu_model, gpu_name, interval_s, vram_mib, utilization_pct, memory_used_mib,
            power_w, temperature_c, provenance, toUnixTimestamp64Milli(time) AS ms
     FROM telemetry_samples WHERE ${where} ORDER BY gpu_uuid, time`,
    params,
  )
}

async function rejections(endpoint: string, reason: string): Promise<number> {
  return count(
    t.db.reader,
    'SELECT count() AS n FROM ingest_rejections WHERE endpoint = {e:String} AND reason = {r:String}',
    {
      e: endpoint,
      r: reason,
    },
  )
}

describe('POST /ingest/v1/prometheus (token → node, provenance reported)', () => {
  const url = (): string => `${t.url}/ingest/v1/prometheus`

  it('stores a dcgm-exporter scrape (L40S) with the values it holds, timed on receipt', async () => {
    const before = Date.now()
    const reply = await post(url(), fixture('gpu/dcgm-exporter/l40s_upcloud_full-scrape.prom'), promHeaders())
    const after = Date.now()
    expect(reply).toMatchObject({ status: 200, body: { accepted: 1 } })
    const [row] = await storedRows(`gpu_uuid = 'GPU-5b4e07f6-3a86-4340-039d-25f2a83cdc43'`)
    expect(row).toMatchObject({
      network: 'akash',
      node_id: 'prom-node',
      gpu_model: 'l40s-48gb',
      gpu_name: 'NVIDIA L40S',
      interval_s: 30,
      // FB_USED 0 + FB_FREE 45459 + FB_RESERVED 608
      vram_mib: 46067,
      utilization_pct: 0,
      memory_used_mib: 0,
      // 35.686 W in the scrape, stored to 0.01 W
      power_w: 35.69,
      temperature_c: 32,
      provenance: 'reported',
    })
    expect(Number(row?.ms)).toBeGreaterThanOrEqual(before)
    expect(Number(row?.ms)).toBeLessThanOrEqual(after)
  })

  it('stores the L4 scrape with ?interval=15, and the vGPU guest without power or temperature', async () => {
    expect(
      (
        await post(
          `${url()}?interval=15`,
          fixture('gpu/dcgm-exporter/l4_aws-kops_full-scrape.prom'),
          promHeaders(),
        )
      ).status,
    ).toBe(200)
    expect(
      (await post(url(), fixture('gpu/dcgm-exporter/grid-a100-40c_vgpu_vks_scrape.prom'), promHeaders()))
        .status,
    ).toBe(200)
    const stored = await storedRows(
      `gpu_uuid IN ('GPU-c2f76b33-7953-256e-8f33-1343419b1a1c', 'GPU-0946f70c-659b-4c39-8b78-7e7600000000')`,
    )
    expect(stored.map(({ ms: _ms, ...r }) => r)).toEqual([
      {
        network: 'akash',
        node_id: 'prom-node',
        gpu_uuid: 'GPU-0946f70c-659b-4c39-8b78-7e7600000000',
        gpu_model: 'a100-pcie-40gb',
        gpu_name: 'GRID A100-40C',
        interval_s: 30,
        vram_mib: 0 + 37739 + 3220,
        utilization_pct: 0,
        memory_used_mib: 0,
        power_w: null,
        temperature_c: null,
        provenance: 'reported',
      },
      {
        network: 'akash',
        node_id: 'prom-node',
        gpu_uuid: 'GPU-c2f76b33-7953-256e-8f33-1343419b1a1c',
        gpu_model: 'l4-24gb',
        gpu_name: 'NVIDIA L4',
        interval_s: 15,
        vram_mib: 0 + 22563 + 470,
        utilization_pct: 0,
        memory_used_mib: 0,
        power_w: 16.37,
        temperature_c: 31,
        provenance: 'reported',
      },
    ])
  })

  it('stores all eight GPUs of the 8x H100 scrape (cut off mid-way)', async () => {
    const reply = await post(
      url(),
      fixture('gpu/dcgm-exporter/h100x8_aicr_sampled_pod-attribution.prom'),
      promHeaders(),
    )
    expect(reply).toMatchObject({ status: 200, body: { accepted: 8 } })
    const stored = await storedRows(`gpu_name = 'NVIDIA H100 80GB HBM3' AND node_id = 'prom-node'`)
    // Temperatures, and power as scraped (113.611 W ...) to 0.01 W.
    const expected: Record<string, [number, number]> = {
      'GPU-c4529c8d-69c4-b61d-e0bc-7b2460096005': [30, 113.61],
      'GPU-bc5610b9-79c8-fedd-8899-07539c7f868a': [29, 68.35],
      'GPU-fbc2c554-4d37-8938-0032-f923bad0f716': [26, 65.71],
      'GPU-a65a773d-52bb-bcc1-a8ee-f78c3faa2e2d': [29, 67.32],
      'GPU-82e45d1b-1618-559f-144c-eab51545030b': [28, 68.72],
      'GPU-39e28159-8c62-ee71-64db-b748edd61e15': [26, 65.74],
      'GPU-e64d69ca-b4b3-59b2-e78c-94f26c4db365': [28, 67.33],
      'GPU-04d228d3-3b5a-3534-f5cf-969706647d56': [26, 67],
    }
    expect(Object.fromEntries(stored.map((r) => [r.gpu_uuid, [r.temperature_c, r.power_w]]))).toEqual(
      expected,
    )
    expect(new Set(stored.map((r) => r.gpu_model))).toEqual(new Set(['h100-sxm-80gb']))
    expect(stored.every((r) => r.memory_used_mib === null && r.utilization_pct === 0)).toBe(true)
  })

  it('stores an nvidia_gpu_exporter scrape (bytes and ratios converted)', async () => {
    const reply = await post(
      url(),
      fixture('gpu/prometheus/nvidia_gpu_exporter_h100-sxm_load.prom'),
      promHeaders(),
    )
    expect(reply.status).toBe(200)
    const [row] = await storedRows(
      `gpu_uuid = 'GPU-00000000-0000-0000-0000-000000000000' AND node_id = 'prom-node'`,
    )
    expect(row).toMatchObject({
      gpu_model: 'h100-sxm-80gb',
      utilization_pct: 100,
      memory_used_mib: 19818,
      vram_mib: 81559,
      power_w: 631.95,
      temperature_c: 59,
      provenance: 'reported',
    })
  })

  it('refuses, stores nothing, and counts: no token, unknown token, not text, bad line, out of range', async () => {
    const text = fixture('gpu/dcgm-exporter/l40s_upcloud_full-scrape.prom')
    const cases: [Record<string, string>, string, number, string, string][] = [
      [{ 'content-type': 'text/plain' }, text, 401, 'unauthorized', ''],
      [promHeaders('not-a-known-token-0000'), text, 401, 'unauthorized', ''],
      [
        { ...promHeaders(), 'content-type': 'application/x-www-form-urlencoded' },
        text,
        415,
        'unsupported_media_type',
        '',
      ],
      [
        promHeaders(),
        'DCGM_FI_DEV_GPU_TEMP{UUID="GPU-1"} 40\nDCGM_FI_DEV_GPU_TEMP{UUID=} 41\n',
        400,
        'parse_error',
        'line 2',
      ],
      [
        promHeaders(),
        'DCGM_FI_DEV_GPU_TEMP{UUID="GPU-hot",modelName="NVIDIA L4"} 400\n',
        400,
        'out_of_range',
        'readings[0].temperatureC',
      ],
      [promHeaders(), 'node_load1 0.5\n', 400, 'no_gpu_readings', ''],
    ]
    for (const [headers, body, status, error, path] of cases) {
      const reply = await post(`${t.url}/ingest/v1/prometheus`, body, headers)
      expect({ status: reply.status, error: reply.body.error, path: reply.body.path }).toEqual({
        status,
        error,
        path,
      })
    }
    expect(await storedRows(`gpu_uuid IN ('GPU-1', 'GPU-hot')`)).toEqual([])
    await expect.poll(() => rejections('/ingest/v1/prometheus', 'unauthorized')).toBe(2)
    for (const reason of ['unsupported_media_type', 'parse_error', 'out_of_range', 'no_gpu_readings']) {
      await expect.poll(() => rejections('/ingest/v1/prometheus', reason)).toBe(1)
    }
  })
})

describe('POST /v1/metrics (OTLP/HTTP JSON, as the collector’s otlphttp exporter sends it)', () => {
  const url = (): string => `${t.url}/v1/metrics`
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${OTEL_TOKEN}` }
  const atNs = (ms: number): string => `${ms}000000`

  function gauge(name: string, value: { asInt: string } | { asDouble: number }, ms: number): object {
    return {
      name,
      gauge: {
        dataPoints: [
          {
            ...value,
            timeUnixNano: atNs(ms),
            attributes: [
              { key: 'UUID', value: { stringValue: 'GPU-0ae1c0de-5a5a-4b4b-8c8c-000000000042' } },
              { key: 'modelName', value: { stringValue: 'NVIDIA A100-SXM4-80GB' } },
            ],
          },
        ],
      },
    }
  }

  function request(ms: number, util: number): object {
    return {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'host.name', value: { stringValue: 'gpu-node-7' } }] },
          scopeMetrics: [
            {
              scope: { name: 'otelcol/prometheusreceiver' },
              metrics: [
                gauge('DCGM_FI_DEV_GPU_UTIL', { asInt: String(util) }, ms),
                gauge('DCGM_FI_DEV_FB_USED', { asInt: '40960' }, ms),
                gauge('DCGM_FI_DEV_FB_FREE', { asInt: '40000' }, ms),
                gauge('DCGM_FI_DEV_POWER_USAGE', { asDouble: 301.5 }, ms),
                gauge('DCGM_FI_DEV_GPU_TEMP', { asInt: '66' }, ms),
              ],
            },
          ],
        },
      ],
    }
  }

  it('stores GPU gauges with their timestamps; gzip bodies (the exporter’s default) too', async () => {
    const t1 = Date.now() - 20_000
    const t2 = Date.now() - 5_000
    expect(await post(`${url()}?interval=10`, JSON.stringify(request(t1, 88)), headers)).toMatchObject({
      status: 200,
      body: {},
    })
    const gz = gzipSync(JSON.stringify(request(t2, 91)))
    expect((await post(`${url()}?interval=10`, gz, { ...headers, 'content-encoding': 'gzip' })).status).toBe(
      200,
    )
    const stored = await storedRows(`node_id = 'otel-node'`)
    expect(stored.map((r) => ({ ...r, ms: Number(r.ms) }))).toEqual(
      [
        [t1, 88],
        [t2, 91],
      ].map(([ms, util]) => ({
        network: 'ionet',
        node_id: 'otel-node',
        gpu_uuid: 'GPU-0ae1c0de-5a5a-4b4b-8c8c-000000000042',
        gpu_model: 'a100-sxm-80gb',
        gpu_name: 'NVIDIA A100-SXM4-80GB',
        interval_s: 10,
        vram_mib: 80960,
        utilization_pct: util,
        memory_used_mib: 40960,
        power_w: 301.5,
        temperature_c: 66,
        provenance: 'reported',
        ms,
      })),
    )
  })

  it('accepts a payload without GPU metrics (the specification’s example) and stores nothing', async () => {
    const reply = await post(
      url(),
      fixture('gpu/otlp/HAND-WRITTEN_opentelemetry-proto_examples_metrics.json'),
      headers,
    )
    expect(reply).toMatchObject({ status: 200, body: {} })
    expect(
      await count(t.db.reader, `SELECT count() AS n FROM telemetry_samples WHERE network = 'ionet'`),
    ).toBe(2)
  })

  it('answers protobuf with 415 and the reason, a missing token with 401', async () => {
    const proto = await post(url(), Buffer.from([0x0a, 0x00]), {
      ...headers,
      'content-type': 'application/x-protobuf',
    })
    expect(proto.status).toBe(415)
    expect(proto.body).toMatchObject({ error: 'protobuf_unsupported' })
    expect(String(proto.body.reason)).toMatch(/encoding: json/)
    const anonymous = await post(url(), JSON.stringify(request(Date.now(), 1)), {
      'content-type': 'application/json',
    })
    expect(anonymous).toMatchObject({ status: 401, body: { error: 'unauthorized' } })
    await expect.poll(() => rejections('/v1/metrics', 'protobuf_unsupported')).toBe(1)
    await expect.poll(() => rejections('/v1/metrics', 'unauthorized')).toBe(1)
  })
})
