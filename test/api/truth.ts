import type { GroundTruth, JobTruth } from '../../devnet/world/truth.js'
import type { Network } from '../../ingest/networks/index.js'
import { gpuModelById } from '../../ingest/telemetry/gpu-models.js'

/**
 * Expected metric values computed from the world's ground truth alone (never from Plumb's tables or
 * API), for any period of whole UTC days, following METRICS.md.
 */

export interface Period {
  start: Date
  end: Date
}

const DAY_MS = 86_400_000
const day = (d: Date): string => d.toISOString().slice(0, 10)
const inPeriod = (p: Period, dayText: string): boolean => {
  const t = new Date(`${dayText}T00:00:00Z`).getTime()
  return t >= p.start.getTime() && t < p.end.getTime()
}
const timeIn = (p: Period, iso: string | null): boolean =>
  iso !== null && new Date(iso).getTime() >= p.start.getTime() && new Date(iso).getTime() < p.end.getTime()

/** Calendar buckets of a range: UTC days, ISO weeks (Monday) or months, clamped to the range. */
export function buckets(range: Period, unit: 'day' | 'week' | 'month'): Period[] {
  const out: Period[] = []
  let start = range.start
  while (start < range.end) {
    let next: Date
    if (unit === 'day') next = new Date(start.getTime() + DAY_MS)
    else if (unit === 'week') {
      const weekday = (start.getUTCDay() + 6) % 7
      next = new Date(start.getTime() - weekday * DAY_MS + 7 * DAY_MS)
    } else next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
    const end = next < range.end ? next : range.end
    out.push({ start, end })
    start = end
  }
  return out
}

/** numpy's default quantile: linear interpolation between order statistics. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const a = sorted[lo] ?? NaN
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? NaN
  return a + (h - lo) * (b - a)
}

/** 95% Wilson score interval. */
export function wilson(successes: number, n: number): [number, number] {
  const z = 1.959963984540054
  const p = successes / n
  const denom = 1 + (z * z) / n
  const centre = p + (z * z) / (2 * n)
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))
  return [(centre - half) / denom, (centre + half) / denom]
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b)

export class TruthMetrics {
  constructor(
    readonly truth: GroundTruth,
    private readonly catalog: readonly Network[],
  ) {}

  private flows(network: string, p: Period, kind: string) {
    return this.truth.flows.filter((f) => f.network === network && f.kind === kind && inPeriod(p, f.day))
  }

  private isBurnAndMint(network: string): boolean {
    return this.catalog.find((n) => n.id === network)?.economics === 'burn-and-mint'
  }

  economics(network: string, p: Period) {
    const days = this.truth.daily.filter((d) => d.network === network && inPeriod(p, d.day))
    const usd = (kind: string) => this.flows(network, p, kind).reduce((s, f) => s + f.usd, 0)
    const demand = days.reduce((s, d) => s + d.demandUsd, 0)
    const subsidy = days.reduce((s, d) => s + d.subsidyUsd, 0)
    const burns = usd('burn')
    const fees = usd('fee')
    const counted = ['customer_payment', 'reward_emission', 'burn', 'fee']
      .map((k) => this.flows(network, p, k).reduce((s, f) => s + f.count, 0))
      .reduce((a, b) => a + b, 0)
    return {
      demand,
      subsidy,
      burns,
      fees,
      subsidyRatio: ratio(subsidy, demand),
      demandCoverage: ratio(demand, subsidy),
      net: fees + burns - subsidy,
      flows: counted,
    }
  }

  /** GPUs by listed model in a period: listed (by period end), online, busy, verified, mismatched. */
  supply(network: string, p: Period) {
    const nodes = new Map(this.truth.nodes.filter((n) => n.network === network).map((n) => [n.node, n]))
    const models = new Map<
      string,
      {
        listed: number
        online: Set<string>
        busy: Set<string>
        verified: Set<string>
        mismatched: Set<string>
      }
    >()
    const entry = (model: string) => {
      let e = models.get(model)
      if (!e) {
        e = { listed: 0, online: new Set(), busy: new Set(), verified: new Set(), mismatched: new Set() }
        models.set(model, e)
      }
      return e
    }
    for (const n of nodes.values()) if (new Date(n.listedAt) < p.end) entry(n.listedModel).listed += n.gpus
    for (const g of this.truth.gpuDays) {
      if (g.network !== network || !inPeriod(p, g.day)) continue
      const node = nodes.get(g.node)
      if (!node) throw new Error(`no node ${g.node}`)
      const e = entry(node.listedModel)
      e.online.add(g.gpu)
      if (g.busyS > 0) e.busy.add(g.gpu)
      if (node.signs && node.actualModel === node.listedModel) e.verified.add(g.gpu)
      if (node.signs && node.actualModel !== node.listedModel) e.mismatched.add(g.gpu)
    }
    const rows = [...models]
      .map(([model, e]) => ({
        model,
        listed: e.listed,
        online: e.online.size,
        busy: e.busy.size,
        verified: e.verified.size,
        mismatched: e.mismatched.size,
      }))
      .sort((a, b) => a.model.localeCompare(b.model))
    const total = rows.reduce(
      (t, r) => ({
        listed: t.listed + r.listed,
        online: t.online + r.online,
        busy: t.busy + r.busy,
        verified: t.verified + r.verified,
        mismatched: t.mismatched + r.mismatched,
      }),
      { listed: 0, online: 0, busy: 0, verified: 0, mismatched: 0 },
    )
    return { rows, total }
  }

