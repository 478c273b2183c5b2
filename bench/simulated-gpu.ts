import type { UnsignedBatch } from '../ingest/telemetry/batch.js'

/** A simulated GPU that alternates busy and idle spells, as the telemetry benchmarks send it. */
export interface SimulatedGpu {
  busy: boolean
  /** Samples left in the current spell. */
  left: number
  memory: number
  temperature: number
}

export function simulatedGpu(rand: () => number): SimulatedGpu {
  return { busy: rand() < 0.5, left: 0, memory: 4, temperature: 45 }
}

/**
 * One sampling step: a new spell of `spell[0]` + up to `spell[1]` samples when the last one ended
 * (memory constant per job), and the temperature drifting towards its load level.
 */
export function stepGpu(gpu: SimulatedGpu, rand: () => number, spell: readonly [number, number]): void {
  if (gpu.left === 0) {
    gpu.busy = !gpu.busy
    gpu.left = spell[0] + Math.floor(rand() * spell[1])
    gpu.memory = gpu.busy ? 20_000 + Math.floor(rand() * 58_000) : 4
  }
  gpu.left--
  gpu.temperature += ((gpu.busy ? 76 : 38) - gpu.temperature) * 0.05 + (rand() - 0.5) * 0.6
}

type Reading = Omit<UnsignedBatch['samples'][number], 'gpu' | 'time'>

/** Its reading now: utilisation 95–100 % and 560–680 W busy, 0–1 % and 65–75 W idle (two decimals). */
export function gpuReading(gpu: SimulatedGpu, rand: () => number): Reading {
  return {
    utilizationPct: gpu.busy ? Math.min(100, 95 + Math.floor(rand() * 6)) : Math.floor(rand() * 2),
    memoryUsedMiB: gpu.memory,
    powerW: Math.round((gpu.busy ? 560 + rand() * 120 : 65 + rand() * 10) * 100) / 100,
    temperatureC: Math.round(gpu.temperature),
    jobId: null,
  }
}

/** The `gpus` of a batch from a node of `count` H100s, their UUIDs derived from the node's key. */
export function h100Gpus(publicKey: string, count: number): UnsignedBatch['gpus'] {
  return Array.from({ length: count }, (_, g) => ({
    uuid: `GPU-${publicKey.slice(0, 8).toLowerCase()}-0000-4000-8000-00000000000${g}`,
    index: g,
    name: 'NVIDIA H100 80GB HBM3',
    pciDeviceId: '10de:2330',
    memoryTotalMiB: 81559,
  }))
}
