/**
 * Metric-name based sources (dcgm-exporter, nvidia_gpu_exporter, the same names through an OTel
 * collector): which metric feeds which reading field, and a builder that gathers the series of one GPU.
 */
import type { GpuReading } from '../gpu-sample.js'
import { bytesToMiB, normalizeGpuUuid, pciIdFromCombined, ratioToPct } from './values.js'

export type NumericField =
  | 'utilizationPct'
  | 'memoryUsedMiB'
  | 'memoryFreeMiB'
  | 'memoryReservedMiB'
  | 'memoryTotalMiB'
  | 'powerW'
  | 'temperatureC'
  | 'gpuIndex'
  | 'pciCombined'

export interface MetricRule {
  field: NumericField
  /** Where several metrics feed one field, the lowest rank present wins. */
  rank: number
  convert: (value: number) => number
}

const same = (v: number): number => v

function rule(field: NumericField, convert = same, rank = 0): MetricRule {
  return { field, rank, convert }
}

/** dcgm-exporter (MiB, W, C, %) and nvidia_gpu_exporter (bytes, ratios, W, C). */
export const GPU_METRICS: ReadonlyMap<string, MetricRule> = new Map([
  ['DCGM_FI_DEV_GPU_UTIL', rule('utilizationPct')],
  ['DCGM_FI_DEV_FB_USED', rule('memoryUsedMiB')],
  ['DCGM_FI_DEV_FB_FREE', rule('memoryFreeMiB')],
  ['DCGM_FI_DEV_FB_RESERVED', rule('memoryReservedMiB')],
  ['DCGM_FI_DEV_FB_TOTAL', rule('memoryTotalMiB')],
  ['DCGM_FI_DEV_POWER_USAGE', rule('powerW')],
  ['DCGM_FI_DEV_POWER_USAGE_INSTANT', rule('powerW', same, 1)],
  ['DCGM_FI_DEV_GPU_TEMP', rule('temperatureC')],
  ['nvidia_smi_utilization_gpu_ratio', rule('utilizationPct', ratioToPct)],
  ['nvidia_smi_memory_used_bytes', rule('memoryUsedMiB', bytesToMiB)],
  ['nvidia_smi_memory_free_bytes', rule('memoryFreeMiB', bytesToMiB)],
  ['nvidia_smi_memory_reserved_bytes', rule('memoryReservedMiB', bytesToMiB)],
  ['nvidia_smi_memory_total_bytes', rule('memoryTotalMiB', bytesToMiB)],
  ['nvidia_smi_power_draw_watts', rule('powerW')],
  ['nvidia_smi_power_draw_average_watts', rule('powerW', same, 1)],
  ['nvidia_smi_power_draw_instant_watts', rule('powerW', same, 2)],
  ['nvidia_smi_temperature_gpu', rule('temperatureC')],
  ['nvidia_smi_index', rule('gpuIndex')],
  ['nvidia_smi_pci_device_id', rule('pciCombined')],
])

/** Series that carry only identity labels (name, index) for nvidia_gpu_exporter. */
export const GPU_INFO_METRICS: ReadonlySet<string> = new Set(['nvidia_smi_gpu_info'])

/** Labels (or OTel attributes) that identify a GPU, in order of preference. */
export const UUID_KEYS = ['UUID', 'uuid', 'gpu_uuid', 'gpu.uuid', 'hw.id'] as const
export const NAME_KEYS = ['modelName', 'name', 'gpu.model', 'hw.model', 'gpu.name', 'hw.name'] as const
export const HOST_KEYS = ['Hostname', 'hostname', 'host.name'] as const
export const INDEX_KEYS = ['gpu', 'index', 'gpu.index'] as const
/** dcgm-exporter labels each MIG instance's series with its GPU instance id. */
export const MIG_INSTANCE_KEY = 'GPU_I_ID'

const IDENTITY_KEYS: ReadonlySet<string> = new Set<string>([
  ...UUID_KEYS,
  ...NAME_KEYS,
  ...HOST_KEYS,
  ...INDEX_KEYS,
  '__name__',
])

