/**
 * One canonical id per GPU model, from nvidia-smi names, marketing names, vGPU and MIG names and PCI
 * device ids. Anything that does not identify exactly one model returns null: 'H100 80GB' (SXM or
 * PCIe?), 'GeForce RTX 4060 Ti' (8 or 16 GB?), a truncated 'RTX 2080 ...'. Never a guess.
 */
import { z } from 'zod'

import registryJson from './pci-gpu-registry.json' with { type: 'json' }

export type VramClass = '<=16' | '24' | '40-48' | '80+'
export type GpuSegment = 'datacenter' | 'consumer' | 'workstation'

export interface GpuModel {
  id: string
  title: string
  vramGiB: number
  vramClass: VramClass
  segment: GpuSegment
}

/**
 * The four classes a buyer compares within. Cards between them go to the class they compete in:
 * 20 and 32 GB (RTX 4000 Ada, RTX 5090, V100 32GB) with the 24 GB cards, 64 GB (A100 64GB) with
 * the 40-48 GB cards, 94 GB and more with the 80 GB cards.
 */
export function vramClassOf(vramGiB: number): VramClass {
  if (vramGiB <= 16) return '<=16'
  if (vramGiB <= 32) return '24'
  if (vramGiB < 80) return '40-48'
  return '80+'
}

interface ModelSpec {
  id: string
  title: string
  vramGiB: number
  segment: GpuSegment
  /** Names as nvidia-smi, drivers or vendors print them; matched after normalisation (nameKey). */
  names: readonly string[]
}

const dc = (id: string, title: string, vramGiB: number, ...names: string[]): ModelSpec => ({
  id,
  title,
  vramGiB,
  segment: 'datacenter',
  names,
})
const ws = (id: string, title: string, vramGiB: number, ...names: string[]): ModelSpec => ({
  id,
  title,
  vramGiB,
  segment: 'workstation',
  names,
})
const gf = (id: string, title: string, vramGiB: number, ...names: string[]): ModelSpec => ({
  id,
  title,
  vramGiB,
  segment: 'consumer',
  names,
})

