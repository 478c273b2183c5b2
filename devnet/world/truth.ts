import { DAY_S } from './config.js'
import type { World, WorldJobStatus } from './model.js'
import { WORLD_TOKENS } from './networks.js'
import { rawToUnits, unitsToRaw } from '../../ingest/chains/units.js'
import type { PricePath } from './prices.js'
import { telemetrySamples } from './telemetry.js'

/** Ground truth: what the world did, per network and UTC day, computed from its own events only. */
export interface FlowTruth {
  network: string
  day: string
  kind: string
  token: string
  count: number
  amount: string
  usd: number
}

export interface DayTruth {
  network: string
  day: string
  demandUsd: number
  subsidyUsd: number
  burns: Record<string, string>
  jobs: Record<WorldJobStatus, number>
  payingCustomers: number
  newCustomers: number
  onlineGpuSeconds: number
  busyGpuSeconds: number
  gpus: { model: string; listed: number; online: number; busy: number; verified: number }[]
}

export interface NodeTruth {
  network: string
  node: string
  listedModel: string
  actualModel: string
  gpus: number
  listedAt: string
  ghost: boolean
  signs: boolean
  verification: 'verified' | 'mismatch' | 'unverified'
}

/** One job as the world ran and settled it; paidUsd is the USD of its demand flows at their times. */
export interface JobTruth {
  network: string
  job: string
  customer: string
  node: string
  gpuModel: string
  gpuCount: number
  submitted: string
  started: string | null
  ended: string
  status: WorldJobStatus
  paidUsd: number
}

/** Demand paid by one customer on one UTC day (count of demand flows and their USD). */
export interface PaymentTruth {
  network: string
  customer: string
  day: string
  count: number
  usd: number
}

/** One GPU on one UTC day it was online: its samples, GPU-seconds and utilisation while assigned. */
export interface GpuDayTruth {
  network: string
  node: string
  gpu: string
  day: string
  samples: number
  onlineS: number
  busyS: number
  utilAssignedSum: number
  utilAssignedN: number
}

export interface GroundTruth {
  seed: number
  days: number
  start: string
  telemetryIntervalS: number
  flows: FlowTruth[]
  daily: DayTruth[]
  customers: { network: string; customer: string; firstPayment: string; cohortMonth: string }[]
  nodes: NodeTruth[]
  jobs: JobTruth[]
  payments: PaymentTruth[]
  gpuDays: GpuDayTruth[]
  telemetrySamples: number
}

const DAY_MS = DAY_S * 1000
const dayTexts = new Map<number, string>()
/** The UTC day of a time (YYYY-MM-DD), formatted once per day: it runs for every telemetry sample. */
function dayOf(t: Date): string {
  const day = Math.floor(t.getTime() / DAY_MS)
  let text = dayTexts.get(day)
  if (text === undefined) {
    text = t.toISOString().slice(0, 10)
    dayTexts.set(day, text)
  }
  return text
}
const decimals = new Map(WORLD_TOKENS.map((t) => [t.symbol, t.decimals]))
const units = (raw: bigint, token: string): number => Number(rawToUnits(raw, decimals.get(token) ?? 0))

function sumRaw(a: string | undefined, raw: bigint, token: string): string {
  const d = decimals.get(token) ?? 0
  return rawToUnits(unitsToRaw(a ?? '0', d) + raw, d)
}

/** Is this flow demand? Customer payments, and Render's burns that pay for jobs (METRICS.md). */
const isDemand = (kind: string, network: string, jobId: string): boolean =>
  kind === 'customer_payment' || (network === 'render' && kind === 'burn' && jobId !== '')

