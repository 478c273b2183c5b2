import { Field, GraphQLISODateTime, InputType, ObjectType, registerEnumType } from '@nestjs/graphql'
import { badInput } from './errors.js'

export enum Granularity {
  HOUR = 'hour',
  DAY = 'day',
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(Granularity, {
  name: 'Granularity',
  description: 'Bucket of a series: UTC hours, days, ISO weeks (Monday) or calendar months.',
})

export enum RangePreset {
  D7 = 'D7',
  D30 = 'D30',
  D90 = 'D90',
  Y1 = 'Y1',
}
registerEnumType(RangePreset, {
  name: 'RangePreset',
  description:
    'The last 7, 30, 90 or 365 days, ending at the end of the UTC day that holds the latest data ' +
    'Plumb has (chain or telemetry, any network), so a lagging source or the devnet world still shows ' +
    'whole days.',
})

@InputType({ description: 'A preset, or an explicit [from, to) in whole UTC hours; D30 when omitted.' })
export class RangeInput {
  @Field(() => RangePreset, { nullable: true }) preset?: RangePreset | null
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Inclusive, on the hour.' })
  from?: Date | null
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Exclusive, on the hour.' })
  to?: Date | null
}

@ObjectType('Range', { description: 'The range a metric was computed over: [from, to).' })
export class RangeModel {
  @Field(() => GraphQLISODateTime) from!: Date
  @Field(() => GraphQLISODateTime) to!: Date
  @Field(() => RangePreset, { nullable: true }) preset!: RangePreset | null
}

export interface ResolvedRange {
  from: Date
  to: Date
  preset: RangePreset | null
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const PRESET_DAYS: Record<RangePreset, number> = { D7: 7, D30: 30, D90: 90, Y1: 365 }
/** Longest explicit range (ten years), and most buckets a series may have. */
export const MAX_RANGE_DAYS = 3_660
export const MAX_BUCKETS = 10_000

/** The end of presets: the next UTC midnight after the latest data (or after now, when empty). */
export function presetEnd(latest: Date | null, now: Date): Date {
  const anchor = latest && latest.getTime() > 0 ? latest : now
  return new Date(Math.floor(anchor.getTime() / DAY_MS) * DAY_MS + DAY_MS)
}

/** Validates a range input; the caller supplies the preset end (presetEnd). */
export function resolveRange(input: RangeInput | null | undefined, end: Date): ResolvedRange {
  const preset = input?.preset ?? null
  const from = input?.from ?? null
  const to = input?.to ?? null
  if (preset !== null && (from !== null || to !== null)) {
    throw badInput('range', 'give either a preset or from and to, not both')
  }
  if (preset === null && from === null && to === null) return resolveRange({ preset: RangePreset.D30 }, end)
  if (preset !== null) {
    return { from: new Date(end.getTime() - PRESET_DAYS[preset] * DAY_MS), to: end, preset }
  }
  if (from === null || to === null) throw badInput('range', 'an explicit range needs both from and to')
  for (const [name, date] of [
    ['range.from', from],
    ['range.to', to],
  ] as const) {
    if (Number.isNaN(date.getTime())) throw badInput(name, 'not a date-time')
    if (date.getTime() % HOUR_MS !== 0) throw badInput(name, 'must be on the hour (UTC)')
    if (date.getTime() < 0 || date.getUTCFullYear() > 2105) throw badInput(name, 'out of range')
  }
  if (to <= from) throw badInput('range', 'to must be after from')
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw badInput('range', `at most ${MAX_RANGE_DAYS} days`)
  }
  return { from, to, preset: null }
}

/** The period of the same length just before a range (for tiles' previous values). */
export function previousRange(range: ResolvedRange): ResolvedRange {
  const span = range.to.getTime() - range.from.getTime()
  return { from: new Date(range.from.getTime() - span), to: range.from, preset: range.preset }
}

const APPROX_BUCKET_MS: Record<Granularity, number> = {
  hour: HOUR_MS,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 28 * DAY_MS,
}

/** Refuses series that would have more than MAX_BUCKETS points. */
export function checkBuckets(range: ResolvedRange, granularity: Granularity): void {
  const buckets = (range.to.getTime() - range.from.getTime()) / APPROX_BUCKET_MS[granularity]
  if (buckets > MAX_BUCKETS) {
    throw badInput('granularity', `more than ${MAX_BUCKETS} buckets over this range; choose a coarser one`)
  }
}
