/**
 * What the chaos run checks at the end, table by table: the stored rows against the world's ground
 * truth (computed from the world's own events, never read back from Plumb), the daily snapshots
 * against a recomputation from the raw tables, and the telemetry against every acknowledgement an
 * agent received. Each check gives expected and stored row counts, rows lost, rows doubled (stored
 * more often than the truth has them, or not in it at all) and groups whose values differ.
 */
import type { TruthFlow, World } from '../../devnet/world/model.js'
import { WORLD_TOKENS } from '../../devnet/world/networks.js'
import type { PricePath } from '../../devnet/world/prices.js'
import type { GroundTruth } from '../../devnet/world/truth.js'
import { rawToUnits } from '../../ingest/chains/units.js'
import type { PriceRow } from '../../ingest/store/rows.js'
import { FLOW_DAYS_SQL, flowDay, truthFlowDays, type FlowDay } from '../support/flows-vs-truth.js'
import { gpuDayKey, type BatchAck, type GpuDayTotals, type WorldTelemetry } from './world-agents.js'

export interface TableCheck {
  table: string
  /** What the rows are counted in (flows, jobs, samples, batches, network-days). */
  unit: string
  expected: number
  stored: number
  lost: number
  doubled: number
  /** Groups (days, GPU-days, batches...) present on both sides whose values differ. */
  mismatched: number
  /** A few of the differences, for the failure message. */
  examples: string[]
}

type Row = Record<string, unknown>
const num = (v: unknown): number => Number(v ?? 0)
const str = (v: unknown): string => String(v ?? '')
const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

function check(table: string, unit: string): TableCheck {
  return { table, unit, expected: 0, stored: 0, lost: 0, doubled: 0, mismatched: 0, examples: [] }
}

function note(c: TableCheck, text: string): void {
  if (c.examples.length < 5) c.examples.push(text)
}

/** Counts per key on both sides: lost where the store has fewer, doubled where it has more. */
function tally(c: TableCheck, expected: Map<string, number>, stored: Map<string, number>): void {
  for (const [key, n] of expected) {
    c.expected += n
    const got = stored.get(key) ?? 0
    if (got < n) {
      c.lost += n - got
      note(c, `${key}: ${got} stored, ${n} expected`)
    }
  }
  for (const [key, n] of stored) {
    c.stored += n
    const want = expected.get(key) ?? 0
    if (n > want) {
      c.doubled += n - want
      note(c, `${key}: ${n} stored, ${want} expected`)
    }
  }
}

// ---- chain tables --------------------------------------------------------------------------------

/** Per chain, the highest block (slot) the node calls final at the end: rows up to it must be finalized. */
export type FinalThrough = Record<string, number>

