import { Injectable } from '@nestjs/common'
import { chToDate, int, num, windowKey, type Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import { networkLoader } from '../core/loaders.js'
import { measure, provenanceOf } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import type { CohortCell, CohortUnit, CustomerPoint } from './retention.model.js'

interface CustomerRow {
  network: string
  bucket: string
  bucket_end: string
  customers_provenance: string
  paying_customers: string | null
  new_customers: string | null
  returning_customers: string | null
  concentration_provenance: string
  top10_share: number | null
}

interface CohortRow {
  network: string
  cohort: string
  period: string
  offset: string
  customers_provenance: string
  cohort_size: string | null
  active_customers: string | null
  spend_usd: number | null
  logo_retention: number | null
  revenue_retention: number | null
}

export const CUSTOMERS_SQL = 'metrics/customers'
export const COHORTS_SQL = 'metrics/cohorts'

export interface CohortSpec {
  window: Window
  unit: CohortUnit
}

@Injectable()
export class RetentionService {
  constructor(private readonly metrics: MetricSqlService) {}

  customersQuery(networks: readonly string[], window: Window): Promise<BoundQuery> {
    return this.metrics.bind(CUSTOMERS_SQL, networks, window)
  }

  cohortsQuery(networks: readonly string[], spec: CohortSpec): Promise<BoundQuery> {
    return this.metrics.bind(COHORTS_SQL, networks, spec.window, { cohort: spec.unit })
  }

  async customers(context: object, network: string, window: Window): Promise<CustomerPoint[]> {
    const loader = networkLoader<Window, CustomerRow>(context, 'customers', async (networks, w) =>
      this.metrics.run<CustomerRow>(await this.customersQuery(networks, w)),
    )
    const rows = await loader.load({ network, spec: window, specKey: windowKey(window) })
    return rows.map((r) => {
      const provenance = provenanceOf(r.customers_provenance)
      const n = (v: string | null) => (provenance === Provenance.none ? null : num(v))
      return {
        start: chToDate(r.bucket),
        end: chToDate(r.bucket_end),
        provenance,
        payingCustomers: n(r.paying_customers),
        newCustomers: n(r.new_customers),
        returningCustomers: n(r.returning_customers),
        top10Share: measure(r.top10_share, r.concentration_provenance),
      }
    })
  }

  async cohorts(context: object, network: string, spec: CohortSpec): Promise<CohortCell[]> {
    const loader = networkLoader<CohortSpec, CohortRow>(context, 'cohorts', async (networks, s) =>
      this.metrics.run<CohortRow>(await this.cohortsQuery(networks, s)),
    )
    const rows = await loader.load({ network, spec, specKey: `${spec.unit}|${windowKey(spec.window)}` })
    return rows.map((r) => {
      const provenance = provenanceOf(r.customers_provenance)
      const n = (v: string | number | null) => (provenance === Provenance.none ? null : num(v))
      return {
        cohort: chToDate(r.cohort),
        period: chToDate(r.period),
        offset: int(r.offset),
        provenance,
        cohortSize: n(r.cohort_size),
        activeCustomers: n(r.active_customers),
        spendUsd: n(r.spend_usd),
        logoRetention: n(r.logo_retention),
        revenueRetention: n(r.revenue_retention),
      }
    })
  }
}