const SPECS: readonly ModelSpec[] = [
  // NVIDIA datacenter
  dc('b200-180gb', 'B200 180GB', 180, 'NVIDIA B200', 'B200 180GB'),
  dc(
    'h200-141gb',
    'H200 SXM 141GB',
    141,
    'NVIDIA H200',
    'H200 SXM',
    'H200 SXM5',
    'H200 141GB',
    'H200 SXM 141GB',
    'H200 SXM5 141GB',
  ),
  dc('h200-nvl-141gb', 'H200 NVL 141GB', 141, 'NVIDIA H200 NVL', 'H200 NVL 141GB'),
  dc(
    'h100-sxm-80gb',
    'H100 SXM 80GB',
    80,
    'NVIDIA H100 80GB HBM3',
    'H100 SXM5 80GB',
    'H100 SXM 80GB',
    'H100 SXM5',
    'H100 SXM',
  ),
  dc('h100-pcie-80gb', 'H100 PCIe 80GB', 80, 'NVIDIA H100 PCIe', 'H100 PCIe 80GB'),
  dc('h100-nvl-94gb', 'H100 NVL 94GB', 94, 'NVIDIA H100 NVL', 'H100 NVL 94GB'),
  dc('a100-sxm-80gb', 'A100 SXM4 80GB', 80, 'NVIDIA A100-SXM4-80GB', 'A100 SXM 80GB'),
  dc('a100-sxm-64gb', 'A100 SXM 64GB', 64, 'NVIDIA A100-SXM-64GB'),
  dc('a100-sxm-40gb', 'A100 SXM4 40GB', 40, 'NVIDIA A100-SXM4-40GB', 'A100 SXM 40GB'),
  dc('a100-pcie-80gb', 'A100 PCIe 80GB', 80, 'NVIDIA A100 80GB PCIe', 'NVIDIA A100-PCIE-80GB'),
  dc('a100-pcie-40gb', 'A100 PCIe 40GB', 40, 'NVIDIA A100-PCIE-40GB'),
  dc('a800-sxm-80gb', 'A800 SXM4 80GB', 80, 'NVIDIA A800-SXM4-80GB'),
  dc('a40-48gb', 'A40 48GB', 48, 'NVIDIA A40'),
  dc('a30-24gb', 'A30 24GB', 24, 'NVIDIA A30'),
  dc('a10-24gb', 'A10 24GB', 24, 'NVIDIA A10'),
  dc('a10g-24gb', 'A10G 24GB', 24, 'NVIDIA A10G'),
  dc('l40s-48gb', 'L40S 48GB', 48, 'NVIDIA L40S'),
  dc('l40-48gb', 'L40 48GB', 48, 'NVIDIA L40'),
  dc('l4-24gb', 'L4 24GB', 24, 'NVIDIA L4'),
  dc('t4-16gb', 'T4 16GB', 16, 'Tesla T4', 'NVIDIA T4'),
  dc('v100-sxm2-16gb', 'V100 SXM2 16GB', 16, 'Tesla V100-SXM2-16GB'),
  dc('v100-sxm2-32gb', 'V100 SXM2 32GB', 32, 'Tesla V100-SXM2-32GB'),
  dc('v100-sxm3-32gb', 'V100 SXM3 32GB', 32, 'Tesla V100-SXM3-32GB'),
  dc('v100-pcie-16gb', 'V100 PCIe 16GB', 16, 'Tesla V100-PCIE-16GB'),
  dc('v100-pcie-32gb', 'V100 PCIe 32GB', 32, 'Tesla V100-PCIE-32GB'),
  dc('p100-pcie-16gb', 'P100 PCIe 16GB', 16, 'Tesla P100-PCIE-16GB'),
  dc('p40-24gb', 'P40 24GB', 24, 'Tesla P40'),
  dc('p4-8gb', 'P4 8GB', 8, 'Tesla P4'),
  dc(
    'rtx-pro-6000-blackwell-server',
    'RTX PRO 6000 Blackwell Server Edition',
    96,
    'NVIDIA RTX PRO 6000 Blackwell Server Edition',
  ),
  // AMD datacenter
  dc('mi100-32gb', 'Instinct MI100 32GB', 32, 'AMD Instinct MI100', 'MI100'),
  // NVIDIA workstation
  ws(
    'rtx-pro-6000-blackwell',
    'RTX PRO 6000 Blackwell Workstation Edition',
    96,
    'NVIDIA RTX PRO 6000 Blackwell Workstation Edition',
  ),
  ws(
    'rtx-pro-6000-blackwell-max-q',
    'RTX PRO 6000 Blackwell Max-Q Workstation Edition',
    96,
    'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition',
  ),
  ws('rtx-6000-ada', 'RTX 6000 Ada', 48, 'NVIDIA RTX 6000 Ada Generation'),
  ws('rtx-a6000', 'RTX A6000', 48, 'NVIDIA RTX A6000'),
  ws('rtx-a5000', 'RTX A5000', 24, 'NVIDIA RTX A5000'),
  ws('rtx-a4000', 'RTX A4000', 16, 'NVIDIA RTX A4000'),
  ws('rtx-a2000', 'RTX A2000 6GB', 6, 'NVIDIA RTX A2000'),
  ws('rtx-4000-ada', 'RTX 4000 Ada', 20, 'NVIDIA RTX 4000 Ada Generation'),
  ws('rtx-4000-sff-ada', 'RTX 4000 SFF Ada', 20, 'NVIDIA RTX 4000 SFF Ada Generation'),
  ws('rtx-2000-ada', 'RTX 2000 Ada', 16, 'NVIDIA RTX 2000 Ada Generation', 'NVIDIA RTX 2000E Ada Generation'),
  ws('quadro-rtx-8000', 'Quadro RTX 8000', 48, 'Quadro RTX 8000'),
  ws('quadro-rtx-6000', 'Quadro RTX 6000', 24, 'Quadro RTX 6000'),
  ws('quadro-rtx-5000-mobile', 'Quadro RTX 5000 Mobile', 16),
  ws('quadro-rtx-4000', 'Quadro RTX 4000', 8, 'Quadro RTX 4000'),
  ws('quadro-p6000', 'Quadro P6000', 24, 'Quadro P6000'),
  ws('quadro-p5000', 'Quadro P5000', 16, 'Quadro P5000'),
  ws('quadro-p4000', 'Quadro P4000', 8, 'Quadro P4000'),
  ws('quadro-p2000', 'Quadro P2000', 5, 'Quadro P2000'),
  ws('quadro-p2000-mobile', 'Quadro P2000 Mobile', 4),
  ws('quadro-m4000', 'Quadro M4000', 8, 'Quadro M4000'),
  // NVIDIA consumer. Names sold with several memory sizes (GTX 960, RTX 4060 Ti) have no name here.
  gf('rtx-5090', 'GeForce RTX 5090', 32, 'GeForce RTX 5090'),
  gf('rtx-5090-mobile', 'GeForce RTX 5090 Laptop', 24, 'GeForce RTX 5090 Laptop GPU'),
  gf('rtx-5080', 'GeForce RTX 5080', 16, 'GeForce RTX 5080'),
  gf('rtx-5070-ti', 'GeForce RTX 5070 Ti', 16, 'GeForce RTX 5070 Ti'),
  gf('rtx-5070', 'GeForce RTX 5070', 12, 'GeForce RTX 5070'),
  gf('rtx-4090', 'GeForce RTX 4090', 24, 'GeForce RTX 4090'),
  gf('rtx-4080-super', 'GeForce RTX 4080 SUPER', 16, 'GeForce RTX 4080 SUPER'),
  gf('rtx-4080', 'GeForce RTX 4080', 16, 'GeForce RTX 4080'),
  gf('rtx-4070-ti-super', 'GeForce RTX 4070 Ti SUPER', 16, 'GeForce RTX 4070 Ti SUPER'),
  gf('rtx-4070-ti', 'GeForce RTX 4070 Ti', 12, 'GeForce RTX 4070 Ti'),
  gf('rtx-4070-super', 'GeForce RTX 4070 SUPER', 12, 'GeForce RTX 4070 SUPER'),
  gf('rtx-4070', 'GeForce RTX 4070', 12, 'GeForce RTX 4070'),
  gf('rtx-4060-ti-16gb', 'GeForce RTX 4060 Ti 16GB', 16),
  gf('rtx-4060-ti-8gb', 'GeForce RTX 4060 Ti 8GB', 8),
  gf('rtx-4060', 'GeForce RTX 4060', 8, 'GeForce RTX 4060'),
  gf('rtx-3090-ti', 'GeForce RTX 3090 Ti', 24, 'GeForce RTX 3090 Ti'),
  gf('rtx-3090', 'GeForce RTX 3090', 24, 'GeForce RTX 3090'),
  gf('rtx-3080', 'GeForce RTX 3080 10GB', 10, 'GeForce RTX 3080'),
  gf('rtx-3070', 'GeForce RTX 3070', 8, 'GeForce RTX 3070'),
  gf('rtx-3060-ti', 'GeForce RTX 3060 Ti', 8, 'GeForce RTX 3060 Ti'),
  gf('rtx-3060', 'GeForce RTX 3060 12GB', 12, 'GeForce RTX 3060'),
  gf('rtx-3060-mobile', 'GeForce RTX 3060 Laptop', 6, 'GeForce RTX 3060 Laptop GPU'),
  gf('rtx-2080-ti', 'GeForce RTX 2080 Ti', 11, 'GeForce RTX 2080 Ti'),
  gf('rtx-2080-super', 'GeForce RTX 2080 SUPER', 8, 'GeForce RTX 2080 SUPER'),
  gf('rtx-2080', 'GeForce RTX 2080', 8, 'GeForce RTX 2080'),
  gf('rtx-2070-super', 'GeForce RTX 2070 SUPER', 8, 'GeForce RTX 2070 SUPER'),
  gf('rtx-2070', 'GeForce RTX 2070', 8, 'GeForce RTX 2070'),
  gf('rtx-2060-super', 'GeForce RTX 2060 SUPER', 8, 'GeForce RTX 2060 SUPER'),
  gf('rtx-2060', 'GeForce RTX 2060 6GB', 6, 'GeForce RTX 2060'),
  gf('gtx-1660-ti', 'GeForce GTX 1660 Ti', 6, 'GeForce GTX 1660 Ti'),
  gf('gtx-1660', 'GeForce GTX 1660', 6, 'GeForce GTX 1660'),
  gf('gtx-1650-super', 'GeForce GTX 1650 SUPER', 4, 'GeForce GTX 1650 SUPER'),
  gf('gtx-1650-ti-mobile', 'GeForce GTX 1650 Ti Mobile', 4, 'GeForce GTX 1650 Ti'),
  gf('gtx-1080-ti', 'GeForce GTX 1080 Ti', 11, 'GeForce GTX 1080 Ti'),
  gf('gtx-1080', 'GeForce GTX 1080', 8, 'GeForce GTX 1080'),
  gf('gtx-1070-ti', 'GeForce GTX 1070 Ti', 8, 'GeForce GTX 1070 Ti'),
  gf('gtx-1070', 'GeForce GTX 1070', 8, 'GeForce GTX 1070'),
  gf('gtx-1060-6gb', 'GeForce GTX 1060 6GB', 6, 'GeForce GTX 1060 6GB'),
  gf('gtx-1060-5gb', 'GeForce GTX 1060 5GB', 5, 'GeForce GTX 1060 5GB'),
  gf('gtx-1060-3gb', 'GeForce GTX 1060 3GB', 3, 'GeForce GTX 1060 3GB'),
  gf('gtx-1050-ti', 'GeForce GTX 1050 Ti', 4, 'GeForce GTX 1050 Ti'),
  gf('gtx-1050-3gb', 'GeForce GTX 1050 3GB', 3, 'GeForce GTX 1050 3GB'),
  gf('gtx-1050', 'GeForce GTX 1050 2GB', 2, 'GeForce GTX 1050'),
  gf('gtx-980-ti', 'GeForce GTX 980 Ti', 6, 'GeForce GTX 980 Ti'),
  gf('gtx-980', 'GeForce GTX 980', 4, 'GeForce GTX 980'),
  gf('gtx-970', 'GeForce GTX 970', 4, 'GeForce GTX 970'),
  gf('gtx-960-4gb', 'GeForce GTX 960 4GB (OEM)', 4),
  gf('gtx-960', 'GeForce GTX 960 2GB', 2),
  gf('gt-1030', 'GeForce GT 1030', 2, 'GeForce GT 1030'),
  gf('mx150', 'GeForce MX150', 2, 'GeForce MX150'),
]