export const chainQueries = (decoyTxs: readonly string[], finalThrough: FinalThrough) => {
  const txs = decoyTxs.map((t) => `'${t.replace(/[^0-9a-fx]/g, '')}'`).join(',') || `''`
  const limit = `multiIf(${Object.entries(finalThrough)
    .map(([chain, n]) => `chain = '${chain.replace(/\W/g, '')}', ${Math.trunc(n)}`)
    .join(', ')}, -1)`
  return {
    finality: `SELECT chain, count() AS n, toString(${limit}) AS final_through,
                      countIf(block_number <= ${limit} AND finality != 'finalized') AS not_finalized,
                      countIf(block_number > ${limit} AND finality != 'confirmed') AS not_confirmed
               FROM token_flows FINAL GROUP BY chain ORDER BY chain`,
    flowDays: FLOW_DAYS_SQL,
    flowKeys: `SELECT count() AS n, uniqExact(chain, tx_id, event_index) AS keys FROM token_flows FINAL`,
    decoyFlows: `SELECT count() AS n FROM token_flows FINAL WHERE tx_id IN (${txs})`,
    decoyEvents: `SELECT count() AS n FROM job_events FINAL WHERE tx_id IN (${txs})`,
    jobsEnded: `SELECT network, toString(toDate(ended_at)) AS day, status, count() AS n
                FROM jobs WHERE ended_at IS NOT NULL GROUP BY network, day, status ORDER BY network, day, status`,
    jobsPerNetwork: `SELECT network, count() AS n, countIf(started_at IS NOT NULL) AS started
                     FROM jobs GROUP BY network ORDER BY network`,
    jobEventKeys: `SELECT count() AS n, uniqExact(network, job_id, event, tx_id, event_index) AS keys FROM job_events FINAL`,
    flowsDaily: `SELECT network, toString(day) AS day, payment_flows, burn_flows, emission_flows, fee_flows,
                        payment_usd, burn_usd, emission_usd, fee_usd, job_burn_usd,
                        payment_unpriced + burn_unpriced + emission_unpriced + fee_unpriced AS unpriced,
                        length(payment_payers) AS payment_payers, length(job_burn_payers) AS job_burn_payers
                 FROM flows_daily FINAL ORDER BY network, day`,
    // The same figures computed here from the raw table, not with sql/snapshots/flows_daily.sql.
    flowsRaw: `SELECT network, toString(toDate(block_time)) AS day,
                      countIf(kind = 'customer_payment') AS payment_flows, countIf(kind = 'burn') AS burn_flows,
                      countIf(kind = 'reward_emission') AS emission_flows, countIf(kind = 'fee') AS fee_flows,
                      sumIf(ifNull(amount_usd, 0), kind = 'customer_payment') AS payment_usd,
                      sumIf(ifNull(amount_usd, 0), kind = 'burn') AS burn_usd,
                      sumIf(ifNull(amount_usd, 0), kind = 'reward_emission') AS emission_usd,
                      sumIf(ifNull(amount_usd, 0), kind = 'fee') AS fee_usd,
                      sumIf(ifNull(amount_usd, 0), kind = 'burn' AND job_id != '') AS job_burn_usd,
                      countIf(kind IN ('customer_payment', 'burn', 'reward_emission', 'fee') AND amount_usd IS NULL) AS unpriced,
                      uniqExactIf(payer, kind = 'customer_payment') AS payment_payers,
                      uniqExactIf(payer, kind = 'burn' AND job_id != '') AS job_burn_payers
               FROM token_flows FINAL GROUP BY network, day ORDER BY network, day`,
    jobsDaily: `SELECT network, toString(day) AS day, succeeded, failed, timed_out, cancelled
                FROM jobs_daily FINAL ORDER BY network, day`,
    jobsRaw: `SELECT network, toString(toDate(ended)) AS day, countIf(status = 'succeeded') AS succeeded,
                     countIf(status = 'failed') AS failed, countIf(status = 'timed_out') AS timed_out,
                     countIf(status = 'cancelled') AS cancelled
              FROM (SELECT network, job_id, max(time) AS ended, argMax(status, time) AS status
                    FROM job_events FINAL WHERE event = 'finished' GROUP BY network, job_id)
              GROUP BY network, day ORDER BY network, day`,
    prices: `SELECT token, toString(time) AS time, usd, source FROM prices FINAL`,
    pricesRaw: `SELECT count() AS n FROM prices`,
    firstPayments: `SELECT network, demand, payer, toString(min(first_at)) AS first
                    FROM customer_first_payment GROUP BY network, demand, payer ORDER BY network, demand, payer`,
    firstPaymentsRaw: `SELECT network, if(kind = 'customer_payment', 'payment', 'job_burn') AS demand, payer,
                              toString(min(block_time)) AS first
                       FROM token_flows FINAL
                       WHERE finality = 'finalized' AND (kind = 'customer_payment' OR (kind = 'burn' AND job_id != ''))
                       GROUP BY network, demand, payer ORDER BY network, demand, payer`,
  }
}

export type ChainRows = Record<keyof ReturnType<typeof chainQueries>, Row[]>