  utilization(network: string, p: Period, node?: string) {
    const g = this.truth.gpuDays.filter(
      (x) => x.network === network && inPeriod(p, x.day) && (node === undefined || x.node === node),
    )
    const online = g.reduce((s, x) => s + x.onlineS, 0)
    const busy = g.reduce((s, x) => s + x.busyS, 0)
    const utilSum = g.reduce((s, x) => s + x.utilAssignedSum, 0)
    const utilN = g.reduce((s, x) => s + x.utilAssignedN, 0)
    return {
      online,
      busy,
      time: ratio(busy, online),
      // Every sample with a job id is assigned; the world's samples all cover the nominal interval.
      allocation: ratio(busy, online),
      compute: utilN === 0 ? null : utilSum / utilN / 100,
      utilSum,
      utilN,
    }
  }

  uptime(network: string, p: Period, node?: string) {
    const online = this.utilization(network, p, node).online
    const listed = this.truth.nodes
      .filter((n) => n.network === network && (node === undefined || n.node === node))
      .reduce((s, n) => {
        const from = Math.max(p.start.getTime(), new Date(n.listedAt).getTime())
        return s + n.gpus * Math.max(0, (p.end.getTime() - from) / 1000)
      }, 0)
    return { online, listed, value: ratio(online, listed) }
  }

  /** Jobs a chain settles with their outcome (the world's on-chain job markets). */
  private chainJobs(network: string): JobTruth[] {
    return this.truth.jobs.filter(
      (j) => j.network === network && (network === 'nosana' || network === 'aethir'),
    )
  }

  jobSuccess(network: string, p: Period) {
    const jobs = this.chainJobs(network).filter((j) => timeIn(p, j.ended))
    const count = (s: string) => jobs.filter((j) => j.status === s).length
    const succeeded = count('succeeded')
    const failed = count('failed')
    const timedOut = count('timed_out')
    const n = succeeded + failed + timedOut
    const [low, high] = n === 0 ? [null, null] : wilson(succeeded, n)
    return {
      succeeded,
      failed,
      timedOut,
      cancelled: count('cancelled'),
      n,
      rate: ratio(succeeded, n),
      low,
      high,
      tooFew: n < 30,
    }
  }

