/**
 * The three ingest routes as framework-free handlers: request in (content type, Authorization,
 * query, body), reply out (status, headers, JSON body). Every refusal is recorded with its reason.
 */
import type { ServerResponse } from 'node:http'
import { batchDigest, canonicalJsonOfValid, SIGNING_DOMAIN } from './batch.js'
import { TelemetryParseError, type GpuReading } from './gpu-sample.js'
import { MAX_BODY_BYTES, MAX_INTERVAL_S } from './limits.js'
import { parseOtlpJson } from './parsers/otlp-json.js'
import { parsePrometheusText } from './parsers/prometheus.js'
import { problem, type Problem } from './problem.js'
import type { RejectionMeta } from './rejections.js'
import { signedSubmission, type SignedSubmission, type TelemetryIngest } from './service.js'
import { verifySignature } from './signature.js'
import type { NodeIdentity } from './tokens.js'
import { checkReadings, parseBatch } from './validate.js'
import { sha256 } from './wal.js'

export const INGEST_ROUTES = {
  telemetry: '/ingest/v1/telemetry',
  prometheus: '/ingest/v1/prometheus',
  otlp: '/v1/metrics',
} as const
export type IngestRoute = keyof typeof INGEST_ROUTES

/** Seconds a Prometheus or OTLP sample stands for unless `?interval=` says: dcgm-exporter's default. */
export const DEFAULT_REPORTED_INTERVAL_S = 30

export interface IngestRequest {
  contentType: string | undefined
  authorization: string | undefined
  query: URLSearchParams
  /** A parsed JSON value, a string (text, or JSON not parsed yet), or undefined when no parser took it. */
  body: unknown
}

export interface IngestReply {
  status: number
  headers: Record<string, string>
  body: unknown
}

const NO_META: RejectionMeta = { network: '', nodeId: '', samples: 0 }

export async function handleIngest(
  ingest: TelemetryIngest,
  route: IngestRoute,
  request: IngestRequest,
): Promise<IngestReply> {
  const endpoint = INGEST_ROUTES[route]
  if (!ingest.ready) {
    return refuse(
      ingest,
      endpoint,
      problem(503, 'starting', 'the ingest is starting or stopping', '', { retryAfterS: 5 }),
      NO_META,
    )
  }
  switch (route) {
    case 'telemetry':
      return signedBatch(ingest, endpoint, request)
    case 'prometheus':
      return prometheus(ingest, endpoint, request)
    case 'otlp':
      return otlp(ingest, endpoint, request)
  }
}

/** A request the HTTP layer refused before a handler saw it (body too large, bad JSON, encoding). */
export function bodyErrorReply(
  ingest: TelemetryIngest,
  route: IngestRoute,
  error: { type?: string; status?: number; message?: string },
): IngestReply {
  return refuse(ingest, INGEST_ROUTES[route], bodyProblem(error), NO_META)
}

export function bodyProblem(error: { type?: string; status?: number; message?: string }): Problem {
  switch (error.type) {
    case 'entity.too.large':
      return problem(
        413,
        'too_large',
        `the body is larger than ${MAX_BODY_BYTES} bytes (after decompression)`,
      )
    case 'entity.parse.failed':
      return problem(400, 'malformed_json', `the body is not JSON: ${error.message ?? ''}`.trim())
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(415, 'unsupported_encoding', error.message ?? 'unsupported content encoding')
    default:
      return problem(400, 'bad_request', error.message ?? 'unreadable request')
  }
}

export function problemReply(p: Problem): IngestReply {
  const headers: Record<string, string> = {}
  if (p.retryAfterS !== undefined) headers['retry-after'] = String(p.retryAfterS)
  return { status: p.status, headers, body: { error: p.error, path: p.path, reason: p.reason, ...p.details } }
}

