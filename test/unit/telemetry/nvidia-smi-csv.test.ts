import { describe, expect, it } from 'vitest'

import { TelemetryParseError } from '../../../ingest/telemetry/gpu-sample.js'
import { parseNvidiaSmiCsv } from '../../../ingest/telemetry/parsers/nvidia-smi-csv.js'
import { fixture } from '../../support/fixtures.js'

const smi = (file: string): string => fixture(`gpu/nvidia-smi/${file}`)

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1)
  return items[0] as T
}

describe('parseNvidiaSmiCsv on the real captures', () => {
  it('H100 SXM under load', () => {
    const r = only(parseNvidiaSmiCsv(smi('h100-sxm-80gb_load_query-gpu.csv')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
      gpuIndex: 0,
      name: 'NVIDIA H100 80GB HBM3',
      pciDeviceId: '10de:2330',
      utilizationPct: 100,
      memoryUsedMiB: 19818,
      memoryTotalMiB: 81559,
      powerW: 631.95,
      temperatureC: 59,
      hostname: null,
    })
    expect(r.time?.toISOString()).toBe('2026-07-14T08:12:53.353Z')
    expect(r.labels).toMatchObject({ pci_bus_id: '00000000:00:09.0', driver_version: '590.48.01' })
  })

  it('H100 SXM idle: zeros stay zeros', () => {
    const r = only(parseNvidiaSmiCsv(smi('h100-sxm-80gb_idle_query-gpu.csv')))
    expect(r).toMatchObject({ utilizationPct: 0, memoryUsedMiB: 0, powerW: 69.85, temperatureC: 41 })
  })

  it("H100 in MIG mode: '[N/A]' utilisation is null, not 0", () => {
    const r = only(parseNvidiaSmiCsv(smi('h100-mig_load_query-gpu.csv')))
    expect(r.utilizationPct).toBeNull()
    expect(r).toMatchObject({ memoryUsedMiB: 11125, memoryTotalMiB: 81559, powerW: 433.78, temperatureC: 53 })
    expect(r.labels?.mig_mode).toBe('Enabled')
    expect(r.time?.toISOString()).toBe('2026-07-14T09:00:44.579Z')
  })

  it('H200', () => {
    const r = only(parseNvidiaSmiCsv(smi('h200_load_query-gpu.csv')))
    expect(r).toMatchObject({
      name: 'NVIDIA H200',
      pciDeviceId: '10de:2335',
      utilizationPct: 100,
      memoryUsedMiB: 32362,
      memoryTotalMiB: 143771,
      powerW: 627.4,
      temperatureC: 52,
    })
  })

  it('L40S', () => {
    const r = only(parseNvidiaSmiCsv(smi('l40s_load_query-gpu.csv')))
    expect(r).toMatchObject({
      name: 'NVIDIA L40S',
      pciDeviceId: '10de:26b9',
      utilizationPct: 9,
      memoryUsedMiB: 1235,
      memoryTotalMiB: 46068,
      powerW: 110.23,
      temperatureC: 54,
    })
  })

  it('RTX 4080 SUPER', () => {
    const r = only(parseNvidiaSmiCsv(smi('rtx4080super_load_query-gpu.csv')))
    expect(r).toMatchObject({
      name: 'NVIDIA GeForce RTX 4080 SUPER',
      pciDeviceId: '10de:2702',
      utilizationPct: 7,
      memoryUsedMiB: 1474,
      memoryTotalMiB: 16376,
      powerW: 84.24,
      temperatureC: 46,
    })
  })

  it('RTX 2080 SUPER on Windows (WDDM, power.draw.average [N/A])', () => {
    const r = only(parseNvidiaSmiCsv(smi('rtx2080super-windows_load_query-gpu.csv')))
    expect(r).toMatchObject({
      name: 'NVIDIA GeForce RTX 2080 SUPER',
      pciDeviceId: '10de:1e81',
      utilizationPct: 7,
      memoryUsedMiB: 1366,
      memoryTotalMiB: 8192,
      powerW: 97.99,
      temperatureC: 44,
    })
    expect(r.time?.toISOString()).toBe('2026-06-24T10:17:56.770Z')
  })
})

