import { describe, expect, it } from 'vitest'

import { TelemetryParseError } from '../../../ingest/telemetry/gpu-sample.js'
import { parseNvidiaSmiXml } from '../../../ingest/telemetry/parsers/nvidia-smi-xml.js'
import { fixture } from '../../support/fixtures.js'

const xml = (file: string): string => fixture(`gpu/nvidia-smi-xml/${file}`)

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1)
  return items[0] as T
}

describe('parseNvidiaSmiXml on the telegraf captures', () => {
  it('A100 SXM4 80GB in MIG mode (v12; says 4 GPUs, holds 1)', () => {
    const r = only(parseNvidiaSmiXml(xml('telegraf_a100-sxm4-v12.xml')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298',
      gpuIndex: null,
      name: 'NVIDIA A100-SXM4-80GB',
      pciDeviceId: '10de:20b2',
      utilizationPct: null,
      memoryUsedMiB: 50,
      memoryTotalMiB: 81920,
      powerW: 67.03,
      temperatureC: 27,
      hostname: null,
    })
    expect(r.time?.toISOString()).toBe('2023-08-04T11:44:30.000Z')
    expect(r.labels).toMatchObject({ mig_mode: 'Enabled', mig_devices: '4', minor_number: '1' })
  })

  it('RTX 3090 (re-indented, pci id redacted)', () => {
    const r = only(parseNvidiaSmiXml(xml('telegraf_rtx-3090-v12.xml')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab',
      name: 'NVIDIA GeForce RTX 3090',
      pciDeviceId: null,
      utilizationPct: 0,
      memoryUsedMiB: 1,
      memoryTotalMiB: 24576,
      powerW: 27.23,
      temperatureC: 37,
    })
    expect(r.time?.toISOString()).toBe('2024-05-03T11:54:37.000Z')
  })

  it('RTX 4000 SFF Ada (v13: average_power_draw)', () => {
    const r = only(parseNvidiaSmiXml(xml('telegraf_rtx-4000-sff-ada-v13.xml')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-37037c3f-65c8-ec4d-24a9-420204ad8026',
      name: 'NVIDIA RTX 4000 SFF Ada Generation',
      pciDeviceId: '10de:27b0',
      utilizationPct: 0,
      memoryUsedMiB: 3534,
      memoryTotalMiB: 20475,
      powerW: 8.81,
      temperatureC: 38,
    })
    expect(r.time?.toISOString()).toBe('2026-08-06T01:03:40.000Z')
  })

  it("A10G (v11: power_readings; pci id '000000DE' is no id)", () => {
    const r = only(parseNvidiaSmiXml(xml('telegraf_a10g.xml')))
    expect(r).toMatchObject({
      gpuUuid: 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94',
      name: 'NVIDIA A10G',
      pciDeviceId: null,
      utilizationPct: 0,
      memoryUsedMiB: 22,
      memoryTotalMiB: 23028,
      powerW: 25.58,
      temperatureC: 17,
    })
  })
})

describe('parseNvidiaSmiXml on input it cannot use', () => {
  it('CSV is not XML', () => {
    const parse = (): unknown => parseNvidiaSmiXml(fixture('gpu/nvidia-smi/h100-sxm-80gb_load_query-gpu.csv'))
    expect(parse).toThrow(TelemetryParseError)
    expect(parse).toThrow(/not well-formed XML/)
  })

  it('XML of something else', () => {
    expect(() => parseNvidiaSmiXml('<?xml version="1.0"?><rss></rss>')).toThrow(/no <nvidia_smi_log> root/)
  })

  it('a GPU without uuid', () => {
    const text = '<nvidia_smi_log><gpu id="0"><product_name>NVIDIA L4</product_name></gpu></nvidia_smi_log>'
    expect(() => parseNvidiaSmiXml(text)).toThrow(/has no <uuid>/)
  })

  it('a log with no GPU gives no reading', () => {
    expect(parseNvidiaSmiXml('<nvidia_smi_log><attached_gpus>0</attached_gpus></nvidia_smi_log>')).toEqual([])
  })
})
