import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../ingest/networks/index.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { CHAIN_NETWORKS, openWorldDb, TELEMETRY_NETWORKS, type WorldDb } from '../support/world-db.js'
import { buckets, TruthMetrics, type Period } from './truth.js'

/**
 * Every metric the API returns, against the ground truth of the seed-42 world (30 days), per
 * network and period. Counts are compared exactly; USD sums and ratios within 1e-9 (relative).
 */

let world: WorldDb
let t: TestApp
let truth: TruthMetrics
const catalog = loadCatalog()

const DAY_MS = 86_400_000
let WORLD: Period
const UNITS = ['day', 'week', 'month'] as const
const GRANULARITY = { day: 'DAY', week: 'WEEK', month: 'MONTH' } as const

beforeAll(async () => {
  world = await openWorldDb({ seed: 42, days: 30 })
  truth = new TruthMetrics(world.truth, catalog)
  const start = new Date(world.truth.start)
  WORLD = { start, end: new Date(start.getTime() + world.truth.days * DAY_MS) }
  t = await startTestApp({}, { temp: world })
}, 600_000)
afterAll(async () => {
  await t?.close()
  await world?.dispose()
})

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await t.graphql<T>(query, variables)
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined()
  if (!res.data) throw new Error('no data')
  return res.data
}

/** Equal within 1e-9 relative (or both null). */
function close(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual ?? null, what).toBeNull()
    return
  }
  expect(actual, what).not.toBeNull()
  expect(Math.abs((actual ?? NaN) - expected) / Math.max(1, Math.abs(expected)), what).toBeLessThan(1e-9)
}

const provenance = (network: string, metric: keyof (typeof catalog)[number]['disclosure']) =>
  catalog.find((n) => n.id === network)?.disclosure[metric].provenance ?? 'none'

/** Aliased calls of one field for every network, batched into one SQL query by the DataLoaders. */
function perNetwork(networks: readonly string[], field: string, args: string, selection: string): string {
  return `{ ${networks.map((n) => `${n}: ${field}(network: "${n}", ${args}) ${selection}`).join('\n')} }`
}

const range = (p: Period) => `{ from: "${p.start.toISOString()}", to: "${p.end.toISOString()}" }`
const ALL = [...TELEMETRY_NETWORKS]

interface M {
  value: number | null
  provenance: string
}

