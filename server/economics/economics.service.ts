import { Injectable } from '@nestjs/common'
import { chToDate, int, windowKey, type Window } from '../core/clickhouse-values.js'
import { networkLoader } from '../core/loaders.js'
import { measure } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import type { FlowRow } from '../flows/token-flows.service.js'
import type { EconomicsPoint } from './economics.model.js'

export interface EconomicsRow {
  network: string
  bucket: string
  bucket_end: string
  demand_provenance: string
  demand_usd: number | null
  subsidy_provenance: string
  subsidy_usd: number | null
  burns_provenance: string
  burns_usd: number | null
  fees_provenance: string
  fees_usd: number | null
  subsidy_ratio_provenance: string
  subsidy_ratio: number | null
  demand_coverage_provenance: string
  demand_coverage: number | null
  net_provenance: string
  net_usd: number | null
  customers_provenance: string
  paying_customers: string | null
  flows: string
  unpriced_flows: string
}

/** A token flow behind an economics point, with the bucket it falls in. */
export interface TransactionRow extends FlowRow {
  bucket: string
}

export const ECONOMICS_SQL = 'metrics/economics'
export const TRANSACTIONS_SQL = 'metrics/economics_transactions'
export const MAX_TRANSACTIONS_PER_POINT = 100

@Injectable()
export class EconomicsService {
  constructor(private readonly metrics: MetricSqlService) {}

  query(networks: readonly string[], window: Window): Promise<BoundQuery> {
    return this.metrics.bind(ECONOMICS_SQL, networks, window)
  }

  transactionsQuery(networks: readonly string[], window: Window, perBucket: number): Promise<BoundQuery> {
    return this.metrics.bind(TRANSACTIONS_SQL, networks, window, { per_bucket: perBucket })
  }

  /** Points of one network, batched with the other networks of the request. */
  async points(context: object, network: string, window: Window): Promise<EconomicsPoint[]> {
    const loader = networkLoader<Window, EconomicsRow>(context, 'economics', async (networks, w) =>
      this.metrics.run<EconomicsRow>(await this.query(networks, w)),
    )
    const rows = await loader.load({ network, spec: window, specKey: windowKey(window) })
    return rows.map((r) => toPoint(r, window))
  }

  /** The largest flows behind each point of a series, one query for every point and network. */
  async transactions(context: object, point: EconomicsPoint, first: number): Promise<TransactionRow[]> {
    const loader = networkLoader<Window, TransactionRow>(
      context,
      `economics-tx-${first}`,
      async (networks, w) =>
        this.metrics.run<TransactionRow>(await this.transactionsQuery(networks, w, first)),
    )
    const rows = await loader.load({
      network: point.network,
      spec: point.window,
      specKey: windowKey(point.window),
    })
    const start = point.start.getTime()
    return rows.filter((r) => chToDate(r.bucket).getTime() === start)
  }
}

function toPoint(r: EconomicsRow, window: Window): EconomicsPoint {
  return {
    network: r.network,
    window,
    start: chToDate(r.bucket),
    end: chToDate(r.bucket_end),
    demandUsd: measure(r.demand_usd, r.demand_provenance),
    subsidyUsd: measure(r.subsidy_usd, r.subsidy_provenance),
    burnsUsd: measure(r.burns_usd, r.burns_provenance),
    feesUsd: measure(r.fees_usd, r.fees_provenance),
    subsidyRatio: measure(r.subsidy_ratio, r.subsidy_ratio_provenance),
    demandCoverage: measure(r.demand_coverage, r.demand_coverage_provenance),
    netUsd: measure(r.net_usd, r.net_provenance),
    payingCustomers: measure(r.paying_customers, r.customers_provenance),
    flows: int(r.flows),
    unpricedFlows: int(r.unpriced_flows),
  }
}