/**
 * vGPU board codes (the part before '-' in 'GRID A100-40C', 'NVIDIA H100XM-80C') to the physical
 * board, per NVIDIA's vGPU documentation. 'A100X' is left out: the A100 HGX 40GB and the A100X
 * converged card both use it.
 */
const VGPU_BOARDS: Readonly<Record<string, string>> = {
  A100: 'a100-pcie-40gb',
  A100D: 'a100-pcie-80gb',
  A100DX: 'a100-sxm-80gb',
  H100: 'h100-pcie-80gb',
  H100XM: 'h100-sxm-80gb',
  H100L: 'h100-nvl-94gb',
  H200: 'h200-nvl-141gb',
  H200X: 'h200-141gb',
  L40S: 'l40s-48gb',
  L40: 'l40-48gb',
  L4: 'l4-24gb',
  A40: 'a40-48gb',
  A30: 'a30-24gb',
  A10: 'a10-24gb',
  T4: 't4-16gb',
  V100X: 'v100-sxm2-16gb',
  V100DX: 'v100-sxm2-32gb',
  RTX6000: 'quadro-rtx-6000',
  RTX8000: 'quadro-rtx-8000',
}

const DROPPED_WORDS: ReadonlySet<string> = new Set([
  'nvidia',
  'amd',
  'geforce',
  'tesla',
  'generation',
  'edition',
  'gpu',
])

