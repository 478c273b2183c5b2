import { describe, expect, it } from 'vitest'

import {
  listGpuModels,
  loadPciRegistry,
  lookupPciId,
  nameKey,
  normalizeGpuModel,
  parsePciId,
  vramClassOf,
} from '../../../ingest/telemetry/gpu-models.js'
import registry from '../../../ingest/telemetry/pci-gpu-registry.json' with { type: 'json' }
import { fixture } from '../../support/fixtures.js'

interface AkashDevice {
  name: string
  interface: string
  memory_size: string
}
type AkashRegistry = Record<string, { name: string; devices: Record<string, AkashDevice> }>

const akash = JSON.parse(fixture('depin/akash/provider-configs_devices_pcie_gpus.json')) as AkashRegistry
const akashEntries = Object.entries(akash).flatMap(([vendor, v]) =>
  Object.entries(v.devices).map(([device, d]) => [`${vendor}:${device}`, d] as const),
)

/** Entries of the Akash registry that do not identify one model, each with its reason in the registry. */
const EXPECTED_UNKNOWN = ['10de:f297', '10de:1e30', '10de:1e78', '10de:1df0', '10de:147f', '1002:66a1']
/** Where the PCI ID database and Akash disagree on the memory size, the database is followed. */
const MEMORY_OVERRIDES: Record<string, number> = { '10de:2803': 8 }

describe('the PCI id registry against the Akash fixture', () => {
  it('the fixture holds 98 devices', () => {
    expect(akashEntries).toHaveLength(98)
  })

  it('every fixture entry maps to a canonical model or is reported unknown with a reason', () => {
    const unknown: string[] = []
    for (const [pciId, device] of akashEntries) {
      const found = lookupPciId(pciId)
      expect(found.status, pciId).not.toBe('absent')
      if (found.status === 'unknown') {
        expect(found.reason.length, pciId).toBeGreaterThan(20)
        unknown.push(pciId)
      } else if (found.status === 'known') {
        const akashGiB = Number(device.memory_size.replace(/Gi$/, ''))
        expect(found.model.vramGiB, `${pciId} ${device.name}`).toBe(MEMORY_OVERRIDES[pciId] ?? akashGiB)
      }
    }
    expect(unknown.sort()).toEqual([...EXPECTED_UNKNOWN].sort())
  })

  it('the data file keeps the fixture content as it is', () => {
    const ours = registry as unknown as AkashRegistry
    for (const [pciId, device] of akashEntries) {
      const [vendor, id] = pciId.split(':') as [string, string]
      expect(ours[vendor]?.devices[id], pciId).toMatchObject(device)
    }
  })

  it('adds the ids Akash lacks, L40S first', () => {
    expect(akash['10de']?.devices['26b9']).toBeUndefined()
    expect(normalizeGpuModel('10de:26b9')?.id).toBe('l40s-48gb')
    expect(normalizeGpuModel('10de:27b8')?.id).toBe('l4-24gb')
    expect(normalizeGpuModel('10de:2237')?.id).toBe('a10g-24gb')
  })

  it('spot checks against what the devices are', () => {
    expect(lookupPciId('10de:2330')).toMatchObject({ status: 'known', model: { id: 'h100-sxm-80gb' } })
    expect(normalizeGpuModel('10de:2331')?.id).toBe('h100-pcie-80gb')
    expect(normalizeGpuModel('10de:20b0')?.id).toBe('a100-sxm-40gb')
    expect(normalizeGpuModel('10de:20b1')?.id).toBe('a100-pcie-40gb')
    expect(normalizeGpuModel('10de:2684')?.id).toBe('rtx-4090')
    expect(normalizeGpuModel('10de:2204')?.id).toBe('rtx-3090')
    expect(normalizeGpuModel('10de:1e81')?.id).toBe('rtx-2080-super')
    expect(normalizeGpuModel('10de:27b0')?.id).toBe('rtx-4000-sff-ada')
    expect(normalizeGpuModel('1002:738c')?.id).toBe('mi100-32gb')
    // 0x147F is the A100 SXM4 80GB's subsystem id (pci_sub_system_id in telegraf_a100-sxm4-v12.xml).
    expect(lookupPciId('10de:147f').status).toBe('unknown')
    expect(lookupPciId('10de:ffff').status).toBe('absent')
  })

  it('a plain Akash file loads with every entry unknown, a bad model id is refused', () => {
    const plain = loadPciRegistry(akash)
    expect(plain.size).toBe(98)
    expect([...plain.values()].every((e) => 'reason' in e)).toBe(true)
    const bad = {
      '10de': {
        name: 'nvidia',
        devices: { '2330': { name: 'h100', interface: 'SXM5', memory_size: '80Gi', model: 'h100' } },
      },
    }
    expect(() => loadPciRegistry(bad)).toThrow(/unknown model id 'h100'/)
  })
})

