import { Inject, Injectable } from '@nestjs/common'
import type { Network } from '../../ingest/networks/index.js'
import { METRIC_IDS, type MetricId } from '../../ingest/networks/schema.js'
import { Provenance } from './enums.js'
import { badInput } from './errors.js'
import { CATALOG } from './tokens.js'

/** Metrics computed from catalog metrics: their provenance is the weakest of their inputs. */
export const DERIVED_METRICS = {
  fees: ['burns'],
  subsidy_ratio: ['demand', 'subsidy'],
  demand_coverage: ['demand', 'subsidy'],
  net: ['burns', 'subsidy'],
  concentration: ['customers', 'demand'],
  queue_time: ['job_success'],
  time_to_failure: ['job_success'],
} as const satisfies Record<string, readonly MetricId[]>

export type DisclosedMetric = MetricId | keyof typeof DERIVED_METRICS

const RANK: readonly Provenance[] = [
  Provenance.onchain,
  Provenance.signed,
  Provenance.reported,
  Provenance.none,
]

function weakest(list: readonly Provenance[]): Provenance {
  return list.reduce((a, b) => (RANK.indexOf(b) > RANK.indexOf(a) ? b : a), Provenance.onchain)
}

/** What each network can disclose, from the catalog (the only source of provenance). */
@Injectable()
export class DisclosureService {
  private readonly lookups = new Map<string, readonly DisclosedMetric[]>()

  constructor(@Inject(CATALOG) private readonly catalog: Network[]) {}

  network(id: string): Network {
    const network = this.catalog.find((n) => n.id === id)
    if (!network) throw badInput('network', `unknown network; one of ${this.ids().join(', ')}`)
    return network
  }

  ids(): string[] {
    return this.catalog.map((n) => n.id)
  }

  /** A network id checked against the catalog. */
  checkNetwork(id: string): string {
    return this.network(id).id
  }

  /** Network ids checked against the catalog (unknown ids are a client error, never a query). */
  checkNetworks(ids: readonly string[]): string[] {
    if (ids.length === 0) throw badInput('networks', 'at least one network')
    if (ids.length > this.catalog.length) throw badInput('networks', 'too many networks')
    for (const id of ids) this.network(id)
    return [...new Set(ids)]
  }

  provenance(networkId: string, metric: DisclosedMetric): Provenance {
    const network = this.network(networkId)
    const inputs: readonly MetricId[] =
      metric in DERIVED_METRICS
        ? DERIVED_METRICS[metric as keyof typeof DERIVED_METRICS]
        : [metric as MetricId]
    return weakest(inputs.map((m) => Provenance[network.disclosure[m].provenance]))
  }

  /** Where the evidence of a metric comes from (catalog), or which metrics a derived one is made of. */
  how(networkId: string, metric: DisclosedMetric): string {
    if (metric in DERIVED_METRICS) {
      return `the weakest of ${DERIVED_METRICS[metric as keyof typeof DERIVED_METRICS].join(', ')}`
    }
    return this.network(networkId).disclosure[metric as MetricId].how
  }

  /**
   * The {disclosure:Map(String, String)} parameter of the metric SQL: 'network/metric' → provenance.
   * Given the SQL, only the metrics it looks up (`'/metric'`): ClickHouse analyses the map literal at
   * every use, so a map of every metric costs tens of milliseconds per query.
   */
  map(networks: readonly string[], sql?: string): Record<string, string> {
    const metrics = this.metricsOf(sql)
    const entries: Record<string, string> = {}
    for (const n of networks) for (const m of metrics) entries[`${n}/${m}`] = this.provenance(n, m)
    return entries
  }

  /** The metrics a SQL text looks up (all without one), found once per text. */
  private metricsOf(sql: string | undefined): readonly DisclosedMetric[] {
    const key = sql ?? ''
    let metrics = this.lookups.get(key)
    if (!metrics) {
      metrics = [...METRIC_IDS, ...(Object.keys(DERIVED_METRICS) as DisclosedMetric[])].filter(
        (m) => sql === undefined || sql.includes(`'/${m}'`),
      )
      this.lookups.set(key, metrics)
    }
    return metrics
  }

  /** Networks whose customers burn tokens to pay for jobs (burns with a job id are demand). */
  burnAndMint(): string[] {
    return this.catalog.filter((n) => n.economics === 'burn-and-mint').map((n) => n.id)
  }
}