  queueTime(network: string, p: Period) {
    const s = this.chainJobs(network)
      .filter((j) => j.started !== null && timeIn(p, j.started))
      .map((j) => (new Date(j.started ?? '').getTime() - new Date(j.submitted).getTime()) / 1000)
    return { n: s.length, median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75) }
  }

  timeToFailure(network: string, p: Period) {
    const s = this.chainJobs(network)
      .filter((j) => j.status === 'failed' && j.started !== null && timeIn(p, j.ended))
      .map((j) => (new Date(j.ended).getTime() - new Date(j.started ?? '').getTime()) / 1000)
    return { n: s.length, median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75) }
  }

  /** USD per GPU-hour of succeeded, paid jobs, by booked GPU model. */
  prices(network: string, p: Period) {
    const byModel = new Map<string, { prices: number[]; paid: number; hours: number }>()
    for (const j of this.chainJobs(network)) {
      if (j.status !== 'succeeded' || j.started === null || !timeIn(p, j.ended) || j.paidUsd === 0) continue
      const hours = ((new Date(j.ended).getTime() - new Date(j.started).getTime()) / 3_600_000) * j.gpuCount
      const e = byModel.get(j.gpuModel) ?? { prices: [], paid: 0, hours: 0 }
      e.prices.push(j.paidUsd / hours)
      e.paid += j.paidUsd
      e.hours += hours
      byModel.set(j.gpuModel, e)
    }
    return [...byModel]
      .map(([model, e]) => ({
        model,
        jobs: e.prices.length,
        paid: e.paid,
        hours: e.hours,
        median: quantile(e.prices, 0.5),
        p25: quantile(e.prices, 0.25),
        p75: quantile(e.prices, 0.75),
      }))
      .sort((a, b) => a.model.localeCompare(b.model))
  }

  private firstPayment(network: string): Map<string, string> {
    return new Map(
      this.truth.customers.filter((c) => c.network === network).map((c) => [c.customer, c.firstPayment]),
    )
  }

  customers(network: string, p: Period) {
    const payments = this.truth.payments.filter((x) => x.network === network && inPeriod(p, x.day))
    const perCustomer = new Map<string, number>()
    for (const x of payments) perCustomer.set(x.customer, (perCustomer.get(x.customer) ?? 0) + x.usd)
    const first = this.firstPayment(network)
    const paying = perCustomer.size
    const fresh = [...perCustomer.keys()].filter((c) => timeIn(p, first.get(c) ?? null)).length
    const spend = [...perCustomer.values()].sort((a, b) => b - a)
    const demand = spend.reduce((s, v) => s + v, 0)
    const top10 = spend.slice(0, 10).reduce((s, v) => s + v, 0)
    return { paying, new: fresh, returning: paying - fresh, top10Share: ratio(top10, demand) }
  }

  /** Cohorts by the month or ISO week of first payment, for cohorts starting at or after `from`'s period. */
  cohorts(network: string, unit: 'month' | 'week', range: Period) {
    const periodOf = (d: Date): number =>
      unit === 'month'
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
        : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY_MS
    const first = this.firstPayment(network)
    const cells = new Map<string, { cohort: number; period: number; active: Set<string>; spend: number }>()
    for (const x of this.truth.payments) {
      if (x.network !== network || new Date(`${x.day}T00:00:00Z`) >= range.end) continue
      const cohort = periodOf(new Date(first.get(x.customer) ?? ''))
      if (cohort < periodOf(range.start)) continue
      const period = periodOf(new Date(`${x.day}T00:00:00Z`))
      const key = `${cohort}|${period}`
      const c = cells.get(key) ?? { cohort, period, active: new Set<string>(), spend: 0 }
      c.active.add(x.customer)
      c.spend += x.usd
      cells.set(key, c)
    }
    const list = [...cells.values()].sort((a, b) => a.cohort - b.cohort || a.period - b.period)
    return list.map((c) => {
      const base = list.find((b) => b.cohort === c.cohort && b.period === c.cohort)
      const size = base?.active.size ?? 0
      const offset =
        unit === 'month'
          ? (new Date(c.period).getUTCFullYear() - new Date(c.cohort).getUTCFullYear()) * 12 +
            new Date(c.period).getUTCMonth() -
            new Date(c.cohort).getUTCMonth()
          : Math.round((c.period - c.cohort) / (7 * DAY_MS))
      return {
        cohort: new Date(c.cohort).toISOString(),
        period: new Date(c.period).toISOString(),
        offset,
        size,
        active: c.active.size,
        spend: c.spend,
        logo: c.active.size / size,
        revenue: base && base.spend > 0 ? c.spend / base.spend : null,
      }
    })
  }

  hardwareMix(network: string, p: Period) {
    const nodes = new Map(this.truth.nodes.filter((n) => n.network === network).map((n) => [n.node, n]))
    const rows = new Map<
      string,
      { claimed: number; claimedBusy: number; verified: Set<string>; verifiedBusy: number }
    >()
    const entry = (m: string) => {
      const e = rows.get(m) ?? { claimed: 0, claimedBusy: 0, verified: new Set<string>(), verifiedBusy: 0 }
      rows.set(m, e)
      return e
    }
    for (const n of nodes.values()) if (new Date(n.listedAt) < p.end) entry(n.listedModel).claimed += n.gpus
    for (const g of this.truth.gpuDays) {
      if (g.network !== network || !inPeriod(p, g.day)) continue
      const node = nodes.get(g.node)
      if (!node) continue
      entry(node.listedModel).claimedBusy += g.busyS / 3600
      if (node.signs && node.actualModel === node.listedModel) {
        const e = entry(node.listedModel)
        e.verified.add(g.gpu)
        e.verifiedBusy += g.busyS / 3600
      }
    }
    const list = [...rows].sort(([a], [b]) => a.localeCompare(b))
    const sum = (f: (e: (typeof list)[number][1]) => number) => list.reduce((s, [, e]) => s + f(e), 0)
    const totals = {
      claimed: sum((e) => e.claimed),
      claimedBusy: sum((e) => e.claimedBusy),
      verified: sum((e) => e.verified.size),
      verifiedBusy: sum((e) => e.verifiedBusy),
    }
    return list.map(([model, e]) => ({
      model,
      vramClass: gpuModelById(model)?.vramClass ?? 'unknown',
      segment: gpuModelById(model)?.segment ?? 'unknown',
      claimedGpus: e.claimed,
      claimedGpuShare: ratio(e.claimed, totals.claimed),
      claimedBusyGpuHours: e.claimedBusy,
      claimedBusyShare: ratio(e.claimedBusy, totals.claimedBusy),
      verifiedGpus: e.verified.size,
      verifiedGpuShare: ratio(e.verified.size, totals.verified),
      verifiedBusyGpuHours: e.verifiedBusy,
      verifiedBusyShare: ratio(e.verifiedBusy, totals.verifiedBusy),
    }))
  }

  /** The node's verification over a period in which it sent telemetry (truth.nodes' rule). */
  nodes(network: string) {
    return this.truth.nodes.filter((n) => n.network === network)
  }

  days(): string[] {
    const start = new Date(this.truth.start)
    return Array.from({ length: this.truth.days }, (_, i) => day(new Date(start.getTime() + i * DAY_MS)))
  }
}
