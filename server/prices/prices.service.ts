import { Injectable } from '@nestjs/common'
import { loadReferencePrices } from '../../ingest/networks/reference-prices.js'
import { chToDate, num, windowKey, type Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import { networkLoader } from '../core/loaders.js'
import { provenanceOf } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import type { GpuPriceModel, ReferencePriceModel } from './prices.model.js'

interface PriceRow {
  network: string
  bucket: string
  bucket_end: string
  gpu_model: string
  provenance: string
  jobs: string | null
  gpu_hours: number | null
  paid_usd: number | null
  median_usd: number | null
  p25_usd: number | null
  p75_usd: number | null
}

export const PRICE_SQL = 'metrics/price_per_gpu_hour'

@Injectable()
export class PricesService {
  private readonly reference: ReferencePriceModel[] = loadReferencePrices()

  constructor(private readonly metrics: MetricSqlService) {}

  referencePrices(): ReferencePriceModel[] {
    return this.reference
  }

  query(networks: readonly string[], window: Window): Promise<BoundQuery> {
    return this.metrics.bind(PRICE_SQL, networks, window, { gpu_model: '', node: '' })
  }

  async prices(context: object, network: string, window: Window): Promise<GpuPriceModel[]> {
    const loader = networkLoader<Window, PriceRow>(context, 'prices', async (networks, w) =>
      this.metrics.run<PriceRow>(await this.query(networks, w)),
    )
    const rows = await loader.load({ network, spec: window, specKey: windowKey(window) })
    return rows.map((r) => {
      const provenance = provenanceOf(r.provenance)
      const n = (v: string | number | null) => (provenance === Provenance.none ? null : num(v))
      return {
        start: chToDate(r.bucket),
        end: chToDate(r.bucket_end),
        gpuModel: r.gpu_model,
        provenance,
        jobs: n(r.jobs),
        gpuHours: n(r.gpu_hours),
        paidUsd: n(r.paid_usd),
        medianUsdPerGpuHour: n(r.median_usd),
        p25UsdPerGpuHour: n(r.p25_usd),
        p75UsdPerGpuHour: n(r.p75_usd),
        reference: this.reference.filter((p) => p.gpuModel === r.gpu_model),
      }
    })
  }
}
