import type { ResolvedRange } from './range.js'
import { Granularity } from './range.js'

/** A Date as ClickHouse DateTime text (whole seconds, UTC). */
export function chDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

/** ClickHouse DateTime, DateTime64 or Date text (UTC) to a Date. */
export function chToDate(value: string): Date {
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`)
}

/** A number from ClickHouse JSON (64-bit integers arrive quoted); null stays null. */
export function num(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null
  return typeof value === 'number' ? value : Number(value)
}

/** Like num, for columns that are never null. */
export function int(value: string | number): number {
  return typeof value === 'number' ? value : Number(value)
}

/** Bucket unit of a metric file: a series granularity, or 'range' (one bucket per range). */
export type BucketUnit = Granularity | 'range'

/** The time parameters every metric file takes ({from}, {to}, {granularity}, {split}). */
export interface Window {
  range: ResolvedRange
  unit: BucketUnit
  /** With unit 'range': also the period before (two buckets in one pass). */
  previous: ResolvedRange | null
}

const DAY_MS = 86_400_000

export function windowParams(w: Window): Record<string, string | number> {
  const from = w.unit === 'range' && w.previous ? w.previous.from : w.range.from
  const wholeDays = [from, w.range.from, w.range.to].every((d) => d.getTime() % DAY_MS === 0)
  return {
    from: chDateTime(from),
    to: chDateTime(w.range.to),
    granularity: w.unit,
    split: chDateTime(w.range.from),
    // Buckets of whole UTC days read the daily rollups (migrations 0009, 0010).
    daily: w.unit !== 'hour' && wholeDays ? 1 : 0,
  }
}

/** Stable text of a window, for DataLoader keys. */
export function windowKey(w: Window): string {
  return [w.range.from.getTime(), w.range.to.getTime(), w.unit, w.previous?.from.getTime() ?? ''].join('|')
}