export const storedFlowDays = (rows: ChainRows): FlowDay[] => rows.flowDays.map(flowDay)

/** Token flows per network, day, kind and token: counts and exact amounts. */
export function checkTokenFlows(truth: GroundTruth, rows: ChainRows): TableCheck {
  const c = check('token_flows', 'flows')
  const key = (f: FlowDay) => `${f.network} ${f.day} ${f.kind} ${f.token}`
  const expected = truthFlowDays(truth)
  const stored = storedFlowDays(rows)
  tally(c, new Map(expected.map((f) => [key(f), f.count])), new Map(stored.map((f) => [key(f), f.count])))
  const amounts = new Map(stored.map((f) => [key(f), f.amount]))
  for (const f of expected) {
    const got = amounts.get(key(f))
    if (got !== undefined && got !== f.amount) {
      c.mismatched++
      note(c, `${key(f)}: amount ${got}, expected ${f.amount}`)
    }
  }
  const [keys] = rows.flowKeys
  const duplicates = num(keys?.n) - num(keys?.keys)
  if (duplicates !== 0) {
    c.doubled += duplicates
    note(c, `${duplicates} flows share a (chain, tx_id, event_index)`)
  }
  return c
}

/**
 * token_flows.finality: rows in blocks the node calls final (EVM: head minus the finality depth;
 * Solana: the finalized slot) must read 'finalized' once the ingest has caught up, the rest 'confirmed'.
 */
export function checkFinality(rows: ChainRows): TableCheck {
  const c = check('token_flows finality', 'flows')
  for (const r of rows.finality) {
    c.expected += num(r.n)
    c.stored += num(r.n)
    const wrong = num(r.not_finalized) + num(r.not_confirmed)
    if (wrong > 0) {
      c.mismatched += wrong
      note(
        c,
        `${str(r.chain)}: ${num(r.not_finalized)} flows at or below block ${str(r.final_through)} not finalized, ` +
          `${num(r.not_confirmed)} above it not confirmed`,
      )
    }
  }
  return c
}

/** The world's jobs on chain (Nosana on Solana, Aethir on the EVM devnet): posted, started, ended. */
export function checkJobs(world: World, truth: GroundTruth, rows: ChainRows): TableCheck {
  const c = check('job_events (jobs)', 'jobs')
  const onChain = world.jobs.filter((j) => j.network === 'nosana' || j.network === 'aethir')
  const count = (list: { network: string }[]) => {
    const m = new Map<string, number>()
    for (const j of list) m.set(j.network, (m.get(j.network) ?? 0) + 1)
    return m
  }
  tally(c, count(onChain), new Map(rows.jobsPerNetwork.map((r) => [str(r.network), num(r.n)])))
  const started = count(onChain.filter((j) => j.started))
  for (const r of rows.jobsPerNetwork) {
    if (num(r.started) !== (started.get(str(r.network)) ?? 0)) {
      c.mismatched++
      note(
        c,
        `${str(r.network)}: ${num(r.started)} jobs started, expected ${started.get(str(r.network)) ?? 0}`,
      )
    }
  }
  const ended = new Map<string, number>()
  for (const d of truth.daily) {
    for (const [status, n] of Object.entries(d.jobs))
      if (n > 0) ended.set(`${d.network} ${d.day} ${status}`, n)
  }
  const endedStored = new Map(
    rows.jobsEnded.map((r) => [`${str(r.network)} ${str(r.day)} ${str(r.status)}`, num(r.n)]),
  )
  for (const key of new Set([...ended.keys(), ...endedStored.keys()])) {
    if ((ended.get(key) ?? 0) !== (endedStored.get(key) ?? 0)) {
      c.mismatched++
      note(c, `${key}: ${endedStored.get(key) ?? 0} jobs ended, expected ${ended.get(key) ?? 0}`)
    }
  }
  const [keys] = rows.jobEventKeys
  const duplicates = num(keys?.n) - num(keys?.keys)
  if (duplicates !== 0) {
    c.doubled += duplicates
    note(c, `${duplicates} job events share a key`)
  }
  return c
}

