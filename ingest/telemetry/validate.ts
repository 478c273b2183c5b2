/**
 * Validation of what the ingest routes receive: zod for types and ranges, then the checks that
 * span fields (memory used ≤ total, time window, references, duplicates). The first problem
 * found rejects the whole batch.
 */
import { z } from 'zod'
import { batchSchema, parseIsoUtc, type TelemetryBatch } from './batch.js'
import type { GpuReading } from './gpu-sample.js'
import { MAX_FUTURE_MS, MAX_SAMPLES_PER_BATCH, RANGES } from './limits.js'
import { formatPath, problem, type Problem } from './problem.js'
import { checkPublicKey } from './signature.js'

export interface ValidationContext {
  /** Server clock, milliseconds. */
  now: number
  maxAgeMs: number
  networks: ReadonlySet<string>
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem }

export interface ValidBatch {
  batch: TelemetryBatch
  /** samples[i].time in milliseconds. */
  times: number[]
  /** samples[i].time as ClickHouse DateTime64(3) text. */
  clickHouseTimes: string[]
}

function fail<T>(p: Problem): Parsed<T> {
  return { ok: false, problem: p }
}

export function parseBatch(body: unknown, ctx: ValidationContext): Parsed<ValidBatch> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(problem(400, 'malformed', 'the body must be a JSON object (Content-Type: application/json)'))
  }
  const samples = (body as { samples?: unknown }).samples
  if (Array.isArray(samples) && samples.length > MAX_SAMPLES_PER_BATCH) {
    return fail(
      problem(
        413,
        'too_many_samples',
        `${samples.length} samples; a batch holds at most ${MAX_SAMPLES_PER_BATCH}`,
        'samples',
      ),
    )
  }
  const parsed = batchSchema.safeParse(body)
  if (!parsed.success) return fail(zodProblem(parsed.error.issues, body))
  return checkBatch(parsed.data, ctx)
}

/**
 * A batch read back from the write-ahead log: it passed every check when it was accepted, and
 * the time window is not applied again (a replay may come long after).
 */
export function replayBatch(value: unknown): ValidBatch {
  const checked = checkBatch(batchSchema.parse(value), null)
  if (!checked.ok) throw new Error(`unusable batch in the WAL: ${checked.problem.reason}`)
  return checked.value
}

function checkBatch(batch: TelemetryBatch, ctx: ValidationContext | null): Parsed<ValidBatch> {
  if (ctx && !ctx.networks.has(batch.network)) {
    return fail(
      problem(400, 'unknown_network', `'${batch.network}' is not a network in the catalog`, 'network'),
    )
  }
  const keyProblem = checkPublicKey(batch.keyType, batch.publicKey)
  if (keyProblem)
    return fail(problem(400, 'invalid_public_key', `${batch.keyType} key ${keyProblem}`, 'publicKey'))
  const uuids = new Set<string>()
  for (const [i, gpu] of batch.gpus.entries()) {
    if (uuids.has(gpu.uuid)) {
      return fail(problem(400, 'duplicate_gpu', `GPU ${gpu.uuid} is listed twice`, `gpus[${i}].uuid`))
    }
    uuids.add(gpu.uuid)
  }
  const n = batch.samples.length
  const times: number[] = new Array<number>(n)
  const clickHouseTimes: string[] = new Array<string>(n)
  // gpu < 256 and times < 2^44 ms: time * 256 + gpu is an exact integer key.
  const seen = new Set<number>()
  for (let i = 0; i < n; i++) {
    const sample = batch.samples[i] as TelemetryBatch['samples'][0]
    const at = (field: string): string => `samples[${i}].${field}`
    const gpu = batch.gpus[sample.gpu]
    if (!gpu) {
      return fail(
        problem(
          400,
          'unknown_gpu',
          `gpu ${sample.gpu} is not an index of gpus (${batch.gpus.length})`,
          at('gpu'),
        ),
      )
    }
    const utc = parseIsoUtc(sample.time)
    if (!utc)
      return fail(problem(400, 'invalid_value', `${sample.time} is not a date in the calendar`, at('time')))
    const time = utc.ms
    const timeProblem = ctx ? checkTime(time, sample.time, at('time'), ctx) : null
    if (timeProblem) return fail(timeProblem)
    const memoryProblem = checkMemory(sample.memoryUsedMiB, gpu.memoryTotalMiB, at('memoryUsedMiB'))
    if (memoryProblem) return fail(memoryProblem)
    const key = time * 256 + sample.gpu
    if (seen.has(key)) {
      return fail(
        problem(400, 'duplicate_sample', `GPU ${gpu.uuid} has two samples at ${sample.time}`, at('time')),
      )
    }
    seen.add(key)
    times[i] = time
    clickHouseTimes[i] = utc.clickHouse
  }
  return { ok: true, value: { batch, times, clickHouseTimes } }
}