function refuse(ingest: TelemetryIngest, endpoint: string, p: Problem, meta: RejectionMeta): IngestReply {
  ingest.reject(endpoint, p, meta)
  return problemReply(p)
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/** A body read as text, parsed as the JSON body parser would (strict: an object or an array; empty is {}). */
function jsonBody(request: IngestRequest): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  if (typeof request.body === 'string') {
    const first = /\S/.exec(request.body)?.[0]
    if (first === undefined) return { ok: true, value: {} }
    if (first !== '{' && first !== '[') {
      return {
        ok: false,
        problem: problem(400, 'malformed_json', 'the body is not JSON: not an object or an array'),
      }
    }
    try {
      return { ok: true, value: JSON.parse(request.body) }
    } catch (error) {
      return {
        ok: false,
        problem: problem(400, 'malformed_json', `the body is not JSON: ${(error as Error).message}`),
      }
    }
  }
  return { ok: true, value: request.body }
}

function metaOf(body: unknown): RejectionMeta {
  if (typeof body !== 'object' || body === null) return NO_META
  const b = body as Record<string, unknown>
  const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 128) : '')
  return {
    network: text(b.network),
    nodeId: text(b.nodeId),
    samples: Array.isArray(b.samples) ? b.samples.length : 0,
  }
}

async function signedBatch(
  ingest: TelemetryIngest,
  endpoint: string,
  request: IngestRequest,
): Promise<IngestReply> {
  const checked = checkSigned(ingest, endpoint, request)
  if ('status' in checked) return checked
  const result = await ingest.acceptSigned(endpoint, checked.submission)
  if ('status' in result) return refuse(ingest, endpoint, result, checked.meta)
  return { status: 200, headers: {}, body: { accepted: result.samples, seq: checked.submission.claim.seq } }
}

/**
 * Parses, validates and verifies a signed batch, synchronously: the parsed batch is garbage once
 * this returns, and only its submission's strings wait for the WAL.
 */
function checkSigned(
  ingest: TelemetryIngest,
  endpoint: string,
  request: IngestRequest,
): IngestReply | { submission: SignedSubmission; meta: RejectionMeta } {
  if (mediaType(request.contentType) !== 'application/json') {
    const p = problem(415, 'unsupported_media_type', 'send the batch as Content-Type: application/json')
    return refuse(ingest, endpoint, p, NO_META)
  }
  const json = jsonBody(request)
  if (!json.ok) return refuse(ingest, endpoint, json.problem, NO_META)
  const meta = metaOf(json.value)
  const parsed = parseBatch(json.value, ingest.validationContext())
  if (!parsed.ok) return refuse(ingest, endpoint, parsed.problem, meta)
  const { batch } = parsed.value
  const canonical = canonicalJsonOfValid(batch)
  const bytes = Buffer.from(SIGNING_DOMAIN + canonical, 'utf8')
  if (!verifySignature(batch.keyType, batch.publicKey, bytes, batch.signature)) {
    const p = problem(
      401,
      'bad_signature',
      `the signature does not verify: not ${batch.publicKey}'s ${batch.keyType} signature of this batch's canonical bytes`,
      'signature',
    )
    return refuse(ingest, endpoint, p, meta)
  }
  return { submission: signedSubmission(parsed.value, canonical, batchDigest(bytes)), meta }
}

function authenticate(ingest: TelemetryIngest, request: IngestRequest): NodeIdentity | Problem {
  const node = ingest.identify(request.authorization)
  if (node) return node
  return problem(
    401,
    'unauthorized',
    'missing or unknown ingest token: send Authorization: Bearer <token> (PLUMB_INGEST_TOKENS)',
  )
}

function intervalOf(request: IngestRequest): number | Problem {
  const raw = request.query.get('interval')
  if (raw === null) return DEFAULT_REPORTED_INTERVAL_S
  const value = Number(raw)
  if (Number.isInteger(value) && value >= 1 && value <= MAX_INTERVAL_S) return value
  return problem(
    400,
    'out_of_range',
    `interval must be whole seconds from 1 to ${MAX_INTERVAL_S}, got '${raw.slice(0, 20)}'`,
    'interval',
  )
}

function parseProblem(error: unknown): Problem {
  if (error instanceof TelemetryParseError) {
    return problem(400, 'parse_error', error.message, error.line === null ? '' : `line ${error.line}`)
  }
  throw error
}