describe('parseNvidiaSmiCsv on outputs it cannot use', () => {
  const cases: [string, RegExp][] = [
    ['h100-mig_load_table.txt', /default table output/],
    ['rtx2080super-windows_load_table.txt', /default table output/],
    ['h100-sxm-80gb_load_dmon.txt', /nvidia-smi dmon/],
    ['h100-sxm-80gb_load_q.txt', /nvidia-smi -q/],
    ['h100-sxm-80gb_load_query-compute-apps.csv', /--query-compute-apps/],
  ]
  it.each(cases)('%s', (file, reason) => {
    const parse = (): unknown => parseNvidiaSmiCsv(smi(file))
    expect(parse).toThrow(TelemetryParseError)
    expect(parse).toThrow(reason)
  })
})

describe('parseNvidiaSmiCsv on shapes the captures do not show', () => {
  it('nounits, another column order, several GPUs, [Not Supported]', () => {
    const text = [
      'memory.used [MiB], uuid, power.draw [W], name, utilization.gpu [%], index, temperature.gpu',
      '1200, GPU-aaaaaaaa-0000-0000-0000-000000000001, [Not Supported], NVIDIA GeForce RTX 4090, 37, 0, 61',
      '24000, GPU-aaaaaaaa-0000-0000-0000-000000000002, 350.5, NVIDIA GeForce RTX 4090, 99, 1, 70',
      '',
    ].join('\n')
    const [a, b] = parseNvidiaSmiCsv(text)
    expect(a).toMatchObject({
      gpuIndex: 0,
      memoryUsedMiB: 1200,
      powerW: null,
      utilizationPct: 37,
      temperatureC: 61,
    })
    expect(b).toMatchObject({ gpuIndex: 1, memoryUsedMiB: 24000, powerW: 350.5, utilizationPct: 99 })
    expect(a?.memoryTotalMiB).toBeNull()
    expect(a?.time).toBeNull()
  })

  it('a repeated header (concatenated runs) is skipped', () => {
    const header = 'uuid, name, utilization.gpu [%]'
    const row = 'GPU-aaaaaaaa-0000-0000-0000-000000000001, NVIDIA L4, 5 %'
    expect(parseNvidiaSmiCsv([header, row, header, row].join('\n'))).toHaveLength(2)
  })

  it('utcOffsetMinutes reads the local timestamp of a host east of UTC', () => {
    const text =
      'timestamp, uuid, name\n2026/07/14 10:00:00.000, GPU-aaaaaaaa-0000-0000-0000-000000000001, NVIDIA L4\n'
    const [r] = parseNvidiaSmiCsv(text, { utcOffsetMinutes: 120 })
    expect(r?.time?.toISOString()).toBe('2026-07-14T08:00:00.000Z')
  })

  it('refuses output without a header', () => {
    const text = 'GPU-aaaaaaaa-0000-0000-0000-000000000001, NVIDIA L4, 5\n'
    expect(() => parseNvidiaSmiCsv(text)).toThrow(/no header row/)
  })

  it('refuses a header without uuid', () => {
    expect(() => parseNvidiaSmiCsv('name, utilization.gpu [%]\nNVIDIA L4, 5 %\n')).toThrow(/'uuid'/)
  })

  it('refuses a value that is not a number of the expected unit', () => {
    const text =
      'uuid, name, memory.used [MiB]\nGPU-aaaaaaaa-0000-0000-0000-000000000001, NVIDIA L4, 12 GiB\n'
    expect(() => parseNvidiaSmiCsv(text)).toThrow(/'memory.used' is '12 GiB'.*line 2/)
  })

  it('refuses a short row', () => {
    const text = 'uuid, name, memory.used [MiB]\nGPU-aaaaaaaa-0000-0000-0000-000000000001, NVIDIA L4\n'
    expect(() => parseNvidiaSmiCsv(text)).toThrow(/2 fields, the header 3/)
  })

  it('refuses an empty input', () => {
    expect(() => parseNvidiaSmiCsv('')).toThrow(TelemetryParseError)
  })
})
