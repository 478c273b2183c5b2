import { describe, expect, it } from 'vitest'

import { TelemetryParseError } from '../../../ingest/telemetry/gpu-sample.js'
import { parseExposition, parsePrometheusText } from '../../../ingest/telemetry/parsers/prometheus.js'
import { fixture } from '../../support/fixtures.js'

const dcgm = (file: string): string => fixture(`gpu/dcgm-exporter/${file}`)

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1)
  return items[0] as T
}

describe('parsePrometheusText on dcgm-exporter scrapes', () => {
  it('L40S full scrape with HELP/TYPE', () => {
    const r = only(parsePrometheusText(dcgm('l40s_upcloud_full-scrape.prom')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-5b4e07f6-3a86-4340-039d-25f2a83cdc43',
      gpuIndex: 0,
      name: 'NVIDIA L40S',
      pciDeviceId: null,
      time: null,
      utilizationPct: 0,
      memoryUsedMiB: 0,
      // FB_USED + FB_FREE + FB_RESERVED
      memoryTotalMiB: 0 + 45459 + 608,
      powerW: 35.686,
      temperatureC: 32,
      hostname: 'gpu1-wl8sg',
    })
    expect(r.labels).toMatchObject({ pci_bus_id: '00000000:00:07.0', DCGM_FI_DRIVER_VERSION: '595.58.03' })
  })

  it('L4 full scrape', () => {
    const r = only(parsePrometheusText(dcgm('l4_aws-kops_full-scrape.prom')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-c2f76b33-7953-256e-8f33-1343419b1a1c',
      name: 'NVIDIA L4',
      utilizationPct: 0,
      memoryUsedMiB: 0,
      memoryTotalMiB: 0 + 22563 + 470,
      powerW: 16.365,
      temperatureC: 31,
      hostname: 'i-030791dc5a37cd257',
    })
  })

  it('vGPU guest (GRID A100-40C): no power and no temperature series, so null', () => {
    const r = only(parsePrometheusText(dcgm('grid-a100-40c_vgpu_vks_scrape.prom')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-0946f70c-659b-4c39-8b78-7e7600000000',
      name: 'GRID A100-40C',
      hostname: 'test-ai-1-node-pool-40c-d5ds8-br9r6-9tb2c',
      utilizationPct: 0,
      memoryUsedMiB: 0,
      memoryTotalMiB: 0 + 37739 + 3220,
    })
    expect(r.powerW).toBeNull()
    expect(r.temperatureC).toBeNull()
  })

  it('8x H100, pod labels on GPU 0 only, no HELP/TYPE, cut off mid-way', () => {
    const readings = parsePrometheusText(dcgm('h100x8_aicr_sampled_pod-attribution.prom'))
    expect(readings).toHaveLength(8)
    const expected: [string, number, number][] = [
      ['GPU-c4529c8d-69c4-b61d-e0bc-7b2460096005', 30, 113.611],
      ['GPU-bc5610b9-79c8-fedd-8899-07539c7f868a', 29, 68.347],
      ['GPU-fbc2c554-4d37-8938-0032-f923bad0f716', 26, 65.709],
      ['GPU-a65a773d-52bb-bcc1-a8ee-f78c3faa2e2d', 29, 67.316],
      ['GPU-82e45d1b-1618-559f-144c-eab51545030b', 28, 68.717],
      ['GPU-39e28159-8c62-ee71-64db-b748edd61e15', 26, 65.742],
      ['GPU-e64d69ca-b4b3-59b2-e78c-94f26c4db365', 28, 67.328],
      ['GPU-04d228d3-3b5a-3534-f5cf-969706647d56', 26, 66.997],
    ]
    expected.forEach(([uuid, temperatureC, powerW], gpu) => {
      expect(readings[gpu]).toMatchObject({
        gpuUuid: uuid,
        gpuIndex: gpu,
        name: 'NVIDIA H100 80GB HBM3',
        hostname: 'gpu-node-1',
        temperatureC,
        powerW,
        utilizationPct: 0,
        // The sample holds no framebuffer series.
        memoryUsedMiB: null,
        memoryTotalMiB: null,
      })
    })
    expect(readings[0]?.labels).toMatchObject({
      pod: 'vllm-agg-0-vllmdecodeworker-s65j5',
      namespace: 'dynamo-workload',
      container: 'main',
    })
    expect(readings[1]?.labels?.pod).toBeUndefined()
  })
})

describe('parsePrometheusText on nvidia_gpu_exporter', () => {
  it('H100 SXM under load: bytes to MiB, ratio to percent, pci id from a number', () => {
    const r = only(parsePrometheusText(fixture('gpu/prometheus/nvidia_gpu_exporter_h100-sxm_load.prom')))
    expect(r).toMatchObject({
      // the exporter strips 'GPU-'
      gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
      gpuIndex: 0,
      name: 'NVIDIA H100 80GB HBM3',
      pciDeviceId: '10de:2330',
      utilizationPct: 100,
      memoryUsedMiB: 20780679168 / 1048576,
      memoryTotalMiB: 85520809984 / 1048576,
      powerW: 631.95,
      temperatureC: 59,
      hostname: null,
    })
    expect(r.memoryUsedMiB).toBe(19818)
    expect(r.memoryTotalMiB).toBe(81559)
    expect(r.labels).toMatchObject({ driver_version: '590.48.01', cuda_version: '13.1' })
  })
})

