/**
 * Plumb's signed telemetry batch (POST /ingest/v1/telemetry), version 1: its schema, and the
 * canonical bytes a node signs. README.md specifies both for implementers in other languages.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { MAX_GPUS_PER_BATCH, MAX_INTERVAL_S, MAX_SAMPLES_PER_BATCH, RANGES } from './limits.js'

export const BATCH_VERSION = 1
/** Prefixed to the canonical JSON so that a signature over a batch means nothing anywhere else. */
export const SIGNING_DOMAIN = 'plumb-telemetry-v1\n'

export const KEY_TYPES = ['ed25519', 'secp256k1'] as const
export type KeyType = (typeof KEY_TYPES)[number]

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/
const PRINTABLE_ID = /^[\x21-\x7e]{1,128}$/

function range(field: keyof typeof RANGES, unit: string): z.ZodNullable<z.ZodNumber> {
  const [min, max] = RANGES[field]
  const error = `must be between ${min} and ${max}${unit}`
  return z.number().min(min, { error }).max(max, { error }).nullable()
}

const utilizationPct = range('utilizationPct', ' %')
const memoryMiB = range('memoryMiB', ' MiB')
const powerW = range('powerW', ' W')
const temperatureC = range('temperatureC', ' °C')

/** A date-time in UTC, ISO 8601 with 'Z' ('2026-07-14T08:12:53.353Z'); the calendar is checked by parseIsoUtc. */
export const isoTime = z
  .string()
  .regex(ISO_UTC, { error: "must be an ISO 8601 UTC time such as '2026-07-14T08:12:53.353Z'" })

export interface UtcTime {
  ms: number
  /** As ClickHouse DateTime64(3) text: 'YYYY-MM-DD hh:mm:ss.mmm'. */
  clickHouse: string
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function digits(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48)
  return n
}

/**
 * A time that matched isoTime, read without Date's parser (hot path: once per sample). Null for
 * a date the calendar does not have (2026-02-30, 25:00).
 */
export function parseIsoUtc(s: string): UtcTime | null {
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 7)
  const day = digits(s, 8, 10)
  const hour = digits(s, 11, 13)
  const minute = digits(s, 14, 16)
  const second = digits(s, 17, 19)
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)
  if (year < 1970 || month < 1 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59)
    return null
  const fraction = s.length > 20 ? s.slice(20, -1).padEnd(3, '0') : '000'
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, Number(fraction))
  return { ms, clickHouse: `${s.slice(0, 10)} ${s.slice(11, 19)}.${fraction}` }
}

export const gpuSchema = z.strictObject({
  uuid: z.string().regex(PRINTABLE_ID, { error: 'must be 1 to 128 printable ASCII characters' }),
  index: z.number().int().min(0).max(1023).nullable(),
  name: z.string().max(256),
  pciDeviceId: z
    .string()
    .regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, { error: "must be 'vvvv:dddd' in lower-case hex" })
    .nullable(),
  memoryTotalMiB: memoryMiB,
})

export const sampleSchema = z.strictObject({
  /** Index into `gpus`. */
  gpu: z.number().int().min(0),
  time: isoTime,
  utilizationPct,
  memoryUsedMiB: memoryMiB,
  powerW,
  temperatureC,
  jobId: z.string().max(128).nullable(),
})

export const batchSchema = z.strictObject({
  version: z.literal(BATCH_VERSION),
  network: z.string().min(1).max(64),
  nodeId: z.string().regex(PRINTABLE_ID, { error: 'must be 1 to 128 printable ASCII characters' }),
  keyType: z.enum(KEY_TYPES),
  /** ed25519: base58 of the 32-byte key (a Solana address); secp256k1: the 0x EVM address. */
  publicKey: z.string().min(32).max(64),
  /** Strictly increasing per node; agents use max(last + 1, unix milliseconds). */
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** Seconds each sample stands for (the sampling interval). */
  intervalS: z.number().int().min(1).max(MAX_INTERVAL_S),
  gpus: z.array(gpuSchema).min(1).max(MAX_GPUS_PER_BATCH),
  samples: z.array(sampleSchema).min(1).max(MAX_SAMPLES_PER_BATCH),
  /** ed25519: base58 of 64 bytes; secp256k1: 0x + 65 bytes hex (r, s, v), EIP-191 personal_sign. */
  signature: z.string().min(64).max(200),
})

export type TelemetryBatch = z.infer<typeof batchSchema>
export type UnsignedBatch = Omit<TelemetryBatch, 'signature'>
export type BatchGpu = z.infer<typeof gpuSchema>
export type BatchSample = z.infer<typeof sampleSchema>

/**
 * JSON with the keys of every object sorted (by UTF-16 code units) and no whitespace; strings and
 * numbers as ECMAScript's JSON.stringify writes them. For the values a batch holds this is RFC 8785
 * (JSON Canonicalization Scheme).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`)
}

/** The bytes a node signs: the domain tag, then the canonical JSON of the batch without `signature`. */
export function signingBytes(batch: UnsignedBatch | TelemetryBatch): Buffer {
  return Buffer.from(SIGNING_DOMAIN + canonicalJson(withoutSignature(batch)), 'utf8')
}

const str = JSON.stringify
/** A finite number or null, as JSON.stringify writes it. */
const num = (n: number | null): string => (n === null ? 'null' : String(n))

function gpuJson(g: BatchGpu): string {
  return `{"index":${num(g.index)},"memoryTotalMiB":${num(g.memoryTotalMiB)},"name":${str(g.name)},"pciDeviceId":${str(g.pciDeviceId)},"uuid":${str(g.uuid)}}`
}

function sampleJson(s: BatchSample): string {
  return `{"gpu":${s.gpu},"jobId":${str(s.jobId)},"memoryUsedMiB":${num(s.memoryUsedMiB)},"powerW":${num(s.powerW)},"temperatureC":${num(s.temperatureC)},"time":${str(s.time)},"utilizationPct":${num(s.utilizationPct)}}`
}

/**
 * canonicalJson of a batch that passed batchSchema (signature left out), written field by field:
 * the hot path of the ingest, several times faster than the generic walk. The schema is closed
 * (strict objects, every field required), so the keys are known; test/telemetry/canonical.test.ts
 * checks both against each other, which catches a field added to the schema and not here.
 */
export function canonicalJsonOfValid(b: TelemetryBatch): string {
  // Joined from arrays: one flat string, not a rope of thousands of pieces (ingest/store/tsv.ts).
  return [
    `{"gpus":[${b.gpus.map(gpuJson).join(',')}],"intervalS":${b.intervalS},"keyType":${str(b.keyType)},`,
    `"network":${str(b.network)},"nodeId":${str(b.nodeId)},"publicKey":${str(b.publicKey)},`,
    `"samples":[${b.samples.map(sampleJson).join(',')}],"seq":${b.seq},"version":${b.version}}`,
  ].join('')
}

export function signingBytesOfValid(batch: TelemetryBatch): Buffer {
  return Buffer.from(SIGNING_DOMAIN + canonicalJsonOfValid(batch), 'utf8')
}

function withoutSignature(batch: UnsignedBatch | TelemetryBatch): UnsignedBatch {
  if (!('signature' in batch)) return batch
  const { signature: _signature, ...rest } = batch
  return rest
}

/** SHA-256 of the signed bytes, hex: tells a retransmitted batch from another with the same seq. */
export function batchDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