describe('economics (demand, subsidy, burns, ratios, net)', () => {
  type Point = {
    start: string
    demandUsd: M
    subsidyUsd: M
    burnsUsd: M
    feesUsd: M
    subsidyRatio: M
    demandCoverage: M
    netUsd: M
    payingCustomers: M
    flows: number
  }
  const selection = (name: string) =>
    `${name} { start demandUsd { value provenance } subsidyUsd { value provenance } burnsUsd { value provenance }
      feesUsd { value provenance } subsidyRatio { value provenance } demandCoverage { value provenance }
      netUsd { value provenance } payingCustomers { value provenance } flows }`

  function check(network: string, p: Period, point: Point | undefined): void {
    const e = truth.economics(network, p)
    const at = `${network} ${p.start.toISOString()}`
    expect(point?.start, at).toBe(p.start.toISOString())
    const pairs: [M | undefined, number | null, 'demand' | 'subsidy' | 'burns'][] = [
      [point?.demandUsd, e.demand, 'demand'],
      [point?.subsidyUsd, e.subsidy, 'subsidy'],
      [point?.burnsUsd, e.burns, 'burns'],
    ]
    for (const [m, expected, metric] of pairs) {
      const prov = provenance(network, metric)
      expect(m?.provenance, `${at} ${metric}`).toBe(prov)
      close(m?.value, prov === 'none' ? null : expected, `${at} ${metric}`)
    }
    const econ = ['demand', 'subsidy', 'burns'].map((m) => provenance(network, m as 'demand'))
    const disclosed = (...ms: string[]) => ms.every((m) => provenance(network, m as 'demand') !== 'none')
    close(point?.subsidyRatio.value, disclosed('demand', 'subsidy') ? e.subsidyRatio : null, `${at} ratio`)
    close(
      point?.demandCoverage.value,
      disclosed('demand', 'subsidy') ? e.demandCoverage : null,
      `${at} coverage`,
    )
    close(point?.netUsd.value, disclosed('burns', 'subsidy') ? e.net : null, `${at} net`)
    close(point?.feesUsd.value, disclosed('burns') ? e.fees : null, `${at} fees`)
    expect(point?.flows, at).toBe(e.flows)
    const customers = provenance(network, 'customers')
    expect(point?.payingCustomers.provenance, `${at} customers`).toBe(customers)
    expect(point?.payingCustomers.value, `${at} customers`).toBe(
      customers === 'none' ? null : truth.customers(network, p).paying,
    )
    if (econ.every((p) => p === 'none')) expect(point?.demandUsd.value).toBeNull()
  }

  for (const unit of UNITS) {
    it(`equals the truth per network and ${unit}`, async () => {
      const data = await gql<Record<string, { series: Point[]; totals: Point }>>(
        perNetwork(
          ALL,
          'economics',
          `range: ${range(WORLD)}, granularity: ${GRANULARITY[unit]}`,
          `{ ${selection('series')} ${selection('totals')} }`,
        ),
      )
      for (const network of ALL) {
        const periods = buckets(WORLD, unit)
        expect(data[network]?.series.length).toBe(periods.length)
        periods.forEach((p, i) => check(network, p, data[network]?.series[i]))
        check(network, WORLD, data[network]?.totals)
      }
    })
  }

  it('hourly buckets (read from the raw flows, not the daily snapshot) add up to the truth of their day', async () => {
    const day = {
      start: new Date(WORLD.start.getTime() + 11 * DAY_MS),
      end: new Date(WORLD.start.getTime() + 12 * DAY_MS),
    }
    const data = await gql<Record<string, { series: Point[] }>>(
      perNetwork(ALL, 'economics', `range: ${range(day)}, granularity: HOUR`, `{ ${selection('series')} }`),
    )
    for (const network of ALL) {
      const series = data[network]?.series ?? []
      expect(series.length).toBe(24)
      const e = truth.economics(network, day)
      const sum = (pick: (p: Point) => number | null) => series.reduce((s, p) => s + (pick(p) ?? 0), 0)
      expect(
        sum((p) => p.flows),
        network,
      ).toBe(e.flows)
      if (provenance(network, 'demand') !== 'none')
        close(
          sum((p) => p.demandUsd.value),
          e.demand,
          network,
        )
      if (provenance(network, 'subsidy') !== 'none')
        close(
          sum((p) => p.subsidyUsd.value),
          e.subsidy,
          network,
        )
    }
  })

  it('lists the transactions behind a point, largest first, with explorer links', async () => {
    const p = {
      start: new Date(WORLD.start.getTime() + 3 * DAY_MS),
      end: new Date(WORLD.start.getTime() + 4 * DAY_MS),
    }
    const data = await gql<{
      economics: { totals: { transactions: { kind: string; amountUsd: number; blockTime: string }[] } }
    }>(
      `{ economics(network: "aethir", range: ${range(p)}) { totals { transactions(first: 5) { kind amountUsd blockTime } } } }`,
    )
    const txs = data.economics.totals.transactions
    expect(txs.length).toBe(5)
    const usd = txs.map((x) => x.amountUsd)
    expect([...usd].sort((a, b) => b - a)).toEqual(usd)
    for (const x of txs) expect(timeInPeriod(p, x.blockTime)).toBe(true)
  })
})

function timeInPeriod(p: Period, iso: string): boolean {
  const ms = new Date(iso).getTime()
  return ms >= p.start.getTime() && ms < p.end.getTime()
}

describe('supply funnel (listed, online, busy, verified, mismatched by GPU model)', () => {
  type Point = {
    start: string
    gpuModel: string | null
    listed: M
    online: M
    busy: M
    verified: M
    mismatched: M
  }
  const sel =
    'start gpuModel listed { value provenance } online { value provenance } busy { value } verified { value provenance } mismatched { value }'

  function check(network: string, p: Period, rows: Point[], totals: Point | undefined): void {
    const e = truth.supply(network, p)
    const at = `${network} ${p.start.toISOString()}`
    expect(rows.map((r) => r.gpuModel).sort(), at).toEqual(e.rows.map((r) => r.model))
    for (const r of e.rows) {
      const got = rows.find((x) => x.gpuModel === r.model)
      expect(
        {
          listed: got?.listed.value,
          online: got?.online.value,
          busy: got?.busy.value,
          verified: got?.verified.value,
          mismatched: got?.mismatched.value,
        },
        `${at} ${r.model}`,
      ).toEqual({
        listed: r.listed,
        online: r.online,
        busy: r.busy,
        verified: r.verified,
        mismatched: r.mismatched,
      })
    }
    expect(
      {
        listed: totals?.listed.value,
        online: totals?.online.value,
        busy: totals?.busy.value,
        verified: totals?.verified.value,
        mismatched: totals?.mismatched.value,
      },
      at,
    ).toEqual(e.total)
    expect(totals?.listed.provenance).toBe(provenance(network, 'listed_gpus'))
    expect(totals?.online.provenance).toBe(provenance(network, 'online_gpus'))
    expect(totals?.verified.provenance).toBe(provenance(network, 'verified_gpus'))
  }

  for (const unit of UNITS) {
    it(`equals the truth per network, ${unit} and model`, async () => {
      const data = await gql<
        Record<string, { byModelSeries: Point[]; series: Point[]; byModel: Point[]; totals: Point }>
      >(
        perNetwork(
          ALL,
          'supply',
          `range: ${range(WORLD)}, granularity: ${GRANULARITY[unit]}`,
          `{ byModelSeries: series(byModel: true) { ${sel} } series { ${sel} } byModel { ${sel} } totals { ${sel} } }`,
        ),
      )
      for (const network of ALL) {
        const d = data[network]
        const periods = buckets(WORLD, unit)
        expect(d?.series.length).toBe(periods.length)
        periods.forEach((p, i) => {
          const rows = d?.byModelSeries.filter((r) => r.start === p.start.toISOString()) ?? []
          check(network, p, rows, d?.series[i])
        })
        check(network, WORLD, d?.byModel ?? [], d?.totals)
      }
    })
  }
})

