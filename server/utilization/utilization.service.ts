import { Injectable } from '@nestjs/common'
import { chToDate, num, windowKey, type Window } from '../core/clickhouse-values.js'
import { networkLoader } from '../core/loaders.js'
import { provenanceOf } from '../core/measure.js'
import { Provenance } from '../core/enums.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import { UtilizationKind, type UtilizationPoint } from './utilization.model.js'

interface UtilizationRow {
  network: string
  bucket: string
  bucket_end: string
  provenance: string
  value: number | null
  [column: string]: string | number | null
}

export const UTILIZATION_SQL: Record<UtilizationKind, string> = {
  time: 'metrics/time_utilization',
  allocation: 'metrics/allocation_utilization',
  compute: 'metrics/compute_utilization',
}

const COLUMNS: Record<UtilizationKind, [string, string]> = {
  time: ['busy_gpu_seconds', 'online_gpu_seconds'],
  allocation: ['assigned_gpu_seconds', 'online_gpu_seconds'],
  compute: ['utilization_sum', 'utilization_samples'],
}

export interface UtilizationSpec {
  window: Window
  kind: UtilizationKind
  gpuModel: string
  node: string
}

@Injectable()
export class UtilizationService {
  constructor(private readonly metrics: MetricSqlService) {}

  query(networks: readonly string[], spec: UtilizationSpec): Promise<BoundQuery> {
    return this.metrics.bind(UTILIZATION_SQL[spec.kind], networks, spec.window, {
      gpu_model: spec.gpuModel,
      node: spec.node,
    })
  }

  async points(context: object, network: string, spec: UtilizationSpec): Promise<UtilizationPoint[]> {
    const loader = networkLoader<UtilizationSpec, UtilizationRow>(
      context,
      'utilization',
      async (networks, s) => this.metrics.run<UtilizationRow>(await this.query(networks, s)),
    )
    const specKey = [spec.kind, spec.gpuModel, spec.node, windowKey(spec.window)].join('|')
    const rows = await loader.load({ network, spec, specKey })
    const [numerator, denominator] = COLUMNS[spec.kind]
    return rows.map((r) => {
      const provenance = provenanceOf(r.provenance)
      const hidden = provenance === Provenance.none
      return {
        start: chToDate(r.bucket),
        end: chToDate(r.bucket_end),
        value: hidden ? null : r.value,
        numerator: hidden ? null : num(r[numerator]),
        denominator: hidden ? null : num(r[denominator]),
        provenance,
      }
    })
  }
}