interface DayFigures {
  /** Flows of the four kinds without a USD price (the world prices every one). */
  unpriced: number
  payment_flows: number
  burn_flows: number
  emission_flows: number
  fee_flows: number
  payment_usd: number
  burn_usd: number
  emission_usd: number
  fee_usd: number
  job_burn_usd: number
  payment_payers: number
  job_burn_payers: number
}

const COUNT_FIELDS = [
  'unpriced',
  'payment_flows',
  'burn_flows',
  'emission_flows',
  'fee_flows',
  'payment_payers',
  'job_burn_payers',
] as const
const USD_FIELDS = ['payment_usd', 'burn_usd', 'emission_usd', 'fee_usd', 'job_burn_usd'] as const

function dayFigures(r: Row): DayFigures {
  return Object.fromEntries(
    [...COUNT_FIELDS, ...USD_FIELDS].map((f) => [f, num(r[f])]),
  ) as unknown as DayFigures
}

const active = (d: DayFigures): boolean => COUNT_FIELDS.some((f) => d[f] > 0)

const DECIMALS = new Map(WORLD_TOKENS.map((t) => [t.symbol, t.decimals]))

/** flows_daily as the world's flows say it should read (counts, payers, USD at the world's prices). */
function truthFlowsDaily(world: World, prices: PricePath, truth: GroundTruth): Map<string, DayFigures> {
  const out = new Map<string, DayFigures>()
  const payers = new Map<string, { payment: Set<string>; jobBurn: Set<string> }>()
  const at = (network: string, day: string) => {
    const key = `${network} ${day}`
    let d = out.get(key)
    if (!d) {
      d = Object.fromEntries([...COUNT_FIELDS, ...USD_FIELDS].map((f) => [f, 0])) as unknown as DayFigures
      out.set(key, d)
      payers.set(key, { payment: new Set(), jobBurn: new Set() })
    }
    return { d, p: payers.get(key) as { payment: Set<string>; jobBurn: Set<string> } }
  }
  for (const f of truth.flows) {
    const { d } = at(f.network, f.day)
    if (f.kind === 'customer_payment')
      [d.payment_flows, d.payment_usd] = [d.payment_flows + f.count, d.payment_usd + f.usd]
    if (f.kind === 'burn') [d.burn_flows, d.burn_usd] = [d.burn_flows + f.count, d.burn_usd + f.usd]
    if (f.kind === 'reward_emission')
      [d.emission_flows, d.emission_usd] = [d.emission_flows + f.count, d.emission_usd + f.usd]
    if (f.kind === 'fee') [d.fee_flows, d.fee_usd] = [d.fee_flows + f.count, d.fee_usd + f.usd]
  }
  const flows: TruthFlow[] = world.actions.flatMap((a) => a.flows)
  for (const f of flows) {
    const { d, p } = at(f.network, f.time.toISOString().slice(0, 10))
    if (f.kind === 'customer_payment') p.payment.add(f.payer)
    if (f.kind === 'burn' && f.jobId !== '') {
      p.jobBurn.add(f.payer)
      d.job_burn_usd += Number(rawToUnits(f.raw, DECIMALS.get(f.token) ?? 0)) * prices.at(f.token, f.time)
    }
  }
  for (const [key, d] of out) {
    const p = payers.get(key)
    d.payment_payers = p?.payment.size ?? 0
    d.job_burn_payers = p?.jobBurn.size ?? 0
  }
  return out
}

