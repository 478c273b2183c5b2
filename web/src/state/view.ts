import { computed, type ComputedRef } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'
import type { Granularity, RangeInput, RangePreset } from '../api/types'

/** Range, granularity and compare-to-previous, all kept in the URL's query string. */
export type RangeKey = '7d' | '30d' | '90d' | '1y' | 'custom'
export type GranularityKey = 'hour' | 'day' | 'week' | 'month'

export interface ViewState {
  range: RangeKey
  /** Custom range, inclusive UTC days (YYYY-MM-DD). */
  from: string | null
  to: string | null
  granularity: GranularityKey
  previous: boolean
}

export const RANGE_PRESETS: { key: Exclude<RangeKey, 'custom'>; label: string; preset: RangePreset }[] = [
  { key: '7d', label: '7 days', preset: 'D7' },
  { key: '30d', label: '30 days', preset: 'D30' },
  { key: '90d', label: '90 days', preset: 'D90' },
  { key: '1y', label: '1 year', preset: 'Y1' },
]
export const GRANULARITIES: GranularityKey[] = ['hour', 'day', 'week', 'month']

export const DEFAULT_VIEW: ViewState = {
  range: '30d',
  from: null,
  to: null,
  granularity: 'day',
  previous: true,
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const DAY_MS = 86_400_000

function one(query: LocationQuery, key: string): string | null {
  const v = query[key]
  const first = Array.isArray(v) ? v[0] : v
  return typeof first === 'string' ? first : null
}

const validDay = (d: string | null): d is string => d !== null && DAY.test(d) && !Number.isNaN(Date.parse(d))

export function parseView(query: LocationQuery): ViewState {
  const range = one(query, 'range')
  const from = one(query, 'from')
  const to = one(query, 'to')
  const g = one(query, 'g')
  const granularity = GRANULARITIES.includes(g as GranularityKey)
    ? (g as GranularityKey)
    : DEFAULT_VIEW.granularity
  const previous = one(query, 'prev') !== '0'
  if (range === 'custom' && validDay(from) && validDay(to) && from <= to) {
    return { range, from, to, granularity, previous }
  }
  const preset = RANGE_PRESETS.find((p) => p.key === range)
  return { range: preset?.key ?? DEFAULT_VIEW.range, from: null, to: null, granularity, previous }
}

/** The query string of a view: defaults are left out so URLs stay short. */
export function viewQuery(view: ViewState): Record<string, string> {
  const q: Record<string, string> = {}
  if (view.range !== DEFAULT_VIEW.range) q.range = view.range
  if (view.range === 'custom' && view.from && view.to) {
    q.from = view.from
    q.to = view.to
  }
  if (view.granularity !== DEFAULT_VIEW.granularity) q.g = view.granularity
  if (!view.previous) q.prev = '0'
  return q
}

export function rangeInput(view: ViewState): RangeInput {
  if (view.range === 'custom' && view.from && view.to) {
    const to = new Date(Date.parse(`${view.to}T00:00:00Z`) + DAY_MS)
    return { from: `${view.from}T00:00:00.000Z`, to: to.toISOString() }
  }
  return { preset: RANGE_PRESETS.find((p) => p.key === view.range)?.preset ?? 'D30' }
}

export const granularityInput = (view: ViewState): Granularity =>
  view.granularity.toUpperCase() as Granularity

/** The same period, a year long, ending where the range ends (cohorts need months of history). */
export function yearEndingWith(view: ViewState): RangeInput {
  const input = rangeInput(view)
  if (input.preset) return { preset: 'Y1' }
  const to = Date.parse(input.to ?? '')
  return { from: new Date(to - 365 * DAY_MS).toISOString(), to: input.to }
}

/** Query parameters of /export/<field>.csv for this view. */
export function exportParams(view: ViewState, extra: Record<string, string> = {}): string {
  const input = rangeInput(view)
  const params = new URLSearchParams(extra)
  if (input.preset) params.set('preset', input.preset)
  else {
    params.set('from', input.from ?? '')
    params.set('to', input.to ?? '')
  }
  params.set('granularity', granularityInput(view))
  return params.toString()
}

const VIEW_KEYS = ['range', 'from', 'to', 'g', 'prev']

export interface UseView {
  view: ComputedRef<ViewState>
  /** Pushes a history entry (so back returns to the previous view); page-specific keys are kept. */
  update(patch: Partial<ViewState>): void
  /** Page-specific query keys (e.g. the GPU model of the rent check). */
  param(key: string): string | null
  setParams(params: Record<string, string | null>): void
  /** The view's query keys, for links to other pages that keep the range. */
  query: ComputedRef<Record<string, string>>
}

export function useView(): UseView {
  const route = useRoute()
  const router = useRouter()
  const view = computed(() => parseView(route.query))
  const others = (): LocationQueryRaw =>
    Object.fromEntries(Object.entries(route.query).filter(([k]) => !VIEW_KEYS.includes(k)))
  return {
    view,
    query: computed(() => viewQuery(view.value)),
    update(patch) {
      const next = { ...view.value, ...patch }
      if (next.range !== 'custom') {
        next.from = null
        next.to = null
      }
      void router.push({ query: { ...others(), ...viewQuery(next) } })
    },
    param: (key) => one(route.query, key),
    setParams(params) {
      const query: LocationQueryRaw = { ...route.query }
      for (const [k, v] of Object.entries(params)) {
        if (v === null || v === '') delete query[k]
        else query[k] = v
      }
      void router.push({ query })
    },
  }
}
