/** Small value conversions shared by the parsers. */

const MIB = 1024 * 1024

/**
 * nvidia-smi's ways of saying "no value": `[N/A]`, `N/A`, `[Not Supported]`,
 * `[Requested functionality has been deprecated]`, `[Unknown Error]`, an empty field.
 */
export function isNotReported(raw: string): boolean {
  const value = raw.trim()
  return value === '' || /^n\/a$/i.test(value) || /^\[.*\]$/.test(value) || /^not supported$/i.test(value)
}

/**
 * A number with an optional unit suffix ('19818 MiB', '631.95 W', '100 %', '59 C', '59').
 * Returns null for "no value" markers, undefined for text that is not such a number.
 */
export function parseQuantity(raw: string, unit: string): number | null | undefined {
  if (isNotReported(raw)) return null
  const match = /^([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(\S*)$/i.exec(raw.trim())
  if (!match) return undefined
  const suffix = match[2] ?? ''
  if (suffix !== '' && suffix.toLowerCase() !== unit.toLowerCase()) return undefined
  return Number(match[1])
}

export function bytesToMiB(bytes: number): number {
  return bytes / MIB
}

/** Ratio 0..1 to percent, without binary noise such as 56.99999999999999. */
export function ratioToPct(ratio: number): number {
  return Math.round(ratio * 100 * 1e9) / 1e9
}

/**
 * NVIDIA reports the PCI id as one 32-bit number, device in the high half and vendor in the low half
 * ('0x233010DE', '233010DE', or 590352606 from nvidia_gpu_exporter). Returns 'vvvv:dddd', or null
 * when the value is missing, redacted or zero (the A10G capture says '000000DE').
 */
export function pciIdFromCombined(raw: string | number): string | null {
  let combined: number
  if (typeof raw === 'number') {
    combined = raw
  } else {
    const match = /^(?:0x)?([0-9a-f]{8})$/i.exec(raw.trim())
    if (!match?.[1]) return null
    combined = Number.parseInt(match[1], 16)
  }
  if (!Number.isInteger(combined) || combined <= 0 || combined > 0xffffffff) return null
  const device = Math.floor(combined / 0x10000)
  const vendor = combined % 0x10000
  if (device === 0 || vendor === 0) return null
  return `${hex4(vendor)}:${hex4(device)}`
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0')
}

const BARE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** nvidia_gpu_exporter drops the 'GPU-' prefix nvidia-smi and dcgm report; put it back so ids join. */
export function normalizeGpuUuid(raw: string): string {
  const value = raw.trim()
  return BARE_UUID.test(value) ? `GPU-${value}` : value
}

export interface TimeOptions {
  /**
   * nvidia-smi prints the host's local time without a zone. Minutes east of UTC of that host;
   * 0 (the default) reads it as UTC, which is what an agent running with TZ=UTC produces.
   */
  utcOffsetMinutes?: number
}

function localToDate(
  parts: [number, number, number, number, number, number, number],
  options: TimeOptions,
): Date | null {
  const [year, month, day, hour, minute, second, ms] = parts
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  const check = new Date(utc)
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  return new Date(utc - (options.utcOffsetMinutes ?? 0) * 60_000)
}

/** '2026/07/14 08:12:53.353' (nvidia-smi --query-gpu timestamp). */
export function parseNvidiaSmiTimestamp(raw: string, options: TimeOptions = {}): Date | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(raw.trim())
  if (!m) return null
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'))
  return localToDate(
    [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms],
    options,
  )
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** 'Fri Aug  4 11:44:30 2023' (C asctime, as in nvidia-smi -q -x). */
export function parseAsctime(raw: string, options: TimeOptions = {}): Date | null {
  const m = /^[a-z]{3}\s+([a-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/i.exec(raw.trim())
  if (!m?.[1]) return null
  const month = MONTHS.indexOf(m[1].toLowerCase()) + 1
  if (month === 0) return null
  return localToDate(
    [Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), 0],
    options,
  )
}
