import DataLoader from 'dataloader'

/** The GraphQL context of one request (server/app.module.ts builds it). */
export interface GqlContext {
  req: { ip?: string; headers: Record<string, string | string[] | undefined> }
  res?: unknown
}

const registry = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>()

/**
 * One DataLoader per request and name, kept on the request's context object: batches the calls a
 * query makes for its parents (networks of a comparison, points of a series) into one SQL query,
 * and never shares results between requests.
 */
export function requestLoader<K, V>(
  context: object,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
  cacheKey: (key: K) => string,
): DataLoader<K, V> {
  let loaders = registry.get(context)
  if (!loaders) {
    loaders = new Map()
    registry.set(context, loaders)
  }
  let loader = loaders.get(name) as DataLoader<K, V> | undefined
  if (!loader) {
    loader = new DataLoader<K, V, string>((keys) => batch(keys), { cacheKeyFn: cacheKey })
    loaders.set(name, loader as DataLoader<unknown, unknown>)
  }
  return loader
}

/** A key of a per-network loader: the network and the rest of the query, as a stable text. */
export interface NetworkKey<S> {
  network: string
  spec: S
  specKey: string
}

/**
 * Groups per-network requests with the same query and runs each group once for all its networks
 * (`run` gets the networks, returns rows that name their network).
 */
export function networkLoader<S, R extends { network: string }>(
  context: object,
  name: string,
  run: (networks: string[], spec: S) => Promise<readonly R[]>,
): DataLoader<NetworkKey<S>, R[]> {
  return requestLoader<NetworkKey<S>, R[]>(
    context,
    name,
    async (keys) => {
      const groups = new Map<string, { spec: S; networks: string[] }>()
      for (const key of keys) {
        const group = groups.get(key.specKey) ?? { spec: key.spec, networks: [] }
        if (!group.networks.includes(key.network)) group.networks.push(key.network)
        groups.set(key.specKey, group)
      }
      const results = new Map<string, R[]>()
      await Promise.all(
        [...groups].map(async ([specKey, group]) => {
          const rows = await run(group.networks, group.spec)
          for (const network of group.networks) {
            results.set(
              `${network}|${specKey}`,
              rows.filter((r) => r.network === network),
            )
          }
        }),
      )
      return keys.map((k) => results.get(`${k.network}|${k.specKey}`) ?? [])
    },
    (k) => `${k.network}|${k.specKey}`,
  )
}

const memos = new WeakMap<object, Map<string, Promise<unknown>>>()

/** A value computed once per request (e.g. the end of range presets), shared by its resolvers. */
export function requestMemo<T>(context: object, key: string, compute: () => Promise<T>): Promise<T> {
  let map = memos.get(context)
  if (!map) {
    map = new Map()
    memos.set(context, map)
  }
  let value = map.get(key) as Promise<T> | undefined
  if (!value) {
    value = compute()
    map.set(key, value)
  }
  return value
}
