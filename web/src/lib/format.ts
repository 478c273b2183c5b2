/** Self-contained (no imports): the browser tests format the API's numbers with it too. */
type Unit = string

const usdCompact = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumSignificantDigits: 3,
})
const usdCents = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
})
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 })
const twoDigits = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })

export function formatDuration(seconds: number): string {
  const abs = Math.abs(seconds)
  if (abs < 90) return `${twoDigits.format(seconds)} s`
  if (abs < 5400) return `${twoDigits.format(seconds / 60)} min`
  if (abs < 172_800) return `${twoDigits.format(seconds / 3600)} h`
  return `${twoDigits.format(seconds / 86_400)} d`
}

/** A value with its unit, as tiles and tables show it (null is handled by the caller, never as 0). */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'usd':
      return Math.abs(value) < 1 && value !== 0 ? usdCents.format(value) : usdCompact.format(value)
    case 'usd_per_gpu_hour':
      return `${usdCents.format(value)}/GPU-h`
    case 'ratio':
      return `${twoDigits.format(value)}×`
    case 'share':
    case 'mix':
      return percent.format(value)
    case 'gpus':
      return `${integer.format(value)} ${value === 1 ? 'GPU' : 'GPUs'}`
    case 'customers':
      return `${integer.format(value)} ${value === 1 ? 'customer' : 'customers'}`
    case 'nodes':
      return `${integer.format(value)} ${value === 1 ? 'node' : 'nodes'}`
    case 'jobs':
      return `${integer.format(value)} ${value === 1 ? 'job' : 'jobs'}`
    case 'seconds':
      return formatDuration(value)
    default:
      return twoDigits.format(value)
  }
}

/** The change against the previous period: percentage points for shares, relative otherwise. */
export function formatChange(change: number | null, changeRatio: number | null, unit: Unit): string | null {
  if (change === null) return null
  const arrow = change > 0 ? '▲' : change < 0 ? '▼' : '='
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±'
  if (unit === 'share' || unit === 'mix')
    return `${arrow} ${sign}${twoDigits.format(Math.abs(change) * 100)} pp`
  if (changeRatio === null) return `${arrow} ${sign}${formatValue(Math.abs(change), unit)}`
  return `${arrow} ${sign}${percent.format(Math.abs(changeRatio))}`
}

/** Axis names: the unit each axis is drawn in. */
export const AXIS_UNITS: Record<string, string> = {
  usd: 'USD',
  usd_per_gpu_hour: 'USD per GPU-hour',
  ratio: '× (ratio)',
  share: '%',
  mix: '% of GPUs',
  gpus: 'GPUs',
  customers: 'customers',
  seconds: 'seconds',
  jobs: 'jobs',
}

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})
const monthFmt = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' })
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  hour12: false,
})

export const formatDate = (iso: string | Date): string => dateFmt.format(new Date(iso))
export const formatMonth = (iso: string | Date): string => monthFmt.format(new Date(iso))
export const formatDateTime = (iso: string | Date): string => `${dateTimeFmt.format(new Date(iso))} UTC`

/** [from, to) as the inclusive days it covers. */
export function formatRange(from: string, to: string): string {
  const last = new Date(new Date(to).getTime() - 1)
  return `${formatDate(from)} – ${formatDate(last)}`
}

/** Metric ids as labels: job_success → job success. */
export const humanize = (id: string): string => id.replace(/_/g, ' ')

export function shortId(id: string, keep = 6): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-keep)}`
}