describe('utilisation (time, allocation, compute)', () => {
  type Point = {
    start: string
    value: number | null
    numerator: number | null
    denominator: number | null
    provenance: string
  }
  for (const kind of ['TIME', 'ALLOCATION', 'COMPUTE'] as const) {
    for (const unit of ['day', 'week'] as const) {
      it(`${kind} equals the truth per network and ${unit}`, async () => {
        const data = await gql<Record<string, { series: Point[]; totals: Point }>>(
          perNetwork(
            ALL,
            'utilization',
            `kind: ${kind}, range: ${range(WORLD)}, granularity: ${GRANULARITY[unit]}`,
            '{ series { start value numerator denominator provenance } totals { start value numerator denominator provenance } }',
          ),
        )
        const metric = `${kind.toLowerCase()}_utilization` as 'time_utilization'
        for (const network of ALL) {
          const periods = [...buckets(WORLD, unit), WORLD]
          const points = [...(data[network]?.series ?? []), data[network]?.totals]
          expect(points.length).toBe(periods.length)
          periods.forEach((p, i) => {
            const e = truth.utilization(network, p)
            const got = points[i]
            const at = `${network} ${kind} ${p.start.toISOString()}`
            expect(got?.provenance, at).toBe(provenance(network, metric))
            const expected = kind === 'COMPUTE' ? e.compute : kind === 'TIME' ? e.time : e.allocation
            close(got?.value, expected, at)
            if (kind === 'COMPUTE') {
              expect(got?.numerator, at).toBe(e.utilSum)
              expect(got?.denominator, at).toBe(e.utilN)
            } else {
              expect(got?.numerator, at).toBe(e.busy)
              expect(got?.denominator, at).toBe(e.online)
            }
          })
        }
      })
    }
  }
  it('hourly buckets (read from the hourly rollup) add up to the truth of their day', async () => {
    const day = {
      start: new Date(WORLD.start.getTime() + 9 * DAY_MS),
      end: new Date(WORLD.start.getTime() + 10 * DAY_MS),
    }
    const data = await gql<Record<string, { series: Point[] }>>(
      perNetwork(
        ALL,
        'utilization',
        `kind: TIME, range: ${range(day)}, granularity: HOUR`,
        '{ series { start numerator denominator } }',
      ),
    )
    for (const network of ALL) {
      const series = data[network]?.series ?? []
      expect(series.length).toBe(24)
      const e = truth.utilization(network, day)
      expect(
        series.reduce((s, p) => s + (p.numerator ?? 0), 0),
        network,
      ).toBe(e.busy)
      expect(
        series.reduce((s, p) => s + (p.denominator ?? 0), 0),
        network,
      ).toBe(e.online)
    }
  })
})

