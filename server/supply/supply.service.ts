import { Injectable } from '@nestjs/common'
import { chToDate, num, windowKey, type Window } from '../core/clickhouse-values.js'
import { networkLoader } from '../core/loaders.js'
import { measure } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import type { SupplyPoint } from './supply.model.js'

export interface SupplyRow {
  network: string
  bucket: string
  bucket_end: string
  gpu_model: string
  is_total: 0 | 1
  listed_provenance: string
  listed_gpus: string | null
  online_provenance: string
  online_gpus: string | null
  busy_gpus: string | null
  verified_provenance: string
  verified_gpus: string | null
  mismatched_gpus: string | null
}

export const SUPPLY_SQL = 'metrics/supply'

@Injectable()
export class SupplyService {
  constructor(private readonly metrics: MetricSqlService) {}

  query(networks: readonly string[], window: Window): Promise<BoundQuery> {
    return this.metrics.bind(SUPPLY_SQL, networks, window)
  }

  /** Per-model points of one network (batched across the networks of the request). */
  async byModel(context: object, network: string, window: Window): Promise<SupplyPoint[]> {
    return (await this.rows(context, network, window)).filter((r) => r.is_total === 0).map(toPoint)
  }

  private rows(context: object, network: string, window: Window): Promise<SupplyRow[]> {
    const loader = networkLoader<Window, SupplyRow>(context, 'supply', async (networks, w) =>
      this.metrics.run<SupplyRow>(await this.query(networks, w)),
    )
    return loader.load({ network, spec: window, specKey: windowKey(window) })
  }

  /** Network totals per bucket: the SQL's total rows. */
  async totals(context: object, network: string, window: Window): Promise<SupplyPoint[]> {
    return (await this.rows(context, network, window)).filter((r) => r.is_total === 1).map(toPoint)
  }
}

function toPoint(r: SupplyRow): SupplyPoint {
  return {
    start: chToDate(r.bucket),
    end: chToDate(r.bucket_end),
    gpuModel: r.is_total === 1 ? null : r.gpu_model,
    listed: measure(num(r.listed_gpus), r.listed_provenance),
    online: measure(num(r.online_gpus), r.online_provenance),
    busy: measure(num(r.busy_gpus), r.online_provenance),
    verified: measure(num(r.verified_gpus), r.verified_provenance),
    mismatched: measure(num(r.mismatched_gpus), r.verified_provenance),
  }
}
