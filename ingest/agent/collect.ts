/**
 * Where the agent reads GPUs from: `nvidia-smi --query-gpu=... --format=csv` (falling back to
 * `nvidia-smi -q -x` when the CSV query fails, e.g. a driver that lacks a field), or a file holding
 * either output (for tests, or hosts where another process runs nvidia-smi).
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import type { GpuReading } from '../telemetry/gpu-sample.js'
import { parseNvidiaSmiCsv, parseNvidiaSmiXml } from '../telemetry/parsers/index.js'

export const QUERY_FIELDS = [
  'timestamp',
  'uuid',
  'index',
  'name',
  'pci.device_id',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'power.draw',
  'temperature.gpu',
] as const

export interface GpuSource {
  /** Describes the source in logs. */
  readonly label: string
  read(): Promise<GpuReading[]>
}

function run(bin: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // TZ=UTC: nvidia-smi prints local time without a zone, and the parsers read it as UTC.
    execFile(
      bin,
      args,
      { env: { ...process.env, TZ: 'UTC' }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(`${bin} ${args[0] ?? ''} failed: ${(stderr || error.message).trim().slice(0, 300)}`),
          )
        else resolve(stdout)
      },
    )
  })
}

export class NvidiaSmiSource implements GpuSource {
  readonly label: string
  private useXml = false

  constructor(
    private readonly bin = 'nvidia-smi',
    private readonly timeoutMs = 10_000,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.label = bin
  }

  async read(): Promise<GpuReading[]> {
    if (!this.useXml) {
      try {
        const csv = await run(
          this.bin,
          [`--query-gpu=${QUERY_FIELDS.join(',')}`, '--format=csv,nounits'],
          this.timeoutMs,
        )
        return parseNvidiaSmiCsv(csv)
      } catch (error) {
        this.warn(`CSV query unusable (${(error as Error).message}); using nvidia-smi -q -x from now on`)
        this.useXml = true
      }
    }
    return parseNvidiaSmiXml(await run(this.bin, ['-q', '-x'], this.timeoutMs))
  }
}

export class FileSource implements GpuSource {
  constructor(readonly label: string) {}

  async read(): Promise<GpuReading[]> {
    const text = await readFile(this.label, 'utf8')
    return text.trimStart().startsWith('<') ? parseNvidiaSmiXml(text) : parseNvidiaSmiCsv(text)
  }
}
