import { Injectable } from '@nestjs/common'
import { chToDate, num, windowKey, type Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import { networkLoader } from '../core/loaders.js'
import { provenanceOf } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import type { DurationPoint, JobSuccessPoint, UptimePoint } from './reliability.model.js'

export type ReliabilityMetric = 'job_success' | 'uptime' | 'queue_time' | 'time_to_failure'

export const RELIABILITY_SQL: Record<ReliabilityMetric, string> = {
  job_success: 'metrics/job_success',
  uptime: 'metrics/uptime',
  queue_time: 'metrics/queue_time',
  time_to_failure: 'metrics/time_to_failure',
}

export interface ReliabilitySpec {
  window: Window
  gpuModel: string
  node: string
}

type Row = { network: string; bucket: string; bucket_end: string; provenance: string } & Record<
  string,
  string | number | null
>

const flag = (v: string | number | null | undefined): boolean | null =>
  v === null || v === undefined ? null : Number(v) === 1

@Injectable()
export class ReliabilityService {
  constructor(private readonly metrics: MetricSqlService) {}

  query(metric: ReliabilityMetric, networks: readonly string[], spec: ReliabilitySpec): Promise<BoundQuery> {
    const extra = metric === 'uptime' ? { node: spec.node } : { node: spec.node, gpu_model: spec.gpuModel }
    return this.metrics.bind(RELIABILITY_SQL[metric], networks, spec.window, extra)
  }

  private async rows(context: object, metric: ReliabilityMetric, network: string, spec: ReliabilitySpec) {
    const loader = networkLoader<ReliabilitySpec, Row>(
      context,
      `reliability-${metric}`,
      async (networks, s) => this.metrics.run<Row>(await this.query(metric, networks, s)),
    )
    const specKey = [spec.gpuModel, spec.node, windowKey(spec.window)].join('|')
    return (await loader.load({ network, spec, specKey })).map((r) => ({
      r,
      start: chToDate(r.bucket),
      end: chToDate(r.bucket_end),
      provenance: provenanceOf(r.provenance),
    }))
  }

  async jobSuccess(context: object, network: string, spec: ReliabilitySpec): Promise<JobSuccessPoint[]> {
    return (await this.rows(context, 'job_success', network, spec)).map(({ r, start, end, provenance }) => {
      const hide = provenance === Provenance.none
      const n = (v: string | number | null | undefined) => (hide ? null : num(v))
      return {
        start,
        end,
        provenance,
        succeeded: n(r.succeeded),
        failed: n(r.failed),
        timedOut: n(r.timed_out),
        cancelled: n(r.cancelled),
        jobs: n(r.jobs),
        successRate: n(r.success_rate),
        wilsonLow: n(r.wilson_low),
        wilsonHigh: n(r.wilson_high),
        tooFewJobs: hide ? null : flag(r.too_few_jobs),
      }
    })
  }

  async durations(
    context: object,
    metric: 'queue_time' | 'time_to_failure',
    network: string,
    spec: ReliabilitySpec,
  ): Promise<DurationPoint[]> {
    return (await this.rows(context, metric, network, spec)).map(({ r, start, end, provenance }) => {
      const n = (v: string | number | null | undefined) => (provenance === Provenance.none ? null : num(v))
      return {
        start,
        end,
        provenance,
        jobs: n(r.jobs),
        medianSeconds: n(r.median_s),
        p25Seconds: n(r.p25_s),
        p75Seconds: n(r.p75_s),
      }
    })
  }

  async uptime(context: object, network: string, spec: ReliabilitySpec): Promise<UptimePoint[]> {
    return (await this.rows(context, 'uptime', network, spec)).map(({ r, start, end, provenance }) => {
      const n = (v: string | number | null | undefined) => (provenance === Provenance.none ? null : num(v))
      return {
        start,
        end,
        provenance,
        value: n(r.value),
        onlineGpuSeconds: n(r.online_gpu_seconds),
        listedGpuSeconds: n(r.listed_gpu_seconds),
      }
    })
  }
}