/**
 * Order-free comparison key of a name: lower case, trademark signs and punctuation gone, maker words
 * dropped, compact forms split ('rtx4080s' = 'RTX 4080 SUPER'), '80 GB' = '80GB'.
 */
export function nameKey(name: string): string {
  const text = name
    .toLowerCase()
    .replace(/\((?:r|tm)\)|[®™]/g, ' ')
    .replace(/[-_/,()]+/g, ' ')
    .replace(/\b(rtx|gtx|gt)(?=\d)/g, '$1 ')
    .replace(/\b(\d{3,4})(ti|super)\b/g, '$1 $2')
    .replace(/\b(\d{4})s\b/g, '$1 super')
    .replace(/\b(\d+)\s*gi?b\b/g, '$1gb')
  const words = text.split(/\s+/).filter((w) => w !== '' && !DROPPED_WORDS.has(w))
  return [...new Set(words)].sort().join(' ')
}

function buildCatalogue(): { byId: Map<string, GpuModel>; byName: Map<string, GpuModel> } {
  const byId = new Map<string, GpuModel>()
  const byName = new Map<string, GpuModel>()
  for (const spec of SPECS) {
    const model: GpuModel = Object.freeze({
      id: spec.id,
      title: spec.title,
      vramGiB: spec.vramGiB,
      vramClass: vramClassOf(spec.vramGiB),
      segment: spec.segment,
    })
    if (byId.has(model.id)) throw new Error(`gpu-models: duplicate id ${model.id}`)
    byId.set(model.id, model)
    for (const name of spec.names) {
      const key = nameKey(name)
      const other = byName.get(key)
      if (other && other.id !== model.id) {
        throw new Error(`gpu-models: '${name}' names both ${other.id} and ${model.id}`)
      }
      byName.set(key, model)
    }
  }
  return { byId, byName }
}