async function acceptReadings(
  ingest: TelemetryIngest,
  endpoint: string,
  node: NodeIdentity,
  readings: GpuReading[],
  intervalS: number,
  text: string,
): Promise<IngestReply> {
  const meta = { ...node, samples: readings.length }
  const invalid = checkReadings(readings, ingest.validationContext())
  if (invalid) return refuse(ingest, endpoint, invalid, meta)
  const result = await ingest.acceptReported(endpoint, node, readings, intervalS, sha256(text))
  if ('status' in result) return refuse(ingest, endpoint, result, meta)
  return { status: 200, headers: {}, body: { accepted: result.samples } }
}

const PROMETHEUS_TYPES = new Set(['text/plain', 'application/openmetrics-text'])

async function prometheus(
  ingest: TelemetryIngest,
  endpoint: string,
  request: IngestRequest,
): Promise<IngestReply> {
  const node = authenticate(ingest, request)
  if ('status' in node) return refuse(ingest, endpoint, node, NO_META)
  const meta = { ...node, samples: 0 }
  if (typeof request.body !== 'string' || !PROMETHEUS_TYPES.has(mediaType(request.contentType))) {
    const p = problem(
      415,
      'unsupported_media_type',
      'send the exposition as Content-Type: text/plain; version=0.0.4',
    )
    return refuse(ingest, endpoint, p, meta)
  }
  const interval = intervalOf(request)
  if (typeof interval !== 'number') return refuse(ingest, endpoint, interval, meta)
  let readings: GpuReading[]
  try {
    readings = parsePrometheusText(request.body)
  } catch (error) {
    return refuse(ingest, endpoint, parseProblem(error), meta)
  }
  if (readings.length === 0) {
    const p = problem(
      400,
      'no_gpu_readings',
      'no GPU metric with a GPU UUID label (dcgm-exporter or nvidia_gpu_exporter names)',
    )
    return refuse(ingest, endpoint, p, meta)
  }
  return acceptReadings(ingest, endpoint, node, readings, interval, request.body)
}

async function otlp(ingest: TelemetryIngest, endpoint: string, request: IngestRequest): Promise<IngestReply> {
  const node = authenticate(ingest, request)
  if ('status' in node) return refuse(ingest, endpoint, node, NO_META)
  const meta = { ...node, samples: 0 }
  const type = mediaType(request.contentType)
  if (type === 'application/x-protobuf') {
    const p = problem(
      415,
      'protobuf_unsupported',
      'OTLP/HTTP protobuf is not accepted (Plumb bundles no protobuf decoder); set `encoding: json` on the otlphttp exporter',
    )
    return refuse(ingest, endpoint, p, meta)
  }
  if (type !== 'application/json') {
    const p = problem(415, 'unsupported_media_type', 'send OTLP/HTTP JSON (Content-Type: application/json)')
    return refuse(ingest, endpoint, p, meta)
  }
  const interval = intervalOf(request)
  if (typeof interval !== 'number') return refuse(ingest, endpoint, interval, meta)
  const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null)
  let readings: GpuReading[]
  try {
    readings = parseOtlpJson(text)
  } catch (error) {
    return refuse(ingest, endpoint, parseProblem(error), meta)
  }
  // A collector pipeline carries other metrics too: a request without GPU metrics is not an error.
  if (readings.length === 0) return { status: 200, headers: {}, body: {} }
  const reply = await acceptReadings(ingest, endpoint, node, readings, interval, text)
  // OTLP/HTTP's success body is an ExportMetricsServiceResponse: {} when everything was accepted.
  return reply.status === 200 ? { ...reply, body: {} } : reply
}

/** The ingest route a request path names, if any (query string ignored). */
export function ingestRouteOf(url: string | undefined): IngestRoute | null {
  const path = (url ?? '').split('?')[0]
  for (const [route, routePath] of Object.entries(INGEST_ROUTES)) {
    if (path === routePath) return route as IngestRoute
  }
  return null
}

export function queryOf(url: string | undefined): URLSearchParams {
  const i = (url ?? '').indexOf('?')
  return new URLSearchParams(i < 0 ? '' : (url ?? '').slice(i + 1))
}

/** Writes a reply on a node:http response (NestJS hands the same object to its controllers). */
export function sendReply(res: ServerResponse, reply: IngestReply): void {
  const body = JSON.stringify(reply.body)
  res.statusCode = reply.status
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value)
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(body))
  res.end(body)
}
