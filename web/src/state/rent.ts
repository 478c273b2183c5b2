import { computed } from 'vue'
import { fetchModels, fetchRent, type ModelRow, type RentData } from '../api/nodes'
import { fetchNetworks } from '../api/networks'
import { tally, type SuccessTally } from '../lib/stats'
import { loadState, useAsync } from './async'
import { rangeInput, type UseView } from './view'
import type { NodeSummary } from '../api/network'

/** VRAM classes of the hardware registry, by the least memory a card of the class has. */
export const VRAM_CLASSES: Record<string, number> = { '<=16': 0, '24': 24, '40-48': 40, '80+': 80 }
export const VRAM_CHOICES = [0, 24, 40, 80]

export interface NetworkOffer {
  id: string
  name: string
  data: RentData | null
  error: string | null
  lists: boolean
}

export interface NodeOffer {
  node: NodeSummary
  networkName: string
  success: SuccessTally
}

export function useRent(v: UseView) {
  const catalog = useAsync(() => 'catalog', fetchNetworks)
  const range = computed(() => rangeInput(v.view.value))

  /** Every GPU model any network lists, with its VRAM class and the networks listing it. */
  const models = useAsync(
    () => (catalog.data.value ? JSON.stringify(range.value) : null),
    async () => {
      const networks = catalog.data.value ?? []
      const rows = await Promise.all(
        networks.map((n) => fetchModels(n.id, range.value).catch(() => [] as ModelRow[])),
      )
      const byModel = new Map<string, { vramClass: string; segment: string; networks: string[] }>()
      rows.forEach((list, i) => {
        for (const m of list) {
          const entry = byModel.get(m.group) ?? { vramClass: m.vramClass, segment: m.segment, networks: [] }
          entry.networks.push(networks[i]?.id ?? '')
          byModel.set(m.group, entry)
        }
      })
      return [...byModel].map(([id, e]) => ({ id, ...e })).sort((a, b) => a.id.localeCompare(b.id))
    },
  )

  const minVram = computed(() => {
    const n = Number(v.param('vram') ?? 0)
    return VRAM_CHOICES.includes(n) ? n : 0
  })
  const choices = computed(() =>
    (models.data.value ?? []).filter((m) => (VRAM_CLASSES[m.vramClass] ?? 0) >= minVram.value),
  )
  const model = computed(() => {
    const wanted = v.param('model')
    return choices.value.find((m) => m.id === wanted) ?? choices.value[0] ?? null
  })

  const offers = useAsync(
    () => (model.value ? JSON.stringify([model.value.id, range.value]) : null),
    async (): Promise<NetworkOffer[]> => {
      const m = model.value
      const networks = catalog.data.value ?? []
      if (!m) return []
      return Promise.all(
        networks.map(async (n): Promise<NetworkOffer> => {
          const lists = m.networks.includes(n.id)
          if (!lists) return { id: n.id, name: n.name, data: null, error: null, lists }
          try {
            return {
              id: n.id,
              name: n.name,
              data: await fetchRent(n.id, range.value, m.id),
              error: null,
              lists,
            }
          } catch (e) {
            return {
              id: n.id,
              name: n.name,
              data: null,
              error: e instanceof Error ? e.message : String(e),
              lists,
            }
          }
        }),
      )
    },
  )

  /** Nodes of the model across networks, with their own job tally (from the jobs they ran). */
  const nodes = computed((): NodeOffer[] =>
    (offers.data.value ?? []).flatMap((o) => {
      if (!o.data) return []
      const byNode = new Map<string, string[]>()
      for (const job of o.data.jobs) byNode.set(job.nodeId, [...(byNode.get(job.nodeId) ?? []), job.status])
      return o.data.nodes.map((node) => ({
        node,
        networkName: o.name,
        success: tally(byNode.get(node.id) ?? []),
      }))
    }),
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
    models,
    modelsState: state(models),
    minVram,
    choices,
    model,
    offers,
    offersState: state(offers),
    nodes,
  }
}
