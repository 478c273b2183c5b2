/** Telemetry inputs as canonical TelemetrySampleRows: canonical GPU model, ClickHouse types. */
import type { TelemetrySampleRow } from '../store/rows.js'
import type { BatchGpu } from './batch.js'
import type { ValidBatch } from './validate.js'
import type { GpuReading } from './gpu-sample.js'
import { normalizeGpuModel } from './gpu-models.js'

const MODEL_CACHE = new Map<string, string>()

/** The canonical model id of a reported name (or, failing that, PCI id); 'unknown' when neither says. */
export function canonicalGpuModel(name: string, pciDeviceId: string | null): string {
  const key = `${name}\u0000${pciDeviceId ?? ''}`
  let id = MODEL_CACHE.get(key)
  if (id === undefined) {
    id =
      normalizeGpuModel(name)?.id ??
      (pciDeviceId ? normalizeGpuModel(pciDeviceId)?.id : undefined) ??
      'unknown'
    if (MODEL_CACHE.size >= 10_000) MODEL_CACHE.clear()
    MODEL_CACHE.set(key, id)
  }
  return id
}

/** Milliseconds as ClickHouse DateTime64(3) text, UTC. */
export function clickHouseTime(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
}

function whole(value: number | null): number | null {
  return value === null ? null : Math.round(value)
}

/**
 * Watts to nvidia-smi's resolution, 0.01 W, half up (power_w is Decimal(9, 2), which would
 * truncate). The 1e-6 keeps a decimal half such as 16.365 (1636.4999… in binary) rounding up.
 */
function watts(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100 + 1e-6) / 100
}

interface GpuColumns {
  gpu_uuid: string
  gpu_model: string
  gpu_name: string
  vram_mib: number | null
}

function gpuColumns(gpu: BatchGpu): GpuColumns {
  return {
    gpu_uuid: gpu.uuid,
    gpu_model: canonicalGpuModel(gpu.name, gpu.pciDeviceId),
    gpu_name: gpu.name,
    vram_mib: whole(gpu.memoryTotalMiB),
  }
}

/** batch_id of a signed batch: its sequence number (monotonic per node, so it compresses). */
export function signedRows({ batch, clickHouseTimes }: ValidBatch): TelemetrySampleRow[] {
  const gpus = batch.gpus.map(gpuColumns)
  const batchId = String(batch.seq)
  return batch.samples.map((s, i): TelemetrySampleRow => {
    const gpu = gpus[s.gpu] as GpuColumns
    return {
      network: batch.network,
      node_id: batch.nodeId,
      gpu_uuid: gpu.gpu_uuid,
      time: clickHouseTimes[i] as string,
      interval_s: batch.intervalS,
      gpu_model: gpu.gpu_model,
      gpu_name: gpu.gpu_name,
      vram_mib: gpu.vram_mib,
      utilization_pct: s.utilizationPct,
      memory_used_mib: whole(s.memoryUsedMiB),
      power_w: watts(s.powerW),
      temperature_c: whole(s.temperatureC),
      job_id: s.jobId ?? '',
      provenance: 'signed',
      batch_id: batchId,
    }
  })
}

export interface ReportedSource {
  network: string
  nodeId: string
  intervalS: number
  /** Time of readings that carry none (a Prometheus scrape without timestamps). */
  receivedAt: number
  batchId: string
}

export function reportedRows(readings: readonly GpuReading[], source: ReportedSource): TelemetrySampleRow[] {
  return readings.map((r) => ({
    network: source.network,
    node_id: source.nodeId,
    gpu_uuid: r.gpuUuid,
    time: clickHouseTime(r.time?.getTime() ?? source.receivedAt),
    interval_s: source.intervalS,
    gpu_model: canonicalGpuModel(r.name, r.pciDeviceId),
    gpu_name: r.name,
    vram_mib: whole(r.memoryTotalMiB),
    utilization_pct: r.utilizationPct,
    memory_used_mib: whole(r.memoryUsedMiB),
    power_w: watts(r.powerW),
    temperature_c: whole(r.temperatureC),
    job_id: '',
    provenance: 'reported',
    batch_id: source.batchId,
  }))
}