const { byId: MODELS_BY_ID, byName: MODELS_BY_NAME } = buildCatalogue()

export function listGpuModels(): GpuModel[] {
  return [...MODELS_BY_ID.values()]
}

export function gpuModelById(id: string): GpuModel | null {
  return MODELS_BY_ID.get(id) ?? null
}

// ---------------------------------------------------------------------------------------------
// PCI ids

/**
 * An entry of the registry, in Akash's provider-configs format (devices/pcie/gpus.json) plus
 * `model` (canonical id) or `unknown` (why the id cannot be mapped), and an optional `note`.
 */
const registryDeviceSchema = z.object({
  name: z.string(),
  interface: z.string(),
  memory_size: z.string(),
  model: z.string().optional(),
  unknown: z.string().optional(),
  note: z.string().optional(),
})
const registrySchema = z.record(
  z.string().regex(/^[0-9a-f]{4}$/),
  z.object({ name: z.string(), devices: z.record(z.string().regex(/^[0-9a-f]{4}$/), registryDeviceSchema) }),
)

export type PciLookup =
  | { status: 'known'; pciId: string; model: GpuModel }
  | { status: 'unknown'; pciId: string; reason: string }
  | { status: 'absent'; pciId: string }

type RegistryEntry = { model: GpuModel } | { reason: string }