describe('normalizeGpuModel', () => {
  it('names and PCI ids of the nvidia-smi captures agree', () => {
    const pairs: [string, string, string][] = [
      ['NVIDIA H100 80GB HBM3', '0x233010DE', 'h100-sxm-80gb'],
      ['NVIDIA H200', '0x233510DE', 'h200-141gb'],
      ['NVIDIA L40S', '0x26B910DE', 'l40s-48gb'],
      ['NVIDIA GeForce RTX 4080 SUPER', '0x270210DE', 'rtx-4080-super'],
      ['NVIDIA GeForce RTX 2080 SUPER', '0x1E8110DE', 'rtx-2080-super'],
      ['NVIDIA A100-SXM4-80GB', '20B210DE', 'a100-sxm-80gb'],
      ['NVIDIA RTX 4000 SFF Ada Generation', '27B010DE', 'rtx-4000-sff-ada'],
    ]
    for (const [name, pci, id] of pairs) {
      expect(normalizeGpuModel(name)?.id, name).toBe(id)
      expect(normalizeGpuModel(pci)?.id, pci).toBe(id)
    }
  })

  it.each([
    ['NVIDIA H100 PCIe', 'h100-pcie-80gb'],
    ['NVIDIA H100 NVL', 'h100-nvl-94gb'],
    ['H100 SXM5 80GB', 'h100-sxm-80gb'],
    ['NVIDIA A100-SXM4-40GB', 'a100-sxm-40gb'],
    ['NVIDIA A100-PCIE-40GB', 'a100-pcie-40gb'],
    ['NVIDIA A100 80GB PCIe', 'a100-pcie-80gb'],
    ['A100 PCIe 80 GB', 'a100-pcie-80gb'],
    ['NVIDIA A10G', 'a10g-24gb'],
    ['NVIDIA L4', 'l4-24gb'],
    ['Tesla T4', 't4-16gb'],
    ['Tesla V100-SXM2-16GB', 'v100-sxm2-16gb'],
    ['NVIDIA GeForce RTX 4090', 'rtx-4090'],
    ['RTX 4090', 'rtx-4090'],
    ['rtx4090', 'rtx-4090'],
    ['rtx4080s', 'rtx-4080-super'],
    ['NVIDIA GeForce RTX 3090', 'rtx-3090'],
    ['GeForce RTX 2080 SUPER', 'rtx-2080-super'],
    ['NVIDIA GeForce® RTX 2080 SUPER™', 'rtx-2080-super'],
    ['NVIDIA RTX A6000', 'rtx-a6000'],
    ['NVIDIA RTX 6000 Ada Generation', 'rtx-6000-ada'],
    ['l40s-48gb', 'l40s-48gb'],
  ])('%s is %s', (name, id) => {
    expect(normalizeGpuModel(name)?.id).toBe(id)
  })

  it.each([
    ['NVIDIA H100 80GB HBM3 MIG 1g.10gb', 'h100-sxm-80gb'],
    ['NVIDIA A100-SXM4-40GB MIG 3g.20gb', 'a100-sxm-40gb'],
    ['NVIDIA H100 80GB HBM3 MIG 1g.10gb+me', 'h100-sxm-80gb'],
  ])('MIG instance %s runs on %s', (name, id) => {
    expect(normalizeGpuModel(name)?.id).toBe(id)
  })

  it.each([
    // as in grid-a100-40c_vgpu_vks_scrape.prom
    ['GRID A100-40C', 'a100-pcie-40gb'],
    ['GRID A100DX-80C', 'a100-sxm-80gb'],
    ['GRID A100D-40C', 'a100-pcie-80gb'],
    ['GRID A100-7-40C', 'a100-pcie-40gb'],
    ['NVIDIA H100XM-80C', 'h100-sxm-80gb'],
    ['NVIDIA L40S-48Q', 'l40s-48gb'],
  ])('vGPU %s runs on %s', (name, id) => {
    expect(normalizeGpuModel(name)?.id).toBe(id)
  })

  it.each([
    // nvidia-smi's table on Windows cuts the name (rtx2080super-windows_load_table.txt)
    'NVIDIA GeForce RTX 2080 ...',
    'NVIDIA H100',
    'H100 80GB',
    'A100',
    'a100',
    'NVIDIA GeForce RTX 4060 Ti',
    'GeForce GTX 1060',
    'RTX 6000',
    'MIG 1g.10gb Device 0',
    'GRID A100X-40C',
    'GRID A100-80C',
    'AMD Radeon RX 7900 XTX',
    '10de:147f',
    '10de:ffff',
    '',
  ])("'%s' is not one model: null", (name) => {
    expect(normalizeGpuModel(name)).toBeNull()
  })

  it('gives id, title, VRAM, class and segment', () => {
    expect(normalizeGpuModel('NVIDIA H100 80GB HBM3')).toEqual({
      id: 'h100-sxm-80gb',
      title: 'H100 SXM 80GB',
      vramGiB: 80,
      vramClass: '80+',
      segment: 'datacenter',
    })
    expect(normalizeGpuModel('NVIDIA H200')).toMatchObject({ vramGiB: 141, vramClass: '80+' })
    expect(normalizeGpuModel('NVIDIA L40S')).toMatchObject({
      vramGiB: 48,
      vramClass: '40-48',
      segment: 'datacenter',
    })
    expect(normalizeGpuModel('NVIDIA A10G')).toMatchObject({ vramGiB: 24, vramClass: '24' })
    expect(normalizeGpuModel('NVIDIA GeForce RTX 4090')).toMatchObject({
      vramClass: '24',
      segment: 'consumer',
    })
    expect(normalizeGpuModel('NVIDIA GeForce RTX 4080 SUPER')).toMatchObject({
      vramGiB: 16,
      vramClass: '<=16',
    })
    expect(normalizeGpuModel('NVIDIA RTX 4000 SFF Ada Generation')).toMatchObject({
      vramGiB: 20,
      vramClass: '24',
      segment: 'workstation',
    })
  })
})

