/**
 * What every telemetry parser produces: one GPU at one time, as the source reported it.
 * `null` always means "the source did not say" (`[N/A]`, a MIG GPU's utilisation, a vGPU without a
 * power sensor, a series missing from a scrape); it is never turned into 0.
 */
export interface GpuReading {
  /** `GPU-xxxxxxxx-...` (the `GPU-` prefix is restored where an exporter strips it). */
  gpuUuid: string
  /** nvidia-smi's index / dcgm's `gpu` label; null where the source has no such index. */
  gpuIndex: number | null
  /** The name as reported, e.g. 'NVIDIA H100 80GB HBM3'; '' only when the source gives no name. */
  name: string
  /** 'vvvv:dddd' in lower-case hex, e.g. '10de:2330'. */
  pciDeviceId: string | null
  time: Date | null
  utilizationPct: number | null
  memoryUsedMiB: number | null
  memoryTotalMiB: number | null
  powerW: number | null
  temperatureC: number | null
  hostname: string | null
  labels?: Record<string, string>
}

export const TELEMETRY_FORMATS = [
  'nvidia-smi-csv',
  'nvidia-smi-xml',
  'prometheus',
  'prometheus-api-json',
  'otlp-json',
] as const
export type TelemetryFormat = (typeof TELEMETRY_FORMATS)[number]

/** Input a parser cannot use. `reason` says why in words an operator can act on. */
export class TelemetryParseError extends Error {
  readonly format: TelemetryFormat
  readonly reason: string
  /** 1-based line of the input, where the problem is on one line. */
  readonly line: number | null

  constructor(format: TelemetryFormat, reason: string, options: { line?: number; cause?: unknown } = {}) {
    const where = options.line === undefined ? '' : ` (line ${options.line})`
    super(`${format}: ${reason}${where}`, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'TelemetryParseError'
    this.format = format
    this.reason = reason
    this.line = options.line ?? null
  }
}