describe('reliability (job success with Wilson interval, uptime, queue time, time to failure)', () => {
  type Success = {
    start: string
    provenance: string
    succeeded: number | null
    failed: number | null
    timedOut: number | null
    cancelled: number | null
    jobs: number | null
    successRate: number | null
    wilsonLow: number | null
    wilsonHigh: number | null
    tooFewJobs: boolean | null
  }
  type Duration = {
    provenance: string
    jobs: number | null
    medianSeconds: number | null
    p25Seconds: number | null
    p75Seconds: number | null
  }
  type Uptime = {
    provenance: string
    value: number | null
    onlineGpuSeconds: number | null
    listedGpuSeconds: number | null
  }
  const js =
    'start provenance succeeded failed timedOut cancelled jobs successRate wilsonLow wilsonHigh tooFewJobs'
  const du = 'start provenance jobs medianSeconds p25Seconds p75Seconds'
  const up = 'start provenance value onlineGpuSeconds listedGpuSeconds'

  for (const unit of ['day', 'week'] as const) {
    it(`equals the truth per network and ${unit}`, async () => {
      const data = await gql<
        Record<
          string,
          {
            jobSuccess: Success
            jobSuccessSeries: Success[]
            uptime: Uptime
            uptimeSeries: Uptime[]
            queueTime: Duration
            queueTimeSeries: Duration[]
            timeToFailure: Duration
            timeToFailureSeries: Duration[]
          }
        >
      >(
        perNetwork(
          ALL,
          'reliability',
          `range: ${range(WORLD)}, granularity: ${GRANULARITY[unit]}`,
          `{ jobSuccess { ${js} } jobSuccessSeries { ${js} } uptime { ${up} } uptimeSeries { ${up} }
             queueTime { ${du} } queueTimeSeries { ${du} } timeToFailure { ${du} } timeToFailureSeries { ${du} } }`,
        ),
      )
      for (const network of ALL) {
        const d = data[network]
        const periods = [...buckets(WORLD, unit), WORLD]
        const disclosed = provenance(network, 'job_success') !== 'none'
        periods.forEach((p, i) => {
          const last = i === periods.length - 1
          const at = `${network} ${p.start.toISOString()}`
          const s = last ? d?.jobSuccess : d?.jobSuccessSeries[i]
          const e = truth.jobSuccess(network, p)
          expect(s?.provenance, at).toBe(provenance(network, 'job_success'))
          if (!disclosed) {
            expect([s?.jobs, s?.successRate, s?.tooFewJobs], at).toEqual([null, null, null])
          } else {
            expect([s?.succeeded, s?.failed, s?.timedOut, s?.cancelled, s?.jobs, s?.tooFewJobs], at).toEqual([
              e.succeeded,
              e.failed,
              e.timedOut,
              e.cancelled,
              e.n,
              e.tooFew,
            ])
            close(s?.successRate, e.rate, `${at} rate`)
            close(s?.wilsonLow, e.low, `${at} low`)
            close(s?.wilsonHigh, e.high, `${at} high`)
          }
          for (const [name, got, exp] of [
            ['queue', last ? d?.queueTime : d?.queueTimeSeries[i], truth.queueTime(network, p)],
            ['ttf', last ? d?.timeToFailure : d?.timeToFailureSeries[i], truth.timeToFailure(network, p)],
          ] as const) {
            expect(got?.jobs ?? null, `${at} ${name} n`).toBe(disclosed ? exp.n : null)
            close(got?.medianSeconds, disclosed ? exp.median : null, `${at} ${name} median`)
            close(got?.p25Seconds, disclosed ? exp.p25 : null, `${at} ${name} p25`)
            close(got?.p75Seconds, disclosed ? exp.p75 : null, `${at} ${name} p75`)
          }
          const u = last ? d?.uptime : d?.uptimeSeries[i]
          const eu = truth.uptime(network, p)
          expect(u?.provenance, at).toBe(provenance(network, 'uptime'))
          expect([u?.onlineGpuSeconds, u?.listedGpuSeconds], `${at} uptime`).toEqual([eu.online, eu.listed])
          close(u?.value, eu.value, `${at} uptime`)
        })
      }
    })
  }

  it('marks a window with fewer than 30 jobs as too few', async () => {
    const day = { start: WORLD.start, end: new Date(WORLD.start.getTime() + DAY_MS) }
    const data = await gql<{ reliability: { jobSuccess: Success } }>(
      `{ reliability(network: "nosana", range: ${range(day)}) { jobSuccess { jobs tooFewJobs } } }`,
    )
    expect(data.reliability.jobSuccess.jobs).toBe(truth.jobSuccess('nosana', day).n)
    expect(data.reliability.jobSuccess.tooFewJobs).toBe(true)
  })
})

