/** GPUs the simulated operators run: canonical id (ingest/telemetry/gpu-models), nvidia-smi name, VRAM. */
export interface WorldGpu {
  model: string
  smiName: string
  vramMiB: number
  /** Typical market price, USD per GPU-hour, around which jobs are priced. */
  usdPerHour: number
}

export const WORLD_GPUS: readonly WorldGpu[] = [
  { model: 'h100-sxm-80gb', smiName: 'NVIDIA H100 80GB HBM3', vramMiB: 81559, usdPerHour: 2.4 },
  { model: 'a100-sxm-80gb', smiName: 'NVIDIA A100-SXM4-80GB', vramMiB: 81920, usdPerHour: 1.5 },
  { model: 'l40s-48gb', smiName: 'NVIDIA L40S', vramMiB: 46068, usdPerHour: 0.9 },
  { model: 'rtx-4090', smiName: 'NVIDIA GeForce RTX 4090', vramMiB: 24564, usdPerHour: 0.45 },
  { model: 'rtx-3090', smiName: 'NVIDIA GeForce RTX 3090', vramMiB: 24576, usdPerHour: 0.25 },
]

export function worldGpu(model: string): WorldGpu {
  const gpu = WORLD_GPUS.find((g) => g.model === model)
  if (!gpu) throw new Error(`unknown world GPU ${model}`)
  return gpu
}
