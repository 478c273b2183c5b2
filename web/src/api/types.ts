/** Shapes shared by the API modules, as schema.graphql names them. */
export type Provenance = 'onchain' | 'signed' | 'reported' | 'none'
export type Granularity = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH'
export type RangePreset = 'D7' | 'D30' | 'D90' | 'Y1'
export type Unit =
  'usd' | 'ratio' | 'share' | 'gpus' | 'customers' | 'seconds' | 'usd_per_gpu_hour' | 'mix' | 'jobs' | 'nodes'

/** A preset, or an explicit [from, to) in whole UTC hours (ISO strings). */
export interface RangeInput {
  preset?: RangePreset
  from?: string
  to?: string
}

/** The range the server resolved: [from, to). */
export interface ResolvedRange {
  from: string
  to: string
  preset: RangePreset | null
}

export interface Measure {
  value: number | null
  provenance: Provenance
}

/** One bucket of a series. */
export interface Point {
  start: string
  end: string
  value: number | null
}