/**
 * Reads a registry in Akash's format. Entries without `model` (a plain Akash file) are kept as
 * unknown; a `model` that is not a canonical id is an error in the registry.
 */
export function loadPciRegistry(json: unknown): Map<string, RegistryEntry> {
  const parsed = registrySchema.parse(json)
  const registry = new Map<string, RegistryEntry>()
  for (const [vendorId, vendor] of Object.entries(parsed)) {
    for (const [deviceId, device] of Object.entries(vendor.devices)) {
      const pciId = `${vendorId}:${deviceId}`
      if (device.model !== undefined) {
        const model = MODELS_BY_ID.get(device.model)
        if (!model) throw new Error(`PCI registry: ${pciId} maps to unknown model id '${device.model}'`)
        registry.set(pciId, { model })
      } else {
        const reason = device.unknown ?? `${vendor.name} ${device.name} is not mapped to a canonical model`
        registry.set(pciId, { reason })
      }
    }
  }
  return registry
}

const PCI_REGISTRY = loadPciRegistry(registryJson)

/** '10de:2330', '10DE:2330', '0x233010DE' or '233010DE' (nvidia-smi's form) to '10de:2330'. */
export function parsePciId(raw: string): string | null {
  const text = raw.trim().toLowerCase()
  const pair = /^(?:0x)?([0-9a-f]{4}):(?:0x)?([0-9a-f]{4})$/.exec(text)
  if (pair) return `${pair[1]}:${pair[2]}`
  const combined = /^(?:0x)?([0-9a-f]{4})([0-9a-f]{4})$/.exec(text)
  if (combined) return `${combined[2]}:${combined[1]}`
  return null
}

export function lookupPciId(raw: string): PciLookup {
  const pciId = parsePciId(raw) ?? raw.trim().toLowerCase()
  const entry = PCI_REGISTRY.get(pciId)
  if (!entry) return { status: 'absent', pciId }
  return 'model' in entry
    ? { status: 'known', pciId, model: entry.model }
    : { status: 'unknown', pciId, ...entry }
}

// ---------------------------------------------------------------------------------------------
// Names

const MIG_SUFFIX = /\s+MIG\s+(?:\d+c\.)?\d+g\.\d+gb(?:\+[a-z0-9]+)*\s*$/i
const VGPU_NAME = /^(?:GRID|NVIDIA)\s+([A-Z0-9]+)-(?:\d+-)?(\d+)([ABCQ])$/i

/**
 * The canonical model of a GPU name or PCI id, or null when it does not identify exactly one model.
 * MIG instances ('NVIDIA H100 80GB HBM3 MIG 1g.10gb') and vGPUs ('GRID A100-40C') give the model of
 * the physical board they run on.
 */
export function normalizeGpuModel(nameOrPciId: string): GpuModel | null {
  const input = nameOrPciId.trim()
  if (input === '') return null
  const pciId = parsePciId(input)
  if (pciId !== null) {
    const found = lookupPciId(pciId)
    return found.status === 'known' ? found.model : null
  }
  const byId = MODELS_BY_ID.get(input.toLowerCase())
  if (byId) return byId
  // nvidia-smi's table cuts long names ('NVIDIA GeForce RTX 2080 ...'): 2080, SUPER or Ti?
  if (/(?:\.\.\.|…)$/.test(input)) return null
  const name = input.replace(MIG_SUFFIX, '')
  if (/^MIG\b/i.test(name)) return null
  const vgpu = VGPU_NAME.exec(name)
  if (vgpu?.[1] && vgpu[2]) {
    const board = VGPU_BOARDS[vgpu[1].toUpperCase()]
    const model = board === undefined ? undefined : MODELS_BY_ID.get(board)
    return model && Number(vgpu[2]) <= model.vramGiB ? model : null
  }
  return MODELS_BY_NAME.get(nameKey(name)) ?? null
}
