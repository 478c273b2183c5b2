import { Injectable } from '@nestjs/common'
import type { Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import type { Measure } from '../core/measure.js'
import { definitionOf } from '../definitions/definitions.js'
import { EconomicsService } from '../economics/economics.service.js'
import { ReliabilityService } from '../reliability/reliability.service.js'
import { SupplyService } from '../supply/supply.service.js'
import { UtilizationKind } from '../utilization/utilization.model.js'
import { UtilizationService } from '../utilization/utilization.service.js'
import type { SeriesModel, TileModel } from './compare.model.js'

/** A bucket of a compared metric: its start and end and the value with its provenance. */
interface Cell {
  start: Date
  end: Date
  value: Measure
}

/** The metrics the compare page shows, each read from its family's points. */
export const COMPARE_METRICS = [
  'demand',
  'subsidy',
  'subsidy_ratio',
  'net',
  'paying_customers',
  'online_gpus',
  'verified_gpus',
  'time_utilization',
  'job_success',
  'uptime',
] as const
export type CompareMetric = (typeof COMPARE_METRICS)[number]

@Injectable()
export class CompareService {
  constructor(
    private readonly economics: EconomicsService,
    private readonly supply: SupplyService,
    private readonly utilization: UtilizationService,
    private readonly reliability: ReliabilityService,
  ) {}

  /** Every compared metric of one network over a window (one SQL per family, batched by network). */
  async cells(context: object, network: string, window: Window): Promise<Record<CompareMetric, Cell[]>> {
    const spec = { window, gpuModel: '', node: '' }
    const [economics, supply, time, jobs, uptime] = await Promise.all([
      this.economics.points(context, network, window),
      this.supply.totals(context, network, window),
      this.utilization.points(context, network, { ...spec, kind: UtilizationKind.TIME }),
      this.reliability.jobSuccess(context, network, spec),
      this.reliability.uptime(context, network, spec),
    ])
    const cell = (start: Date, end: Date, value: Measure): Cell => ({ start, end, value })
    const share = (value: number | null, provenance: Provenance): Measure => ({
      value: provenance === Provenance.none ? null : value,
      provenance,
    })
    return {
      demand: economics.map((p) => cell(p.start, p.end, p.demandUsd)),
      subsidy: economics.map((p) => cell(p.start, p.end, p.subsidyUsd)),
      subsidy_ratio: economics.map((p) => cell(p.start, p.end, p.subsidyRatio)),
      net: economics.map((p) => cell(p.start, p.end, p.netUsd)),
      paying_customers: economics.map((p) => cell(p.start, p.end, p.payingCustomers)),
      online_gpus: supply.map((p) => cell(p.start, p.end, p.online)),
      verified_gpus: supply.map((p) => cell(p.start, p.end, p.verified)),
      time_utilization: time.map((p) => cell(p.start, p.end, share(p.value, p.provenance))),
      job_success: jobs.map((p) => cell(p.start, p.end, share(p.successRate, p.provenance))),
      uptime: uptime.map((p) => cell(p.start, p.end, share(p.value, p.provenance))),
    }
  }

  async tiles(context: object, network: string, window: Window): Promise<TileModel[]> {
    const cells = await this.cells(context, network, window)
    const split = window.range.from.getTime()
    return COMPARE_METRICS.map((metric) => {
      const d = definitionOf(metric)
      const current = cells[metric].find((c) => c.start.getTime() === split)
      const before = window.previous ? cells[metric].find((c) => c.start.getTime() < split) : undefined
      const value = current?.value.value ?? null
      const previous = before?.value.value ?? null
      const change = value !== null && previous !== null ? value - previous : null
      return {
        metric,
        title: d.title,
        unit: d.unit,
        value,
        previous,
        change,
        changeRatio: change !== null && previous ? change / Math.abs(previous) : null,
        provenance: current?.value.provenance ?? Provenance.none,
      }
    })
  }

  async series(context: object, network: string, window: Window): Promise<SeriesModel[]> {
    const cells = await this.cells(context, network, window)
    return COMPARE_METRICS.map((metric) => {
      const d = definitionOf(metric)
      return {
        metric,
        title: d.title,
        unit: d.unit,
        provenance: cells[metric][0]?.value.provenance ?? Provenance.none,
        points: cells[metric].map((c) => ({ start: c.start, end: c.end, value: c.value.value })),
      }
    })
  }
}
