import { describe, expect, it } from 'vitest'

import { TelemetryParseError } from '../../../ingest/telemetry/gpu-sample.js'
import { parseOtlpJson } from '../../../ingest/telemetry/parsers/otlp-json.js'
import { fixture } from '../../support/fixtures.js'

const UUID_A = 'GPU-aaaaaaaa-0000-0000-0000-000000000001'
const UUID_B = 'GPU-bbbbbbbb-0000-0000-0000-000000000002'

const str = (key: string, value: string): object => ({ key, value: { stringValue: value } })

describe('parseOtlpJson', () => {
  it("the specification's example parses and holds no GPU metric", () => {
    const text = fixture('gpu/otlp/HAND-WRITTEN_opentelemetry-proto_examples_metrics.json')
    expect(parseOtlpJson(text)).toEqual([])
  })

  it('dcgm names from the prometheus receiver, one reading per GPU and time', () => {
    const t = '1773114089943000000'
    const point = (uuid: string, gpu: string, value: Record<string, unknown>): object => ({
      ...value,
      timeUnixNano: t,
      attributes: [str('UUID', uuid), str('gpu', gpu), str('modelName', 'NVIDIA H100 80GB HBM3')],
    })
    const payload = {
      resourceMetrics: [
        {
          resource: { attributes: [str('Hostname', 'gpu-node-1'), str('service.name', 'dcgm')] },
          scopeMetrics: [
            {
              scope: { name: 'otelcol/prometheusreceiver' },
              metrics: [
                {
                  name: 'DCGM_FI_DEV_GPU_UTIL',
                  gauge: {
                    dataPoints: [point(UUID_A, '0', { asInt: '87' }), point(UUID_B, '1', { asInt: 3 })],
                  },
                },
                {
                  name: 'DCGM_FI_DEV_POWER_USAGE',
                  gauge: { dataPoints: [point(UUID_A, '0', { asDouble: 512.25 })] },
                },
                {
                  name: 'DCGM_FI_DEV_FB_USED',
                  gauge: { dataPoints: [point(UUID_A, '0', { asInt: '40000' })] },
                },
                {
                  name: 'DCGM_FI_DEV_FB_FREE',
                  gauge: { dataPoints: [point(UUID_A, '0', { asInt: '41000' })] },
                },
                {
                  name: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
                  sum: { isMonotonic: true, dataPoints: [point(UUID_A, '0', { asInt: '99' })] },
                },
              ],
            },
          ],
        },
      ],
    }
    const [a, b] = parseOtlpJson(JSON.stringify(payload))
    expect(a).toMatchObject({
      gpuUuid: UUID_A,
      gpuIndex: 0,
      name: 'NVIDIA H100 80GB HBM3',
      hostname: 'gpu-node-1',
      utilizationPct: 87,
      powerW: 512.25,
      memoryUsedMiB: 40000,
      memoryTotalMiB: 81000,
      temperatureC: null,
    })
    expect(a?.time?.getTime()).toBe(1773114089943)
    expect(b).toMatchObject({ gpuUuid: UUID_B, gpuIndex: 1, utilizationPct: 3, powerW: null })
  })

  it('semantic-convention names: ratio to percent, bytes to MiB, hw.power of a gpu', () => {
    const attrs = [str('hw.id', UUID_A), str('hw.type', 'gpu'), str('hw.model', 'NVIDIA L40S')]
    const gauge = (name: string, unit: string, value: object): object => ({
      name,
      unit,
      gauge: { dataPoints: [{ ...value, timeUnixNano: '1700000000000000000', attributes: attrs }] },
    })
    const payload = {
      resourceMetrics: [
        {
          resource: { attributes: [str('host.name', 'node-7')] },
          scopeMetrics: [
            {
              metrics: [
                gauge('hw.gpu.utilization', '1', { asDouble: 0.57 }),
                gauge('hw.gpu.memory.usage', 'By', { asInt: String(1235 * 1048576) }),
                gauge('hw.gpu.memory.limit', 'By', { asInt: String(46068 * 1048576) }),
                gauge('hw.power', 'W', { asDouble: 110.23 }),
                gauge('hw.temperature', 'Cel', { asDouble: 54 }),
              ],
            },
          ],
        },
      ],
    }
    const [r] = parseOtlpJson(JSON.stringify(payload))
    expect(r).toMatchObject({
      gpuUuid: UUID_A,
      name: 'NVIDIA L40S',
      hostname: 'node-7',
      utilizationPct: 57,
      memoryUsedMiB: 1235,
      memoryTotalMiB: 46068,
      powerW: 110.23,
      temperatureC: 54,
    })
    expect(r?.time?.toISOString()).toBe('2023-11-14T22:13:20.000Z')
  })

  it('gpu.utilization in percent, and a point with no recorded value is null', () => {
    const payload = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'gpu.utilization',
                  unit: '%',
                  gauge: { dataPoints: [{ asDouble: 42, attributes: [str('gpu.uuid', UUID_A)] }] },
                },
                {
                  name: 'DCGM_FI_DEV_POWER_USAGE',
                  gauge: { dataPoints: [{ flags: 1, attributes: [str('gpu.uuid', UUID_A)] }] },
                },
              ],
            },
          ],
        },
      ],
    }
    const [r] = parseOtlpJson(JSON.stringify(payload))
    expect(r).toMatchObject({ gpuUuid: UUID_A, utilizationPct: 42, powerW: null, time: null })
  })

  it('refuses what it cannot attribute or read', () => {
    const noId = {
      resourceMetrics: [
        {
          scopeMetrics: [
            { metrics: [{ name: 'DCGM_FI_DEV_GPU_UTIL', gauge: { dataPoints: [{ asInt: '5' }] } }] },
          ],
        },
      ],
    }
    expect(() => parseOtlpJson(JSON.stringify(noId))).toThrow(/no GPU id attribute/)
    const badRatio = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'hw.gpu.utilization',
                  unit: '1',
                  gauge: { dataPoints: [{ asDouble: 57, attributes: [str('hw.id', UUID_A)] }] },
                },
              ],
            },
          ],
        },
      ],
    }
    expect(() => parseOtlpJson(JSON.stringify(badRatio))).toThrow(/not a ratio/)
    expect(() => parseOtlpJson('{"resourceSpans":[]}')).toThrow(/not an OTLP metrics payload/)
    const xml = (): unknown => parseOtlpJson(fixture('gpu/nvidia-smi-xml/telegraf_a10g.xml'))
    expect(xml).toThrow(TelemetryParseError)
    expect(xml).toThrow(/not JSON/)
    expect(parseOtlpJson('{}')).toEqual([])
  })
})