describe('the catalogue', () => {
  it('ids are unique, classes follow VRAM, every id normalises to itself', () => {
    const models = listGpuModels()
    expect(new Set(models.map((m) => m.id)).size).toBe(models.length)
    for (const m of models) {
      expect(m.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      expect(m.vramClass).toBe(vramClassOf(m.vramGiB))
      expect(normalizeGpuModel(m.id)).toBe(m)
    }
  })

  it('class boundaries', () => {
    expect([16, 20, 24, 32, 40, 48, 64, 80, 94].map(vramClassOf)).toEqual([
      '<=16',
      '24',
      '24',
      '24',
      '40-48',
      '40-48',
      '40-48',
      '80+',
      '80+',
    ])
  })

  it('name keys ignore order, case, punctuation and maker words', () => {
    expect(nameKey('NVIDIA A100 80GB PCIe')).toBe(nameKey('a100-pcie-80 GB'))
    expect(nameKey('NVIDIA GeForce RTX 4080 SUPER')).toBe(nameKey('rtx4080s'))
  })

  it('PCI id forms', () => {
    expect(parsePciId('0x233010DE')).toBe('10de:2330')
    expect(parsePciId('10DE:2330')).toBe('10de:2330')
    expect(parsePciId('0x10de:0x2330')).toBe('10de:2330')
    expect(parsePciId('NVIDIA L4')).toBeNull()
  })
})