describe('customers and retention', () => {
  type Point = {
    start: string
    provenance: string
    payingCustomers: number | null
    newCustomers: number | null
    returningCustomers: number | null
    top10Share: M
  }
  type Cell = {
    cohort: string
    period: string
    offset: number
    cohortSize: number | null
    activeCustomers: number | null
    spendUsd: number | null
    logoRetention: number | null
    revenueRetention: number | null
  }
  const sel =
    'start provenance payingCustomers newCustomers returningCustomers top10Share { value provenance }'
  const cells = 'cohort period offset cohortSize activeCustomers spendUsd logoRetention revenueRetention'

  for (const unit of UNITS) {
    it(`paying, new, returning customers and concentration equal the truth per ${unit}`, async () => {
      const data = await gql<Record<string, { customers: Point[]; totals: Point }>>(
        perNetwork(
          ALL,
          'retention',
          `range: ${range(WORLD)}, granularity: ${GRANULARITY[unit]}`,
          `{ customers { ${sel} } totals { ${sel} } }`,
        ),
      )
      for (const network of ALL) {
        const periods = [...buckets(WORLD, unit), WORLD]
        const points = [...(data[network]?.customers ?? []), data[network]?.totals]
        const disclosed = provenance(network, 'customers') !== 'none'
        periods.forEach((p, i) => {
          const e = truth.customers(network, p)
          const got = points[i]
          const at = `${network} ${p.start.toISOString()}`
          expect(got?.provenance, at).toBe(provenance(network, 'customers'))
          expect([got?.payingCustomers, got?.newCustomers, got?.returningCustomers], at).toEqual(
            disclosed ? [e.paying, e.new, e.returning] : [null, null, null],
          )
          const concentration = disclosed && provenance(network, 'demand') !== 'none'
          close(got?.top10Share.value, concentration ? e.top10Share : null, `${at} top10`)
        })
      }
    })
  }

  it('returns null, never 0, where the network discloses no customers', async () => {
    const data = await gql<{ retention: { totals: Point } }>(
      `{ retention(network: "aethir", range: ${range(WORLD)}) { totals { ${sel} } } }`,
    )
    expect(data.retention.totals).toMatchObject({
      provenance: 'none',
      payingCustomers: null,
      newCustomers: null,
    })
  })

  for (const unit of ['MONTH', 'WEEK'] as const) {
    it(`cohorts by ${unit.toLowerCase()}: logo and revenue retention equal the truth`, async () => {
      const data = await gql<Record<string, { cohorts: Cell[] }>>(
        perNetwork(ALL, 'retention', `range: ${range(WORLD)}, cohort: ${unit}`, `{ cohorts { ${cells} } }`),
      )
      for (const network of ALL) {
        const got = data[network]?.cohorts ?? []
        if (provenance(network, 'customers') === 'none') {
          expect(
            got.every((c) => c.cohortSize === null && c.logoRetention === null),
            network,
          ).toBe(true)
          continue
        }
        const e = truth.cohorts(network, unit === 'MONTH' ? 'month' : 'week', WORLD)
        expect(got.length, network).toBe(e.length)
        expect(got.length, network).toBeGreaterThan(1)
        e.forEach((c, i) => {
          const g = got[i]
          const at = `${network} ${c.cohort} ${c.period}`
          expect([g?.cohort, g?.period, g?.offset, g?.cohortSize, g?.activeCustomers], at).toEqual([
            c.cohort,
            c.period,
            c.offset,
            c.size,
            c.active,
          ])
          close(g?.spendUsd, c.spend, `${at} spend`)
          close(g?.logoRetention, c.logo, `${at} logo`)
          close(g?.revenueRetention, c.revenue, `${at} revenue`)
        })
      }
    })
  }
})

