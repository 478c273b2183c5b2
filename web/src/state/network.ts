import { computed, type ComputedRef } from 'vue'
import { fetchNetworkDetail, fetchSuccessByModel, type DetailVariables } from '../api/network'
import { fetchNetworks } from '../api/networks'
import type { CohortUnit, RetentionKind } from '../lib/cohorts'
import { loadState, useAsync } from './async'
import { granularityInput, rangeInput, type UseView } from './view'

/** The network page's data: the catalog entry, one detail request, then success rate per GPU model. */
export function useNetwork(id: ComputedRef<string>, v: UseView) {
  const catalog = useAsync(() => 'catalog', fetchNetworks)
  const network = computed(() => catalog.data.value?.find((n) => n.id === id.value) ?? null)

  const cohortUnit = computed((): CohortUnit => {
    const p = v.param('cohort')
    if (p === 'week' || p === 'month') return p === 'week' ? 'WEEK' : 'MONTH'
    return ['1y'].includes(v.view.value.range) ? 'MONTH' : 'WEEK'
  })
  const retentionKind = computed((): RetentionKind =>
    v.param('retention') === 'revenue' ? 'revenue' : 'logo',
  )

  const variables = computed((): DetailVariables => ({
    network: id.value,
    range: rangeInput(v.view.value),
    granularity: granularityInput(v.view.value),
    cohort: cohortUnit.value,
  }))
  const detail = useAsync(
    () => (network.value ? JSON.stringify(variables.value) : null),
    () => fetchNetworkDetail(variables.value),
  )

  const models = computed(() => {
    const d = detail.data.value
    if (!d) return null
    const ids = new Set([
      ...d.hardwareMix.models.map((m) => m.group),
      ...d.prices.models.map((m) => m.gpuModel),
    ])
    return [...ids].sort()
  })
  const success = useAsync(
    () => (models.value ? JSON.stringify([id.value, rangeInput(v.view.value), models.value]) : null),
    () => fetchSuccessByModel(id.value, rangeInput(v.view.value), models.value ?? []),
  )

  const state = (s: {
    loading: { value: boolean }
    error: { value: string | null }
    data: { value: unknown }
  }) =>
    computed(() =>
      loadState({ loading: s.loading.value, error: s.error.value, hasData: s.data.value !== null }),
    )

  return {
    catalog,
    catalogState: state(catalog),
    network,
    detail,
    detailState: state(detail),
    success,
    successState: state(success),
    cohortUnit,
    retentionKind,
  }
}