function compareDays(
  c: TableCheck,
  label: string,
  expected: Map<string, DayFigures>,
  stored: Map<string, DayFigures>,
  usd: boolean,
): void {
  for (const key of new Set([...expected.keys(), ...stored.keys()])) {
    const want = expected.get(key)
    const got = stored.get(key)
    const fields = [...COUNT_FIELDS, ...(usd ? USD_FIELDS : [])]
    const differs = fields.filter((f) => !close(want?.[f] ?? 0, got?.[f] ?? 0))
    if (differs.length > 0) {
      c.mismatched++
      note(
        c,
        `${key} vs ${label}: ${differs.map((f) => `${f} ${got?.[f] ?? 0} (want ${want?.[f] ?? 0})`).join(', ')}`,
      )
    }
  }
}

/**
 * flows_daily (FINAL): every network-day with activity, against the world's flows and against a
 * recomputation from token_flows FINAL; days left with nothing must read zero.
 */
export function checkFlowsDaily(
  world: World,
  prices: PricePath,
  truth: GroundTruth,
  rows: ChainRows,
): TableCheck {
  const c = check('flows_daily', 'network-days')
  const stored = new Map(
    rows.flowsDaily
      .map((r) => [`${str(r.network)} ${str(r.day)}`, dayFigures(r)] as const)
      .filter(([, d]) => active(d)),
  )
  const raw = new Map(
    rows.flowsRaw
      .map((r) => [`${str(r.network)} ${str(r.day)}`, dayFigures(r)] as const)
      .filter(([, d]) => active(d)),
  )
  const expected = new Map([...truthFlowsDaily(world, prices, truth)].filter(([, d]) => active(d)))
  tally(c, new Map([...expected.keys()].map((k) => [k, 1])), new Map([...stored.keys()].map((k) => [k, 1])))
  compareDays(c, 'truth', expected, stored, true)
  compareDays(c, 'token_flows FINAL', raw, stored, true)
  return c
}

const JOB_STATUSES = ['succeeded', 'failed', 'timed_out', 'cancelled'] as const

/** jobs_daily (FINAL) against the world's jobs and against a recomputation from job_events FINAL. */
export function checkJobsDaily(truth: GroundTruth, rows: ChainRows): TableCheck {
  const c = check('jobs_daily', 'network-days')
  const figures = (r: Row) => JOB_STATUSES.map((s) => num(r[s])).join('/')
  const nonZero = (r: [string, string]) => r[1] !== '0/0/0/0'
  const stored = new Map(
    rows.jobsDaily
      .map((r) => [`${str(r.network)} ${str(r.day)}`, figures(r)] as [string, string])
      .filter(nonZero),
  )
  const raw = new Map(
    rows.jobsRaw
      .map((r) => [`${str(r.network)} ${str(r.day)}`, figures(r)] as [string, string])
      .filter(nonZero),
  )
  const expected = new Map(
    truth.daily
      .map((d) => [`${d.network} ${d.day}`, JOB_STATUSES.map((s) => d.jobs[s]).join('/')] as [string, string])
      .filter(nonZero),
  )
  tally(c, new Map([...expected.keys()].map((k) => [k, 1])), new Map([...stored.keys()].map((k) => [k, 1])))
  for (const [label, want] of [
    ['truth', expected],
    ['job_events FINAL', raw],
  ] as const) {
    for (const key of new Set([...want.keys(), ...stored.keys()])) {
      if (want.get(key) !== stored.get(key)) {
        c.mismatched++
        note(c, `${key} vs ${label}: ${stored.get(key) ?? '-'} stored, ${want.get(key) ?? '-'} expected`)
      }
    }
  }
  return c
}

