import { describe, expect, it } from 'vitest'

import { TelemetryParseError } from '../../../ingest/telemetry/gpu-sample.js'
import { parsePrometheusApiJson } from '../../../ingest/telemetry/parsers/prometheus-api-json.js'
import { fixture } from '../../support/fixtures.js'

describe('parsePrometheusApiJson', () => {
  it('the /api/v1/query vector over 2 nodes x 8 H100 gives 16 readings', () => {
    const readings = parsePrometheusApiJson(
      fixture('gpu/prometheus/prom-api_query_DCGM_FI_DEV_POWER_USAGE_2x8xH100.json'),
    )
    expect(readings).toHaveLength(16)
    expect(new Set(readings.map((r) => r.hostname))).toEqual(new Set(['gpu-node-1', 'gpu-node-2']))
    expect(new Set(readings.map((r) => r.gpuUuid)).size).toBe(16)
    for (const r of readings) {
      expect(r.name).toBe('NVIDIA H100 80GB HBM3')
      expect(r.time?.getTime()).toBe(1773114089943)
      // only power was queried
      expect(r.utilizationPct).toBeNull()
      expect(r.temperatureC).toBeNull()
    }
    const byUuid = new Map(readings.map((r) => [r.gpuUuid, r]))
    expect(byUuid.get('GPU-c4529c8d-69c4-b61d-e0bc-7b2460096005')).toMatchObject({
      hostname: 'gpu-node-1',
      gpuIndex: 0,
      powerW: 113.611,
    })
    expect(byUuid.get('GPU-16b2cd36-9dbe-3ee7-0810-07b330e36e04')).toMatchObject({
      hostname: 'gpu-node-2',
      gpuIndex: 7,
      powerW: 69.523,
    })
    expect(byUuid.get('GPU-dbabb552-a092-0ca9-0580-8d4fe378eb02')?.powerW).toBe(68.61)
  })

  it('a matrix gives one reading per GPU per timestamp', () => {
    const body = {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', UUID: 'GPU-aaaaaaaa-0000-0000-0000-000000000001' },
            values: [
              [1700000000, '10'],
              [1700000015, '20'],
            ],
          },
        ],
      },
    }
    const readings = parsePrometheusApiJson(JSON.stringify(body))
    expect(readings.map((r) => [r.time?.getTime(), r.utilizationPct])).toEqual([
      [1700000000000, 10],
      [1700000015000, 20],
    ])
  })

  it('refuses a failed query, a scalar, an aggregated series, and the text format', () => {
    expect(() => parsePrometheusApiJson('{"status":"error","error":"bad_data: parse error"}')).toThrow(
      /did not succeed.*bad_data/,
    )
    expect(() =>
      parsePrometheusApiJson('{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}'),
    ).toThrow(/resultType 'scalar'/)
    const aggregated = {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1, '2'] }] },
    }
    expect(() => parsePrometheusApiJson(JSON.stringify(aggregated))).toThrow(/no __name__/)
    const text = (): unknown =>
      parsePrometheusApiJson(fixture('gpu/dcgm-exporter/l4_aws-kops_full-scrape.prom'))
    expect(text).toThrow(TelemetryParseError)
    expect(text).toThrow(/not JSON/)
  })
})
