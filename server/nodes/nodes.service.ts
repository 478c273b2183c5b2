import { Injectable } from '@nestjs/common'
import { chToDate, int, num, windowKey, type Window } from '../core/clickhouse-values.js'
import { decodeCursor, encodeCursor, pageSize } from '../core/connection.js'
import { badInput } from '../core/errors.js'
import { requestLoader } from '../core/loaders.js'
import { measure } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import { Granularity } from '../core/range.js'
import type { NodeConnection, NodeHistoryPoint, NodeModel } from './node.model.js'
import { NodeOrder, VerificationStatus } from './node.model.js'

interface NodeRow {
  network: string
  node_id: string
  is_listed: number
  listed_name: string
  listed_model: string
  listed_gpus: number
  listed_at: string
  region: string
  source: string
  gpus_seen: string
  online_gpu_seconds: string
  busy_gpu_seconds: string
  last_seen: string | null
  signed_models: string[]
  signed_gpus: string
  status: VerificationStatus
  reason: string
  uptime_provenance: string
  uptime: number | null
  time_utilization_provenance: string
  time_utilization: number | null
  sort_key: number
}

interface HistoryRow {
  network: string
  node_id: string
  bucket: string
  bucket_end: string
  online_gpu_seconds: string
  busy_gpu_seconds: string
  time_utilization_provenance: string
  time_utilization: number | null
  allocation_utilization_provenance: string
  allocation_utilization: number | null
  compute_utilization_provenance: string
  compute_utilization: number | null
  uptime_provenance: string
  uptime: number | null
}

export interface NodeFilter {
  networks: string[]
  window: Window
  node: string
  gpuModel: string
  status: VerificationStatus | null
  order: NodeOrder
  first: number
  after: string | null
}

export const NODES_SQL = 'queries/nodes'
export const NODE_HISTORY_SQL = 'queries/node_history'
/** Most rows an export of a list streams. */
export const MAX_EXPORT_ROWS = 1_000_000

@Injectable()
export class NodesService {
  constructor(private readonly metrics: MetricSqlService) {}

  query(filter: NodeFilter, limit: number): Promise<BoundQuery> {
    const cursor = filter.after ? parseCursor(filter.after) : null
    return this.metrics.bind(NODES_SQL, filter.networks, filter.window, {
      node: filter.node,
      gpu_model: filter.gpuModel,
      status: filter.status ?? '',
      order: filter.order,
      has_cursor: cursor ? 1 : 0,
      after_key: cursor?.[0] ?? 0,
      after_network: cursor?.[1] ?? '',
      after_node: cursor?.[2] ?? '',
      limit,
    })
  }

  async list(filter: NodeFilter): Promise<NodeConnection> {
    const limit = pageSize(filter.first)
    const rows = await this.metrics.run<NodeRow>(await this.query(filter, limit + 1))
    const edges = rows.slice(0, limit).map((r) => ({
      cursor: encodeCursor([r.sort_key, r.network, r.node_id]),
      node: toNode(r, filter.window),
    }))
    return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } }
  }

  async one(network: string, id: string, window: Window): Promise<NodeModel | null> {
    const page = await this.list({
      networks: [network],
      window,
      node: id,
      gpuModel: '',
      status: null,
      order: NodeOrder.NODE_ID,
      first: 1,
      after: null,
    })
    return page.edges[0]?.node ?? null
  }

  historyQuery(networks: string[], nodes: string[], window: Window): Promise<BoundQuery> {
    return this.metrics.bind(NODE_HISTORY_SQL, networks, window, { nodes })
  }

  /** A node's history, batched for every node of the request with the same window. */
  async history(context: object, node: NodeModel, granularity: Granularity): Promise<NodeHistoryPoint[]> {
    const window: Window = { range: node.window.range, unit: granularity, previous: null }
    type Key = { network: string; node: string; window: Window }
    const loader = requestLoader<Key, HistoryRow[]>(
      context,
      'node-history',
      async (keys) => {
        const groups = new Map<string, Key[]>()
        for (const k of keys) groups.set(windowKey(k.window), [...(groups.get(windowKey(k.window)) ?? []), k])
        const results = new Map<string, HistoryRow[]>()
        for (const group of groups.values()) {
          const first = group[0]
          if (!first) continue
          const networks = [...new Set(group.map((k) => k.network))]
          const nodes = [...new Set(group.map((k) => k.node))]
          const rows = await this.metrics.run<HistoryRow>(
            await this.historyQuery(networks, nodes, first.window),
          )
          for (const k of group) {
            results.set(
              `${k.network}|${k.node}|${windowKey(k.window)}`,
              rows.filter((r) => r.network === k.network && r.node_id === k.node),
            )
          }
        }
        return keys.map((k) => results.get(`${k.network}|${k.node}|${windowKey(k.window)}`) ?? [])
      },
      (k) => `${k.network}|${k.node}|${windowKey(k.window)}`,
    )
    const rows = await loader.load({ network: node.network, node: node.id, window })
    return rows.map((r) => ({
      start: chToDate(r.bucket),
      end: chToDate(r.bucket_end),
      onlineGpuSeconds: int(r.online_gpu_seconds),
      busyGpuSeconds: int(r.busy_gpu_seconds),
      timeUtilization: measure(r.time_utilization, r.time_utilization_provenance),
      allocationUtilization: measure(r.allocation_utilization, r.allocation_utilization_provenance),
      computeUtilization: measure(r.compute_utilization, r.compute_utilization_provenance),
      uptime: measure(r.uptime, r.uptime_provenance),
    }))
  }
}

function parseCursor(after: string): [number, string, string] {
  const [key, network, node] = decodeCursor(after) ?? []
  if (
    typeof key !== 'number' ||
    !Number.isFinite(key) ||
    typeof network !== 'string' ||
    typeof node !== 'string'
  ) {
    throw badInput('after', 'not a cursor returned by this field')
  }
  return [key, network, node]
}

function toNode(r: NodeRow, window: Window): NodeModel {
  const listed = r.is_listed === 1
  return {
    window,
    network: r.network,
    id: r.node_id,
    range: window.range,
    listed,
    listedName: listed ? r.listed_name : null,
    listedModel: listed ? r.listed_model : null,
    listedGpus: listed ? r.listed_gpus : null,
    listedAt: listed ? chToDate(r.listed_at) : null,
    region: listed ? r.region : null,
    source: listed ? r.source : null,
    gpusSeen: int(r.gpus_seen),
    onlineGpuSeconds: int(r.online_gpu_seconds),
    busyGpuSeconds: int(r.busy_gpu_seconds),
    lastSeen: r.last_seen ? chToDate(r.last_seen) : null,
    signedModels: r.signed_models,
    signedGpus: int(r.signed_gpus),
    verification: r.status,
    verificationReason: r.reason,
    uptime: measure(num(r.uptime), r.uptime_provenance),
    timeUtilization: measure(num(r.time_utilization), r.time_utilization_provenance),
  }
}
