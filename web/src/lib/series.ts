import type { Point, Unit } from '../api/types'
import { formatValue } from './format'

/** A bucket that has not ended yet: its value is still growing, so it is drawn as partial. */
export const isPartial = (p: Pick<Point, 'end'>, now = Date.now()): boolean => Date.parse(p.end) > now

const axisNumber = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })

/** Axis tick labels: the number only, the unit is in the axis name. */
export function axisLabel(unit: Unit | string): (value: number) => string {
  if (unit === 'share' || unit === 'mix') return (v) => `${Math.round(v * 100)}`
  if (unit === 'usd' || unit === 'usd_per_gpu_hour') return (v) => `$${axisNumber.format(v)}`
  return (v) => axisNumber.format(v)
}

export function tooltipValue(value: number | null | undefined, unit: Unit | string): string {
  return value === null || value === undefined ? 'no data' : formatValue(value, unit)
}
