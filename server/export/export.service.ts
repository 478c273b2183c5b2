import { Injectable } from '@nestjs/common'
import { DisclosureService } from '../core/disclosure.service.js'
import { badInput } from '../core/errors.js'
import type { BoundQuery } from '../core/metric-sql.service.js'
import { MetricSqlService } from '../core/metric-sql.service.js'
import { RangeService } from '../core/range.service.js'
import { EconomicsService } from '../economics/economics.service.js'
import { HardwareService } from '../hardware/hardware.service.js'
import { JobOrder, JobStatus } from '../jobs/job.model.js'
import { JobsService } from '../jobs/jobs.service.js'
import { NodeOrder, VerificationStatus } from '../nodes/node.model.js'
import { MAX_EXPORT_ROWS, NodesService } from '../nodes/nodes.service.js'
import { PricesService } from '../prices/prices.service.js'
import { ReliabilityService, type ReliabilityMetric } from '../reliability/reliability.service.js'
import { CohortUnit } from '../retention/retention.model.js'
import { RetentionService } from '../retention/retention.service.js'
import { SupplyService } from '../supply/supply.service.js'
import { UtilizationKind } from '../utilization/utilization.model.js'
import { UtilizationService } from '../utilization/utilization.service.js'
import { enumOf, granularityOf, networksOf, rangeOf, type ExportArgs } from './export-args.js'

type Builder = (args: ExportArgs) => Promise<BoundQuery>

/**
 * Every list and series of the API as a file: /export/<name>.csv|parquet takes the arguments of the
 * GraphQL field <name> in the query string (network repeated for several) and streams the same SQL.
 */
@Injectable()
export class ExportService {
  private readonly builders: Record<string, Builder>

  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
    private readonly metrics: MetricSqlService,
    economics: EconomicsService,
    supply: SupplyService,
    utilization: UtilizationService,
    reliability: ReliabilityService,
    retention: RetentionService,
    hardware: HardwareService,
    prices: PricesService,
    nodes: NodesService,
    jobs: JobsService,
  ) {
    const reliabilityBuilder =
      (metric: ReliabilityMetric): Builder =>
      async (a) =>
        reliability.query(metric, this.networks(a), {
          window: await this.series(a),
          gpuModel: a.gpuModel ?? '',
          node: a.node ?? '',
        })
    this.builders = {
      economics: async (a) => economics.query(this.networks(a), await this.series(a)),
      economicsTransactions: async (a) =>
        economics.transactionsQuery(this.networks(a), await this.series(a), a.perBucket),
      supply: async (a) => supply.query(this.networks(a), await this.series(a)),
      utilization: async (a) => {
        const kind = enumOf(UtilizationKind, a.kind, 'kind')
        if (!kind) throw badInput('kind', 'required: TIME, ALLOCATION or COMPUTE')
        return utilization.query(this.networks(a), {
          window: await this.series(a),
          kind,
          gpuModel: a.gpuModel ?? '',
          node: a.node ?? '',
        })
      },
      jobSuccess: reliabilityBuilder('job_success'),
      uptime: reliabilityBuilder('uptime'),
      queueTime: reliabilityBuilder('queue_time'),
      timeToFailure: reliabilityBuilder('time_to_failure'),
      customers: async (a) => retention.customersQuery(this.networks(a), await this.series(a)),
      cohorts: async (a) =>
        retention.cohortsQuery(this.networks(a), {
          window: await this.range.totals(rangeOf(a)),
          unit: CohortUnit[a.cohort],
        }),
      hardwareMix: async (a) => hardware.query(this.networks(a), await this.range.totals(rangeOf(a))),
      prices: async (a) => prices.query(this.networks(a), await this.series(a)),
      nodes: async (a) =>
        nodes.query(
          {
            networks: this.networks(a, true),
            window: await this.range.totals(rangeOf(a)),
            node: a.node ?? '',
            gpuModel: a.gpuModel ?? '',
            status: enumOf(VerificationStatus, a.status, 'status'),
            order: enumOf(NodeOrder, a.orderBy, 'orderBy') ?? NodeOrder.NODE_ID,
            first: this.limit(a),
            after: a.after ?? null,
          },
          this.limit(a),
        ),
      jobs: async (a) => {
        const range = rangeOf(a)
        return jobs.query(
          {
            networks: this.networks(a, true),
            window: range ? await this.range.totals(range) : null,
            status: enumOf(JobStatus, a.status, 'status'),
            customer: a.customer ?? '',
            node: a.node ?? '',
            gpuModel: a.gpuModel ?? '',
            order: enumOf(JobOrder, a.orderBy, 'orderBy') ?? JobOrder.NEWEST,
            first: this.limit(a),
            after: a.after ?? null,
          },
          this.limit(a),
        )
      },
    }
  }

  names(): string[] {
    return Object.keys(this.builders).sort()
  }

  async build(name: string, args: ExportArgs): Promise<BoundQuery> {
    const builder = Object.hasOwn(this.builders, name) ? this.builders[name] : undefined
    if (!builder) throw badInput('export', `unknown; one of ${this.names().join(', ')}`)
    return builder(args)
  }

  text(query: BoundQuery): string {
    return this.metrics.text(query.path)
  }

  /** The networks asked for; lists (nodes, jobs) default to every network. */
  private networks(a: ExportArgs, all = false): string[] {
    const ids = networksOf(a)
    if (ids.length === 0 && all) return this.disclosure.ids()
    if (ids.length === 0) throw badInput('network', 'required (repeat it for several networks)')
    return this.disclosure.checkNetworks(ids)
  }

  private series(a: ExportArgs) {
    return this.range.series(rangeOf(a), granularityOf(a))
  }

  private limit(a: ExportArgs): number {
    if (a.first !== undefined && a.first > MAX_EXPORT_ROWS)
      throw badInput('first', `at most ${MAX_EXPORT_ROWS}`)
    return a.first ?? MAX_EXPORT_ROWS
  }
}
