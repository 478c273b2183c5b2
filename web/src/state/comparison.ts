import { computed, type ComputedRef } from 'vue'
import {
  fetchComparison,
  fetchExtras,
  fetchPreviousFunnel,
  prefetchComparison,
  type CompareVariables,
  type Funnel,
  type NetworkExtras,
} from '../api/compare'
import { disclosureOf, fetchNetworks } from '../api/networks'
import { logoRetentionAt, type CohortRetention } from '../lib/retention'
import { freshState, loadState, useAsync, type LoadState } from './async'
import { granularityInput, parseView, rangeInput, yearEndingWith, type ViewState } from './view'

export interface Settled<T> {
  data: T | null
  error: string | null
}

async function settle<T>(
  ids: string[],
  load: (id: string) => Promise<T>,
): Promise<Record<string, Settled<T>>> {
  const results = await Promise.allSettled(ids.map(load))
  return Object.fromEntries(
    results.map((r, i) => [
      ids[i],
      r.status === 'fulfilled'
        ? { data: r.value, error: null }
        : { data: null, error: r.reason instanceof Error ? r.reason.message : String(r.reason) },
    ]),
  )
}

export function compareVariables(ids: string[], view: ViewState): CompareVariables {
  return {
    networks: ids,
    range: rangeInput(view),
    granularity: granularityInput(view),
    previous: view.previous,
  }
}

/**
 * The compare page is the home page: its catalog and chart requests start from main.ts, while the
 * page's code is still loading (it is most of the JavaScript, ECharts included).
 */
export function prefetchComparePage(search: string): void {
  const view = parseView(Object.fromEntries(new URLSearchParams(search)))
  void fetchNetworks()
    .then((networks) => {
      const variables = compareVariables(
        networks.map((n) => n.id),
        view,
      )
      prefetchComparison(variables, 'series')
    })
    .catch(() => {})
}

/** Everything the compare page shows, loaded in three steps so the first chart does not wait. */
export function useComparison(view: ComputedRef<ViewState>) {
  const catalog = useAsync(() => 'catalog', fetchNetworks)
  const ids = computed(() => catalog.data.value?.map((n) => n.id) ?? null)

  const variables = computed((): CompareVariables | null =>
    ids.value ? compareVariables(ids.value, view.value) : null,
  )
  const load = (part: 'tiles' | 'series') => () =>
    variables.value ? fetchComparison(variables.value, part) : Promise.reject(new Error('no networks'))
  // Series without `previous`: a change of that checkbox redraws no chart.
  const seriesKey = computed(() =>
    variables.value ? JSON.stringify({ ...variables.value, previous: null }) : null,
  )
  const comparison = useAsync(() => seriesKey.value, load('series'))
  /**
   * The charts' request first; the rest starts once it is answered, so nothing competes with it (the
   * embedded engine answers one query at a time).
   */
  const seriesLoaded = computed(
    () =>
      seriesKey.value !== null &&
      !comparison.loading.value &&
      (comparison.loadedKey.value === seriesKey.value || comparison.error.value !== null),
  )
  const tiles = useAsync(
    () => (variables.value && seriesLoaded.value ? JSON.stringify(variables.value) : null),
    load('tiles'),
  )

  const extrasKey = computed(() =>
    ids.value && seriesLoaded.value
      ? JSON.stringify([ids.value, rangeInput(view.value), yearEndingWith(view.value)])
      : null,
  )
  const extras = useAsync(
    () => extrasKey.value,
    () =>
      settle(ids.value ?? [], (id) => fetchExtras(id, rangeInput(view.value), yearEndingWith(view.value))),
  )

  const previousRange = computed(() => (view.value.previous ? tiles.data.value?.previousRange : null))
  const previousFunnels = useAsync<Record<string, Settled<Funnel>>>(
    () => (ids.value && previousRange.value ? JSON.stringify([ids.value, previousRange.value]) : null),
    () => {
      const range = previousRange.value
      return range ? settle(ids.value ?? [], (id) => fetchPreviousFunnel(id, range)) : Promise.resolve({})
    },
  )

  const catalogState = computed(() =>
    loadState({
      loading: catalog.loading.value,
      error: catalog.error.value,
      hasData: catalog.data.value !== null,
    }),
  )
  const compareState = computed(() =>
    loadState({
      loading: comparison.loading.value,
      error: comparison.error.value,
      hasData: comparison.data.value !== null,
    }),
  )
  const tilesState = computed(() =>
    freshState({
      loading: tiles.loading.value,
      error: tiles.error.value,
      hasData: tiles.data.value !== null,
    }),
  )

  function extrasOf(id: string): { state: LoadState; data: NetworkExtras | null; error: string | null } {
    const all = extras.data.value
    const mine = all?.[id]
    if (extras.error.value) return { state: 'error', data: null, error: extras.error.value }
    if (!mine || extras.loading.value)
      return { state: extras.loading.value ? 'loading' : 'empty', data: null, error: null }
    if (mine.error) return { state: 'error', data: null, error: mine.error }
    return { state: 'ready', data: mine.data, error: null }
  }

  function previousFunnelOf(id: string): Funnel | null {
    return previousRange.value ? (previousFunnels.data.value?.[id]?.data ?? null) : null
  }

  function retentionOf(id: string): { now: CohortRetention | null; before: CohortRetention | null } {
    const range = tiles.data.value?.range
    const cells = extrasOf(id).data?.retention.cohorts
    const network = catalog.data.value?.find((n) => n.id === id)
    if (!range || !cells) return { now: null, before: null }
    const disclosed = disclosureOf(network, 'customers')
    const before = previousRange.value ? logoRetentionAt(cells, previousRange.value.to, disclosed) : null
    return { now: logoRetentionAt(cells, range.to, disclosed), before }
  }

  return {
    catalog,
    catalogState,
    comparison,
    compareState,
    tiles,
    tilesState,
    extras,
    extrasOf,
    previousFunnels,
    previousFunnelOf,
    retentionOf,
  }
}