/** The plan's price feed, stored once per (token, time, source) however many runs loaded it. */
export function checkPrices(prices: readonly PriceRow[], rows: ChainRows): TableCheck {
  const c = check('prices', 'prices')
  const key = (p: { token: unknown; time: unknown; source: unknown }) =>
    `${str(p.token)} ${str(p.time)} ${str(p.source)}`
  const count = (list: { token: unknown; time: unknown; source: unknown }[]) => {
    const m = new Map<string, number>()
    for (const p of list) m.set(key(p), (m.get(key(p)) ?? 0) + 1)
    return m
  }
  const expected = new Map([...count([...prices])].map(([k]) => [k, 1]))
  tally(c, expected, count(rows.prices as { token: unknown; time: unknown; source: unknown }[]))
  const usd = new Map(prices.map((p) => [key(p), p.usd]))
  for (const r of rows.prices) {
    const want = usd.get(key(r as { token: unknown; time: unknown; source: unknown }))
    if (want !== undefined && !close(want, num(r.usd))) c.mismatched++
  }
  return c
}

/** customer_first_payment (a min-aggregating rollup fed at insert) against token_flows FINAL. */
export function checkFirstPayments(rows: ChainRows): TableCheck {
  const c = check('customer_first_payment', 'payers')
  const key = (r: Row) => `${str(r.network)} ${str(r.demand)} ${str(r.payer)}`
  const raw = new Map(rows.firstPaymentsRaw.map((r) => [key(r), str(r.first)]))
  const stored = new Map(rows.firstPayments.map((r) => [key(r), str(r.first)]))
  tally(c, new Map([...raw.keys()].map((k) => [k, 1])), new Map([...stored.keys()].map((k) => [k, 1])))
  for (const [k, first] of raw) {
    const got = stored.get(k)
    if (got !== undefined && got !== first) {
      c.mismatched++
      note(c, `${k}: first payment ${got}, token_flows says ${first}`)
    }
  }
  return c
}

// ---- telemetry tables ----------------------------------------------------------------------------

export const telemetryQueries = {
  gpuDays: `SELECT network, node_id, gpu_uuid, toString(toDate(time)) AS day, any(gpu_model) AS model,
                   uniqExact(gpu_model) AS models, count() AS n, uniqExact(time) AS times, sum(interval_s) AS online,
                   sum(utilization_pct) AS util, sum(memory_used_mib) AS memory,
                   toString(sum(power_w)) AS power, sum(temperature_c) AS temperature,
                   countIf(provenance != 'signed') AS unsigned
            FROM telemetry_samples GROUP BY network, node_id, gpu_uuid, day`,
  batches: `SELECT network, node_id, batch_id, count() AS n FROM telemetry_samples GROUP BY network, node_id, batch_id`,
  hourly: `SELECT network, node_id, gpu_uuid, toString(toDate(hour)) AS day, sum(samples) AS n, sum(online_s) AS online,
                  sum(util_sum) AS util, sum(power_sum) AS power
           FROM telemetry_hourly GROUP BY network, node_id, gpu_uuid, day`,
  daily: `SELECT network, node_id, gpu_uuid, toString(toDate(day)) AS day_text, sum(samples) AS n, sum(online_s) AS online,
                 sum(util_sum) AS util, sum(power_sum) AS power
          FROM telemetry_daily GROUP BY network, node_id, gpu_uuid, day_text`,
  nodes: `SELECT network, node_id, toString(max(last_seq)) AS last_seq FROM telemetry_nodes FINAL GROUP BY network, node_id`,
}

export type TelemetryRows = Record<keyof typeof telemetryQueries, Row[]>

const gpuDayOf = (r: Row): string =>
  gpuDayKey(str(r.network), str(r.node_id), str(r.gpu_uuid), str(r.day_text ?? r.day))