function checkTime(time: number, text: string, path: string, ctx: ValidationContext): Problem | null {
  if (time > ctx.now + MAX_FUTURE_MS) {
    const ahead = Math.round((time - ctx.now) / 1000)
    return problem(
      400,
      'time_in_future',
      `${text} is ${ahead} s ahead of the server clock (at most ${MAX_FUTURE_MS / 1000} s)`,
      path,
    )
  }
  if (time < ctx.now - ctx.maxAgeMs) {
    const hours = Math.round(ctx.maxAgeMs / 3_600_000)
    return problem(400, 'time_too_old', `${text} is older than ${hours} h`, path)
  }
  return null
}

function checkMemory(used: number | null, total: number | null, path: string): Problem | null {
  if (used === null || total === null || used <= total) return null
  return problem(
    400,
    'memory_exceeds_total',
    `memory used ${used} MiB exceeds the GPU's total ${total} MiB`,
    path,
  )
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = body
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function zodProblem(issues: readonly z.core.$ZodIssue[], body: unknown): Problem {
  const issue = issues[0]
  if (!issue) return problem(400, 'invalid', 'invalid batch')
  const path = formatPath(issue.path)
  const where = path === '' ? 'body' : path
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? ''
      const keyPath = path === '' ? key : `${path}.${key}`
      return problem(400, 'unknown_field', `${keyPath} is not a field of a version 1 batch`, keyPath)
    }
    case 'too_big':
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'int') {
        return problem(
          400,
          'out_of_range',
          `${where} ${issue.message}, got ${shown(valueAt(body, issue.path))}`,
          path,
        )
      }
      if (path === 'samples' && issue.code === 'too_small') {
        return problem(400, 'empty_batch', 'a batch holds at least one sample', path)
      }
      return problem(400, 'invalid_value', `${where}: ${issue.message}`, path)
    case 'invalid_type':
      if (valueAt(body, issue.path) === undefined) {
        return problem(400, 'missing_field', `${where} is required`, path)
      }
      return problem(400, 'invalid_type', `${where}: ${issue.message}`, path)
    default:
      return problem(400, 'invalid_value', `${where}: ${issue.message}`, path)
  }
}

const reading = z.object({
  gpuUuid: z.string().regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1 to 200 printable ASCII characters' }),
  name: z.string().max(256),
  utilizationPct: z.number().min(RANGES.utilizationPct[0]).max(RANGES.utilizationPct[1]).nullable(),
  memoryUsedMiB: z.number().min(RANGES.memoryMiB[0]).max(RANGES.memoryMiB[1]).nullable(),
  memoryTotalMiB: z.number().min(RANGES.memoryMiB[0]).max(RANGES.memoryMiB[1]).nullable(),
  powerW: z.number().min(RANGES.powerW[0]).max(RANGES.powerW[1]).nullable(),
  temperatureC: z.number().min(RANGES.temperatureC[0]).max(RANGES.temperatureC[1]).nullable(),
})
const readings = z.array(reading).max(MAX_SAMPLES_PER_BATCH)

/** Readings parsed from Prometheus text or OTLP: the same ranges and checks as signed samples. */
export function checkReadings(list: readonly GpuReading[], ctx: ValidationContext): Problem | null {
  const parsed = readings.safeParse(list)
  if (!parsed.success) {
    const p = zodProblem(parsed.error.issues, list)
    const gpu = list[Number(parsed.error.issues[0]?.path[0])]?.gpuUuid
    const path = `readings${p.path}`
    return { ...p, path, reason: `${p.reason.replace(p.path, path)}${gpu ? ` (GPU ${gpu})` : ''}` }
  }
  const seen = new Set<string>()
  for (const [i, r] of list.entries()) {
    const at = (field: string): string => `readings[${i}].${field}`
    if (r.time !== null) {
      // A timestamp beyond what a Date holds (±8.64e15 ms, e.g. Prometheus 99999999999999999999).
      if (Number.isNaN(r.time.getTime())) {
        return problem(400, 'invalid_value', 'the timestamp is not a representable date-time', at('time'))
      }
      const timeProblem = checkTime(r.time.getTime(), r.time.toISOString(), at('time'), ctx)
      if (timeProblem) return timeProblem
    }
    const memoryProblem = checkMemory(r.memoryUsedMiB, r.memoryTotalMiB, at('memoryUsedMiB'))
    if (memoryProblem) return memoryProblem
    const key = `${r.gpuUuid}@${r.time?.getTime() ?? ''}`
    if (seen.has(key))
      return problem(400, 'duplicate_sample', `GPU ${r.gpuUuid} is reported twice at one time`, at('time'))
    seen.add(key)
  }
  return null
}