const UUID_A = 'GPU-aaaaaaaa-0000-0000-0000-000000000001'

describe('the exposition line parser', () => {
  it('reads escapes in label values, timestamps, NaN and infinities', () => {
    const samples = parseExposition(
      [
        `m{a="q\\"uote",b="back\\\\slash",c="new\\nline",} 1.5e+3 1700000000123`,
        'n NaN',
        'o{x="1"} +Inf',
        'p{x="1"} -Inf',
        '  q{ x = "1" }\t7',
        '',
      ].join('\n'),
    )
    expect(samples[0]).toEqual({
      name: 'm',
      labels: { a: 'q"uote', b: 'back\\slash', c: 'new\nline' },
      value: 1500,
      timestampMs: 1700000000123,
    })
    expect(samples[1]?.value).toBeNaN()
    expect(samples[2]?.value).toBe(Infinity)
    expect(samples[3]?.value).toBe(-Infinity)
    expect(samples[4]).toEqual({ name: 'q', labels: { x: '1' }, value: 7, timestampMs: null })
  })

  it('drops a last line cut off mid-way, keeps the rest', () => {
    const text = `DCGM_FI_DEV_GPU_UTIL{UUID="${UUID_A}"} 42\nDCGM_FI_DEV_GPU_TEMP{UUID="${UUID_A}",gpu="0`
    const r = only(parsePrometheusText(text))
    expect(r.utilizationPct).toBe(42)
    expect(r.temperatureC).toBeNull()
  })

  it('refuses a malformed line that is not the cut-off last one', () => {
    const text = `DCGM_FI_DEV_GPU_UTIL{UUID="${UUID_A}" 42\nDCGM_FI_DEV_GPU_TEMP{UUID="${UUID_A}"} 40\n`
    const parse = (): unknown => parsePrometheusText(text)
    expect(parse).toThrow(TelemetryParseError)
    expect(parse).toThrow(/line 1/)
  })

  it('refuses CSV', () => {
    expect(() => parsePrometheusText(fixture('gpu/nvidia-smi/h200_load_query-gpu.csv'))).toThrow(/line 1/)
  })
})

describe('grouping series into readings', () => {
  it('NaN and DCGM blank values are null; sample timestamps give the time', () => {
    const text = [
      `DCGM_FI_DEV_GPU_UTIL{UUID="${UUID_A}"} NaN 1700000000000`,
      `DCGM_FI_DEV_POWER_USAGE{UUID="${UUID_A}"} 140737488355328 1700000001000`,
      `DCGM_FI_DEV_GPU_TEMP{UUID="${UUID_A}"} 55 1700000000500`,
      '',
    ].join('\n')
    const r = only(parsePrometheusText(text))
    expect(r.utilizationPct).toBeNull()
    expect(r.powerW).toBeNull()
    expect(r.temperatureC).toBe(55)
    expect(r.time?.getTime()).toBe(1700000001000)
  })

  it('ignores series that are not GPU readings, refuses a GPU metric without UUID', () => {
    expect(parsePrometheusText('go_goroutines 12\nprocess_cpu_seconds_total 3.5\n')).toEqual([])
    expect(() => parsePrometheusText('DCGM_FI_DEV_GPU_UTIL{gpu="0"} 5\n')).toThrow(/no GPU UUID label/)
  })

  it('keeps MIG instances apart and joins the pods sharing a GPU', () => {
    const text = [
      `DCGM_FI_DEV_FB_USED{UUID="${UUID_A}",GPU_I_ID="1",GPU_I_PROFILE="1g.10gb"} 100`,
      `DCGM_FI_DEV_FB_USED{UUID="${UUID_A}",GPU_I_ID="2",GPU_I_PROFILE="3g.40gb"} 300`,
      '',
    ].join('\n')
    const [a, b] = parsePrometheusText(text)
    expect(a).toMatchObject({ gpuUuid: UUID_A, memoryUsedMiB: 100, labels: { GPU_I_PROFILE: '1g.10gb' } })
    expect(b).toMatchObject({ gpuUuid: UUID_A, memoryUsedMiB: 300, labels: { GPU_I_PROFILE: '3g.40gb' } })

    const shared = [
      `DCGM_FI_DEV_GPU_UTIL{UUID="${UUID_A}",pod="a"} 80`,
      `DCGM_FI_DEV_GPU_UTIL{UUID="${UUID_A}",pod="b"} 80`,
      '',
    ].join('\n')
    expect(only(parsePrometheusText(shared)).labels?.pod).toBe('a,b')
  })
})