/** telemetry_samples per GPU-day against the world: every sample once, every value as sent. */
export function checkSamples(telemetry: WorldTelemetry, rows: TelemetryRows): TableCheck {
  const c = check('telemetry_samples', 'samples')
  const expected = new Map([...telemetry.truth].map(([k, t]) => [k, t.samples]))
  // Distinct times per GPU-day are the samples stored; more rows than times are doubles.
  tally(c, expected, new Map(rows.gpuDays.map((r) => [gpuDayOf(r), num(r.times)])))
  for (const r of rows.gpuDays) {
    const extra = num(r.n) - num(r.times)
    if (extra > 0) {
      c.doubled += extra
      c.stored += extra
      note(c, `${gpuDayOf(r)}: ${extra} samples stored twice`)
    }
    const t = telemetry.truth.get(gpuDayOf(r))
    if (!t) continue
    const got = {
      gpuModel: str(r.model),
      intervalS: num(r.online),
      util: num(r.util),
      memory: num(r.memory),
      powerCentiW: Math.round(Number(r.power) * 100),
      temperature: num(r.temperature),
      unsigned: num(r.unsigned),
      models: num(r.models),
    }
    const want = { ...pickTotals(t), unsigned: 0, models: 1 }
    const differs = (Object.keys(want) as (keyof typeof want)[]).filter((k) => want[k] !== got[k])
    if (differs.length > 0 && num(r.n) === t.samples) {
      c.mismatched++
      note(c, `${gpuDayOf(r)}: ${differs.map((k) => `${k} ${got[k]} (want ${want[k]})`).join(', ')}`)
    }
  }
  return c
}

function pickTotals(t: GpuDayTotals) {
  return {
    gpuModel: t.gpuModel,
    intervalS: t.intervalS,
    util: t.util,
    memory: t.memory,
    powerCentiW: t.powerCentiW,
    temperature: t.temperature,
  }
}

/** A rollup fed by a materialized view (telemetry_hourly, telemetry_daily) against the world, per GPU-day. */
export function checkRollup(table: string, telemetry: WorldTelemetry, rows: Row[]): TableCheck {
  const c = check(table, 'samples')
  tally(
    c,
    new Map([...telemetry.truth].map(([k, t]) => [k, t.samples])),
    new Map(rows.map((r) => [gpuDayOf(r), num(r.n)])),
  )
  for (const r of rows) {
    const t = telemetry.truth.get(gpuDayOf(r))
    if (!t || num(r.n) !== t.samples) continue
    const ok =
      num(r.online) === t.intervalS &&
      num(r.util) === t.util &&
      Math.round(num(r.power) * 100) === t.powerCentiW
    if (!ok) {
      c.mismatched++
      note(c, `${gpuDayOf(r)}: online ${num(r.online)}, util ${num(r.util)}, power ${num(r.power)}`)
    }
  }
  return c
}

/** Every acknowledged batch stored, whole and once; no batch stored that no agent was told about. */
export function checkAcknowledged(acks: readonly BatchAck[], rows: TelemetryRows): TableCheck {
  const c = check('acknowledged batches', 'samples')
  const key = (network: string, node: string, seq: string) => `${network}/${node}/${seq}`
  tally(
    c,
    new Map(acks.map((a) => [key(a.network, a.nodeId, String(a.seq)), a.samples])),
    new Map(rows.batches.map((r) => [key(str(r.network), str(r.node_id), str(r.batch_id)), num(r.n)])),
  )
  return c
}

/** telemetry_nodes: each node's last sequence number is the highest one acknowledged to its agent. */
export function checkNodes(acks: readonly BatchAck[], rows: TelemetryRows): TableCheck {
  const c = check('telemetry_nodes', 'nodes')
  const last = new Map<string, number>()
  for (const a of acks)
    last.set(`${a.network}/${a.nodeId}`, Math.max(last.get(`${a.network}/${a.nodeId}`) ?? 0, a.seq))
  const stored = new Map(rows.nodes.map((r) => [`${str(r.network)}/${str(r.node_id)}`, str(r.last_seq)]))
  tally(c, new Map([...last.keys()].map((k) => [k, 1])), new Map([...stored.keys()].map((k) => [k, 1])))
  for (const [k, seq] of last) {
    if (stored.has(k) && stored.get(k) !== String(seq)) {
      c.mismatched++
      note(c, `${k}: last_seq ${stored.get(k)}, highest acknowledged ${seq}`)
    }
  }
  return c
}