// DCGM's "blank" sentinels (DCGM_INT32_BLANK and up) mean "no value"; no real GPU field reaches them.
const DCGM_BLANK = 0x7ffffff0

export function pick(attributes: Readonly<Record<string, string>>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key]
    if (value !== undefined && value.trim() !== '') return value
  }
  return null
}

export function gpuKey(uuid: string, attributes: Readonly<Record<string, string>>): string {
  const migInstance = attributes[MIG_INSTANCE_KEY]
  const base = normalizeGpuUuid(uuid)
  return migInstance === undefined ? base : `${base}/${MIG_INSTANCE_KEY}=${migInstance}`
}

export class ReadingBuilder {
  private readonly values = new Map<NumericField, { value: number | null; rank: number }>()
  private readonly labels = new Map<string, string[]>()
  private name: string | null = null
  private hostname: string | null = null
  private indexLabel: number | null = null
  private timeMs: number | null = null

  constructor(private readonly gpuUuid: string) {}

  /** Identity and extra labels of one series or data point of this GPU. */
  observeAttributes(attributes: Readonly<Record<string, string>>): void {
    this.name ??= pick(attributes, NAME_KEYS)
    this.hostname ??= pick(attributes, HOST_KEYS)
    const index = pick(attributes, INDEX_KEYS)
    if (this.indexLabel === null && index !== null && /^\d+$/.test(index)) this.indexLabel = Number(index)
    for (const [key, value] of Object.entries(attributes)) {
      if (IDENTITY_KEYS.has(key) || value === '' || /^\[.*\]$/.test(value)) continue
      const seen = this.labels.get(key)
      if (!seen) this.labels.set(key, [value])
      else if (!seen.includes(value)) seen.push(value)
    }
  }

  observeTime(ms: number | null): void {
    if (ms !== null && (this.timeMs === null || ms > this.timeMs)) this.timeMs = ms
  }

  set(rule: MetricRule, raw: number): void {
    const current = this.values.get(rule.field)
    if (current && current.rank <= rule.rank) return
    const value = Number.isFinite(raw) ? rule.convert(raw) : null
    const usable = value !== null && Number.isFinite(value) && Math.abs(value) < DCGM_BLANK
    this.values.set(rule.field, { value: usable ? value : null, rank: rule.rank })
  }

  build(): GpuReading {
    const get = (field: NumericField): number | null => this.values.get(field)?.value ?? null
    const used = get('memoryUsedMiB')
    const free = get('memoryFreeMiB')
    // dcgm reports used, free and reserved framebuffer; their sum is nvidia-smi's memory.total.
    const total =
      get('memoryTotalMiB') ??
      (used !== null && free !== null ? used + free + (get('memoryReservedMiB') ?? 0) : null)
    const pciCombined = get('pciCombined')
    const reading: GpuReading = {
      gpuUuid: normalizeGpuUuid(this.gpuUuid),
      gpuIndex: get('gpuIndex') ?? this.indexLabel,
      name: this.name ?? '',
      pciDeviceId: pciCombined === null ? null : pciIdFromCombined(pciCombined),
      time: this.timeMs === null ? null : new Date(this.timeMs),
      utilizationPct: get('utilizationPct'),
      memoryUsedMiB: used,
      memoryTotalMiB: total,
      powerW: get('powerW'),
      temperatureC: get('temperatureC'),
      hostname: this.hostname,
    }
    if (this.labels.size > 0) {
      reading.labels = Object.fromEntries([...this.labels].map(([key, values]) => [key, values.join(',')]))
    }
    return reading
  }
}

/** Builders keyed by GPU (and MIG instance, and time where a source has several), in first-seen order. */
export class ReadingSet {
  private readonly builders = new Map<string, ReadingBuilder>()

  get(key: string, gpuUuid: string): ReadingBuilder {
    let builder = this.builders.get(key)
    if (!builder) {
      builder = new ReadingBuilder(gpuUuid)
      this.builders.set(key, builder)
    }
    return builder
  }

  build(): GpuReading[] {
    return [...this.builders.values()].map((b) => b.build())
  }
}
