import { ref, watch, type Ref } from 'vue'

export interface AsyncState<T> {
  data: Ref<T | null>
  error: Ref<string | null>
  loading: Ref<boolean>
  /** The key `data` was loaded for. */
  loadedKey: Ref<string | null>
}

/**
 * Loads whenever key() changes. The previous data stays while the next loads (no layout jump);
 * an answer that arrives after a newer request was made is dropped. A null key means waiting for
 * something the request depends on: loading, without a request.
 */
export function useAsync<T>(key: () => string | null, load: () => Promise<T>): AsyncState<T> {
  const data = ref<T | null>(null) as Ref<T | null>
  const error = ref<string | null>(null)
  const loading = ref(false)
  const loadedKey = ref<string | null>(null)
  let seq = 0
  watch(
    key,
    async (k) => {
      const mine = ++seq
      if (k === null) {
        loading.value = true
        error.value = null
        return
      }
      loading.value = true
      error.value = null
      try {
        const result = await load()
        if (mine === seq) {
          data.value = result
          loadedKey.value = k
        }
      } catch (e) {
        if (mine === seq) error.value = e instanceof Error ? e.message : String(e)
      } finally {
        if (mine === seq) loading.value = false
      }
    },
    { immediate: true },
  )
  return { data, error, loading, loadedKey }
}

/** What a chart or tile should show, each state distinct from zero. */
export type LoadState = 'loading' | 'error' | 'empty' | 'ready'

/** Charts: the previous data stays drawn (marked busy) while the next loads. */
export function loadState(s: { loading: boolean; error: string | null; hasData: boolean }): LoadState {
  if (s.error) return 'error'
  if (!s.hasData) return s.loading ? 'loading' : 'empty'
  return 'ready'
}

/** Numbers: never show the previous range's value under the new range's label. */
export function freshState(s: { loading: boolean; error: string | null; hasData: boolean }): LoadState {
  if (s.error) return 'error'
  if (s.loading) return 'loading'
  return s.hasData ? 'ready' : 'empty'
}
