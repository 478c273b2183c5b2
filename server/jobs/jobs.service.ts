import { Injectable } from '@nestjs/common'
import { chToDate, num, type Window } from '../core/clickhouse-values.js'
import { decodeCursor, encodeCursor, pageSize } from '../core/connection.js'
import { badInput } from '../core/errors.js'
import { provenanceOf } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import { JobOrder, type JobConnection, type JobModel, type JobStatus } from './job.model.js'

interface JobRow {
  network: string
  job_id: string
  chain: string
  customer: string
  node_id: string
  gpu_model: string
  gpu_count: number
  submitted_at: string
  started_at: string | null
  ended_at: string | null
  status: JobStatus
  price: string
  price_token: string
  price_usd: number | null
  queue_s: string | null
  run_s: string | null
  source: string
  sort_key: string
}

export interface JobFilter {
  networks: string[]
  window: Window | null
  status: JobStatus | null
  customer: string
  node: string
  gpuModel: string
  order: JobOrder
  first: number
  after: string | null
}

export const JOBS_SQL = 'queries/jobs'

@Injectable()
export class JobsService {
  constructor(private readonly metrics: MetricSqlService) {}

  query(filter: JobFilter, limit: number): Promise<BoundQuery> {
    const cursor = filter.after ? parseCursor(filter.after) : null
    const window = filter.window
    return this.metrics.bind(JOBS_SQL, filter.networks, window, {
      has_range: window ? 1 : 0,
      ...(window ? {} : { from: '1970-01-01 00:00:00', to: '1970-01-01 00:00:00' }),
      status: filter.status ?? '',
      customer: filter.customer,
      node: filter.node,
      gpu_model: filter.gpuModel,
      order: filter.order,
      has_cursor: cursor ? 1 : 0,
      after_key: cursor?.[0] ?? 0,
      after_network: cursor?.[1] ?? '',
      after_job: cursor?.[2] ?? '',
      limit,
    })
  }

  async list(filter: JobFilter): Promise<JobConnection> {
    const limit = pageSize(filter.first)
    const rows = await this.metrics.run<JobRow>(await this.query(filter, limit + 1))
    const edges = rows.slice(0, limit).map((r) => ({
      cursor: encodeCursor([Number(r.sort_key), r.network, r.job_id]),
      node: toJob(r),
    }))
    return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } }
  }
}

function parseCursor(after: string): [number, string, string] {
  const [key, network, job] = decodeCursor(after) ?? []
  if (
    typeof key !== 'number' ||
    !Number.isInteger(key) ||
    typeof network !== 'string' ||
    typeof job !== 'string'
  ) {
    throw badInput('after', 'not a cursor returned by this field')
  }
  return [key, network, job]
}

function toJob(r: JobRow): JobModel {
  return {
    network: r.network,
    id: r.job_id,
    chain: r.chain,
    customer: r.customer,
    nodeId: r.node_id,
    gpuModel: r.gpu_model,
    gpuCount: r.gpu_count,
    submittedAt: chToDate(r.submitted_at),
    startedAt: r.started_at ? chToDate(r.started_at) : null,
    endedAt: r.ended_at ? chToDate(r.ended_at) : null,
    status: r.status,
    price: r.price,
    priceToken: r.price_token,
    priceUsd: r.price_usd,
    queueSeconds: num(r.queue_s),
    runSeconds: num(r.run_s),
    provenance: provenanceOf(r.source),
  }
}