export function groundTruth(world: World, prices: PricePath): GroundTruth {
  const flowMap = new Map<string, FlowTruth & { raw: bigint }>()
  const days = new Map<string, DayTruth>()
  const day = (network: string, d: string): DayTruth => {
    const key = `${network}|${d}`
    let t = days.get(key)
    if (!t) {
      t = {
        network,
        day: d,
        demandUsd: 0,
        subsidyUsd: 0,
        burns: {},
        jobs: { succeeded: 0, failed: 0, timed_out: 0, cancelled: 0 },
        payingCustomers: 0,
        newCustomers: 0,
        onlineGpuSeconds: 0,
        busyGpuSeconds: 0,
        gpus: [],
      }
      days.set(key, t)
    }
    return t
  }
  for (let i = 0; i < world.config.days; i++) {
    const d = dayOf(new Date(world.config.start.getTime() + i * DAY_S * 1000))
    for (const n of new Set(world.nodes.map((x) => x.network))) day(n, d)
  }

  const payers = new Map<string, Set<string>>()
  const firstPayment = new Map<string, { network: string; customer: string; time: Date }>()
  const payments = new Map<string, PaymentTruth>()
  const paidByJob = new Map<string, number>()
  for (const action of world.actions) {
    for (const f of action.flows) {
      const d = dayOf(f.time)
      const key = `${f.network}|${d}|${f.kind}|${f.token}`
      const usd = units(f.raw, f.token) * prices.at(f.token, f.time)
      const entry = flowMap.get(key) ?? {
        network: f.network,
        day: d,
        kind: f.kind,
        token: f.token,
        count: 0,
        amount: '0',
        usd: 0,
        raw: 0n,
      }
      entry.count++
      entry.raw += f.raw
      entry.usd += usd
      flowMap.set(key, entry)
      const t = day(f.network, d)
      if (isDemand(f.kind, f.network, f.jobId)) {
        t.demandUsd += usd
        const set = payers.get(`${f.network}|${d}`) ?? new Set<string>()
        set.add(f.payer)
        payers.set(`${f.network}|${d}`, set)
        const ck = `${f.network}|${f.payer}`
        if (!firstPayment.has(ck))
          firstPayment.set(ck, { network: f.network, customer: f.payer, time: f.time })
        const pk = `${f.network}|${f.payer}|${d}`
        const p = payments.get(pk) ?? { network: f.network, customer: f.payer, day: d, count: 0, usd: 0 }
        p.count++
        p.usd += usd
        payments.set(pk, p)
        if (f.jobId)
          paidByJob.set(`${f.network}|${f.jobId}`, (paidByJob.get(`${f.network}|${f.jobId}`) ?? 0) + usd)
      }
      if (f.kind === 'reward_emission') t.subsidyUsd += usd
      if (f.kind === 'burn') t.burns[f.token] = sumRaw(t.burns[f.token], f.raw, f.token)
    }
  }
  for (const [key, set] of payers) {
    const [network, d] = key.split('|') as [string, string]
    day(network, d).payingCustomers = set.size
  }
  for (const fp of firstPayment.values()) day(fp.network, dayOf(fp.time)).newCustomers++
  for (const job of world.jobs) {
    if (job.network === 'nosana' || job.network === 'aethir')
      day(job.network, dayOf(job.ended)).jobs[job.status]++
  }

  // Telemetry: GPU-seconds and which GPUs were online, busy and verified, per day and model.
  let sampleCount = 0
  const seen = new Map<string, { online: Set<string>; busy: Set<string>; verified: Set<string> }>()
  const gpuDays = new Map<string, GpuDayTruth>()
  for (const batch of telemetrySamples(world)) {
    for (const s of batch) {
      sampleCount++
      const d = dayOf(s.time)
      const t = day(s.node.network, d)
      t.onlineGpuSeconds += s.row.interval_s
      if (s.job) t.busyGpuSeconds += s.row.interval_s
      const gk = `${s.row.gpu_uuid}|${d}`
      const g = gpuDays.get(gk) ?? {
        network: s.node.network,
        node: s.node.id,
        gpu: s.row.gpu_uuid,
        day: d,
        samples: 0,
        onlineS: 0,
        busyS: 0,
        utilAssignedSum: 0,
        utilAssignedN: 0,
      }
      g.samples++
      g.onlineS += s.row.interval_s
      if (s.job) {
        g.busyS += s.row.interval_s
        if (s.row.utilization_pct !== null) {
          g.utilAssignedSum += s.row.utilization_pct
          g.utilAssignedN++
        }
      }
      gpuDays.set(gk, g)
      const key = `${s.node.network}|${d}|${s.node.listedModel}`
      const sets = seen.get(key) ?? { online: new Set(), busy: new Set(), verified: new Set() }
      sets.online.add(s.row.gpu_uuid)
      if (s.job) sets.busy.add(s.row.gpu_uuid)
      if (s.node.signs && s.node.actualModel === s.node.listedModel) sets.verified.add(s.row.gpu_uuid)
      seen.set(key, sets)
    }
  }
  for (const t of days.values()) {
    const endOfDay = new Date(`${t.day}T23:59:59Z`)
    const models = new Set(world.nodes.filter((n) => n.network === t.network).map((n) => n.listedModel))
    t.gpus = [...models].sort().map((model) => {
      const sets = seen.get(`${t.network}|${t.day}|${model}`)
      const listed = world.nodes
        .filter((n) => n.network === t.network && n.listedModel === model && n.listedAt <= endOfDay)
        .reduce((s, n) => s + n.gpuCount, 0)
      return {
        model,
        listed,
        online: sets?.online.size ?? 0,
        busy: sets?.busy.size ?? 0,
        verified: sets?.verified.size ?? 0,
      }
    })
  }

  return {
    seed: world.config.seed,
    days: world.config.days,
    start: world.config.start.toISOString(),
    telemetryIntervalS: world.config.telemetryIntervalS,
    flows: [...flowMap.values()]
      .map(({ raw, ...f }) => ({ ...f, amount: rawToUnits(raw, decimals.get(f.token) ?? 0) }))
      .sort((a, b) =>
        `${a.network}|${a.day}|${a.kind}|${a.token}`.localeCompare(
          `${b.network}|${b.day}|${b.kind}|${b.token}`,
        ),
      ),
    daily: [...days.values()].sort((a, b) => `${a.network}|${a.day}`.localeCompare(`${b.network}|${b.day}`)),
    customers: [...firstPayment.values()]
      .map((fp) => ({
        network: fp.network,
        customer: fp.customer,
        firstPayment: fp.time.toISOString(),
        cohortMonth: fp.time.toISOString().slice(0, 7),
      }))
      .sort((a, b) => `${a.network}|${a.customer}`.localeCompare(`${b.network}|${b.customer}`)),
    nodes: world.nodes.map((n) => ({
      network: n.network,
      node: n.id,
      listedModel: n.listedModel,
      actualModel: n.actualModel,
      gpus: n.gpuCount,
      listedAt: n.listedAt.toISOString(),
      ghost: n.ghost,
      signs: n.signs,
      verification:
        n.ghost || !n.signs ? 'unverified' : n.actualModel === n.listedModel ? 'verified' : 'mismatch',
    })),
    jobs: world.jobs
      .map((j) => ({
        network: j.network,
        job: j.id,
        customer: j.customer,
        node: j.node,
        gpuModel: j.gpuModel,
        gpuCount: j.gpuCount,
        submitted: j.submitted.toISOString(),
        started: j.started?.toISOString() ?? null,
        ended: j.ended.toISOString(),
        status: j.status,
        paidUsd: paidByJob.get(`${j.network}|${j.id}`) ?? 0,
      }))
      .sort((a, b) => `${a.network}|${a.job}`.localeCompare(`${b.network}|${b.job}`)),
    payments: [...payments.values()].sort((a, b) =>
      `${a.network}|${a.customer}|${a.day}`.localeCompare(`${b.network}|${b.customer}|${b.day}`),
    ),
    gpuDays: [...gpuDays.values()].sort((a, b) =>
      `${a.network}|${a.gpu}|${a.day}`.localeCompare(`${b.network}|${b.gpu}|${b.day}`),
    ),
    telemetrySamples: sampleCount,
  }
}