describe('hardware mix and prices', () => {
  it('claimed vs verified GPUs and busy GPU-hours by model equal the truth', async () => {
    type Row = Record<string, M | string>
    const fields = [
      'claimedGpus',
      'claimedGpuShare',
      'claimedBusyGpuHours',
      'claimedBusyShare',
      'verifiedGpus',
      'verifiedGpuShare',
      'verifiedBusyGpuHours',
      'verifiedBusyShare',
    ] as const
    const data = await gql<Record<string, { models: Row[]; byVramClass: Row[] }>>(
      perNetwork(
        ALL,
        'hardwareMix',
        `range: ${range(WORLD)}`,
        `{ models { group vramClass segment ${fields.map((f) => `${f} { value provenance }`).join(' ')} }
           byVramClass { group ${fields.map((f) => `${f} { value }`).join(' ')} } }`,
      ),
    )
    for (const network of ALL) {
      const e = truth.hardwareMix(network, WORLD)
      const got = data[network]?.models ?? []
      expect(
        got.map((r) => r.group),
        network,
      ).toEqual(e.map((r) => r.model))
      e.forEach((r, i) => {
        const g = got[i]
        expect([g?.vramClass, g?.segment]).toEqual([r.vramClass, r.segment])
        for (const f of fields) close((g?.[f] as M | undefined)?.value, r[f], `${network} ${r.model} ${f}`)
      })
      const classes = new Set(e.map((r) => r.vramClass))
      expect(data[network]?.byVramClass.map((r) => r.group)).toEqual([...classes].sort())
    }
  })

  it('USD per GPU-hour by model (median, IQR) equals the truth, beside reference prices', async () => {
    type Price = {
      gpuModel: string
      provenance: string
      jobs: number | null
      gpuHours: number | null
      paidUsd: number | null
      medianUsdPerGpuHour: number | null
      p25UsdPerGpuHour: number | null
      p75UsdPerGpuHour: number | null
      reference: { provider: string; usdPerGpuHour: number; date: string; source: string }[]
    }
    const data = await gql<Record<string, { models: Price[] }>>(
      perNetwork(
        ALL,
        'prices',
        `range: ${range(WORLD)}`,
        '{ models { gpuModel provenance jobs gpuHours paidUsd medianUsdPerGpuHour p25UsdPerGpuHour p75UsdPerGpuHour reference { provider usdPerGpuHour date source } } }',
      ),
    )
    for (const network of ALL) {
      const e = truth.prices(network, WORLD)
      const got = data[network]?.models ?? []
      const disclosed = provenance(network, 'price_per_gpu_hour') !== 'none'
      expect(
        got.map((p) => p.gpuModel),
        network,
      ).toEqual(e.map((p) => p.model))
      e.forEach((p, i) => {
        const g = got[i]
        const at = `${network} ${p.model}`
        expect(g?.provenance).toBe(provenance(network, 'price_per_gpu_hour'))
        expect(g?.jobs ?? null, at).toBe(disclosed ? p.jobs : null)
        close(g?.paidUsd, disclosed ? p.paid : null, `${at} paid`)
        close(g?.gpuHours, disclosed ? p.hours : null, `${at} hours`)
        close(g?.medianUsdPerGpuHour, disclosed ? p.median : null, `${at} median`)
        close(g?.p25UsdPerGpuHour, disclosed ? p.p25 : null, `${at} p25`)
        close(g?.p75UsdPerGpuHour, disclosed ? p.p75 : null, `${at} p75`)
      })
    }
    const h100 =
      data.nosana?.models.find((m) => m.gpuModel === 'h100-sxm-80gb') ??
      data.aethir?.models.find((m) => m.gpuModel === 'h100-sxm-80gb')
    expect(h100?.reference.length).toBeGreaterThan(0)
    expect(h100?.reference[0]?.source).toMatch(/^https:\/\//)
  })
})

describe('nodes and jobs (Relay connections)', () => {
  type Node = {
    network: string
    id: string
    listedModel: string
    listedGpus: number
    gpusSeen: number
    verification: string
    uptime: M
    onlineGpuSeconds: number
  }
  it('lists every node with its verification and uptime, paging with cursors', async () => {
    const seen: Node[] = []
    let after: string | null = null
    for (let page = 0; page < 50; page++) {
      const data: {
        nodes: { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
      } = await gql(
        `query($after: String) { nodes(range: ${range(WORLD)}, first: 7, after: $after) {
            edges { node { network id listedModel listedGpus gpusSeen verification uptime { value provenance } onlineGpuSeconds } }
            pageInfo { hasNextPage endCursor } } }`,
        { after },
      )
      seen.push(...data.nodes.edges.map((e) => e.node))
      if (!data.nodes.pageInfo.hasNextPage) break
      after = data.nodes.pageInfo.endCursor
    }
    expect(seen.length).toBe(world.truth.nodes.length)
    for (const n of world.truth.nodes) {
      const got = seen.find((s) => s.network === n.network && s.id === n.node)
      const at = `${n.network} ${n.node}`
      expect([got?.listedModel, got?.listedGpus, got?.verification], at).toEqual([
        n.listedModel,
        n.gpus,
        n.verification,
      ])
      const u = truth.uptime(n.network, WORLD, n.node)
      expect(got?.onlineGpuSeconds, at).toBe(u.online)
      close(got?.uptime.value, u.value, `${at} uptime`)
    }
  })

  it('orders nodes by uptime and filters by verification status', async () => {
    const data = await gql<{ nodes: { edges: { node: Node }[] } }>(
      `{ nodes(network: "render", range: ${range(WORLD)}, orderBy: UPTIME, status: mismatch, first: 100) {
          edges { node { id verification uptime { value } } } } }`,
    )
    const expected = truth.nodes('render').filter((n) => n.verification === 'mismatch')
    expect(data.nodes.edges.map((e) => e.node.id).sort()).toEqual(expected.map((n) => n.node).sort())
    const uptimes = data.nodes.edges.map((e) => e.node.uptime.value ?? -1)
    expect([...uptimes].sort((a, b) => b - a)).toEqual(uptimes)
  })

  it('returns one node with its daily history', async () => {
    const n = truth.nodes('aethir').find((x) => !x.ghost)
    if (!n) throw new Error('no online aethir node')
    const data = await gql<{
      node: {
        id: string
        history: { start: string; onlineGpuSeconds: number; timeUtilization: M; computeUtilization: M }[]
      }
    }>(
      `{ node(network: "aethir", id: "${n.node}", range: ${range(WORLD)}) { id history(granularity: DAY) {
          start onlineGpuSeconds timeUtilization { value provenance } computeUtilization { value } } } }`,
    )
    for (const h of data.node.history) {
      const p = { start: new Date(h.start), end: new Date(new Date(h.start).getTime() + DAY_MS) }
      const e = truth.utilization('aethir', p, n.node)
      expect(h.onlineGpuSeconds).toBe(e.online)
      close(h.timeUtilization.value, e.time, `${h.start} time`)
      close(h.computeUtilization.value, e.compute, `${h.start} compute`)
    }
    expect(data.node.history.length).toBe(
      new Set(world.truth.gpuDays.filter((g) => g.node === n.node).map((g) => g.day)).size,
    )
  })

  it('lists every on-chain job with its status, newest first, paging with cursors', async () => {
    for (const network of CHAIN_NETWORKS) {
      const jobs: { id: string; status: string; submittedAt: string }[] = []
      let after: string | null = null
      for (let page = 0; page < 20; page++) {
        const data: {
          jobs: {
            edges: { node: { id: string; status: string; submittedAt: string } }[]
            pageInfo: { hasNextPage: boolean; endCursor: string | null }
          }
        } = await gql(
          `query($after: String) { jobs(network: "${network}", first: 100, after: $after) {
              edges { node { id status submittedAt } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        )
        jobs.push(...data.jobs.edges.map((e) => e.node))
        if (!data.jobs.pageInfo.hasNextPage) break
        after = data.jobs.pageInfo.endCursor
      }
      const expected = world.truth.jobs.filter(
        (j) => j.network === network && (network === 'nosana' || network === 'aethir'),
      )
      expect(jobs.length, network).toBe(expected.length)
      const statuses = (list: { status: string }[]) =>
        list.reduce<Record<string, number>>((m, j) => ({ ...m, [j.status]: (m[j.status] ?? 0) + 1 }), {})
      expect(statuses(jobs), network).toEqual(statuses(expected))
      const times = jobs.map((j) => j.submittedAt)
      expect([...times].sort().reverse(), network).toEqual(times)
    }
  })
})

describe('compare: tiles with the previous period, and series', () => {
  type Tile = {
    metric: string
    value: number | null
    previous: number | null
    change: number | null
    provenance: string
  }
  it('tiles equal the truth for the last 7 days and the 7 before', async () => {
    const data = await gql<{
      compare: {
        range: { from: string; to: string }
        previousRange: { from: string; to: string }
        networks: {
          network: { id: string }
          tiles: Tile[]
          series: { metric: string; points: { start: string; value: number | null }[] }[]
        }[]
      }
    }>(
      `{ compare(networks: ${JSON.stringify(ALL)}, range: { preset: D7 }, granularity: DAY, previous: true) {
          range { from to } previousRange { from to }
          networks { network { id } tiles { metric value previous change provenance } series { metric points { start value } } } } }`,
    )
    const cur = { start: new Date(WORLD.end.getTime() - 7 * DAY_MS), end: WORLD.end }
    const prev = { start: new Date(WORLD.end.getTime() - 14 * DAY_MS), end: cur.start }
    expect(data.compare.range).toEqual({ from: cur.start.toISOString(), to: cur.end.toISOString() })
    expect(data.compare.previousRange).toEqual({ from: prev.start.toISOString(), to: prev.end.toISOString() })
    const expected = (network: string, p: Period): Record<string, number | null> => {
      const e = truth.economics(network, p)
      const s = truth.supply(network, p).total
      return {
        demand: e.demand,
        subsidy: e.subsidy,
        subsidy_ratio: e.subsidyRatio,
        net: e.net,
        paying_customers: truth.customers(network, p).paying,
        online_gpus: s.online,
        verified_gpus: s.verified,
        time_utilization: truth.utilization(network, p).time,
        job_success: truth.jobSuccess(network, p).rate,
        uptime: truth.uptime(network, p).value,
      }
    }
    expect(data.compare.networks.map((n) => n.network.id)).toEqual(ALL)
    for (const n of data.compare.networks) {
      const now = expected(n.network.id, cur)
      const before = expected(n.network.id, prev)
      for (const tile of n.tiles) {
        const at = `${n.network.id} ${tile.metric}`
        const disclosed = tile.provenance !== 'none'
        close(tile.value, disclosed ? (now[tile.metric] ?? null) : null, at)
        close(tile.previous, disclosed ? (before[tile.metric] ?? null) : null, `${at} previous`)
      }
      const demand = n.series.find((s) => s.metric === 'demand')
      expect(demand?.points.length).toBe(7)
      demand?.points.forEach((p) => {
        const day = { start: new Date(p.start), end: new Date(new Date(p.start).getTime() + DAY_MS) }
        const disclosed = provenance(n.network.id, 'demand') !== 'none'
        close(
          p.value,
          disclosed ? truth.economics(n.network.id, day).demand : null,
          `${n.network.id} ${p.start}`,
        )
      })
    }
  })
})

describe('metric definitions', () => {
  it('give each metric its definition, SQL text and provenance per network from the catalog', async () => {
    const data = await gql<{
      metricDefinitions: {
        id: string
        sqlFile: string
        sql: string
        definition: string
        disclosures: { network: string; provenance: string }[]
      }[]
    }>('{ metricDefinitions { id sqlFile sql definition disclosures { network provenance } } }')
    const { readFileSync } = await import('node:fs')
    const { ROOT_DIR } = await import('../../ingest/store/paths.js')
    expect(data.metricDefinitions.length).toBeGreaterThan(15)
    for (const d of data.metricDefinitions) {
      expect(d.sql).toBe(readFileSync(`${ROOT_DIR}/${d.sqlFile}`, 'utf8'))
      expect(d.sql.startsWith('--')).toBe(true)
      expect(d.disclosures.map((x) => x.network)).toEqual(catalog.map((n) => n.id))
    }
    const demand = data.metricDefinitions.find((d) => d.id === 'demand')
    expect(demand?.disclosures.find((x) => x.network === 'akash')?.provenance).toBe('none')
    expect(demand?.disclosures.find((x) => x.network === 'aethir')?.provenance).toBe('reported')
  })
})

describe('exports (CSV and Parquet, same arguments as the GraphQL field)', () => {
  /** ClickHouse CSVWithNames: quoted strings, \N for NULL; these exports hold no commas in values. */
  function parseCsv(text: string): Record<string, string>[] {
    const [head, ...lines] = text.trim().split('\n')
    const names = (head ?? '').split(',').map((h) => h.replace(/^"|"$/g, ''))
    return lines.map((line) =>
      Object.fromEntries(line.split(',').map((v, i) => [names[i], v.replace(/^"|"$/g, '')])),
    )
  }
  const value = (v: string | undefined): number | null => (v === undefined || v === '\\N' ? null : Number(v))

  it('streams economics per day as CSV with the truth’s values', async () => {
    const qs = `${ALL.map((n) => `network=${n}`).join('&')}&from=${WORLD.start.toISOString()}&to=${WORLD.end.toISOString()}&granularity=DAY`
    const res = await fetch(`${t.url}/export/economics.csv?${qs}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="economics.csv"')
    const rows = parseCsv(await res.text())
    const days = buckets(WORLD, 'day')
    expect(rows.length).toBe(ALL.length * days.length)
    for (const row of rows) {
      const network = row.network ?? ''
      const start = new Date(`${(row.bucket ?? '').replace(' ', 'T')}Z`)
      const p = { start, end: new Date(start.getTime() + DAY_MS) }
      const e = truth.economics(network, p)
      expect(row.demand_provenance).toBe(provenance(network, 'demand'))
      close(
        value(row.demand_usd),
        provenance(network, 'demand') === 'none' ? null : e.demand,
        `${network} ${row.bucket}`,
      )
      close(
        value(row.subsidy_usd),
        provenance(network, 'subsidy') === 'none' ? null : e.subsidy,
        `${network} ${row.bucket}`,
      )
    }
  })

  it('streams supply as Parquet, and lists as files too', async () => {
    const res = await fetch(`${t.url}/export/supply.parquet?network=aethir&preset=D30&granularity=WEEK`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="supply.parquet"')
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1')
    expect(bytes.subarray(-4).toString()).toBe('PAR1')
    const nodes = parseCsv(await (await fetch(`${t.url}/export/nodes.csv?preset=D30`)).text())
    expect(nodes.length).toBe(world.truth.nodes.length)
    const jobs = parseCsv(await (await fetch(`${t.url}/export/jobs.csv?network=nosana&status=failed`)).text())
    expect(jobs.length).toBe(
      world.truth.jobs.filter((j) => j.network === 'nosana' && j.status === 'failed').length,
    )
  })

  it('refuses unknown exports and bad arguments with 400/404, never a server error', async () => {
    expect((await fetch(`${t.url}/export/economics.xlsx?network=aethir`)).status).toBe(404)
    expect((await fetch(`${t.url}/export/nope.csv?network=aethir`)).status).toBe(400)
    expect((await fetch(`${t.url}/export/economics.csv`)).status).toBe(400)
    expect((await fetch(`${t.url}/export/economics.csv?network=aethir&granularity=YEAR`)).status).toBe(400)
    expect(
      (
        await fetch(
          `${t.url}/export/economics.csv?network=aethir&from=2026-01-05T00:30:00Z&to=2026-01-06T00:00:00Z`,
        )
      ).status,
    ).toBe(400)
  })
})
