/**
 * OTLP/HTTP JSON metrics (`ExportMetricsServiceRequest`): resourceMetrics[].scopeMetrics[].metrics[].
 * Gauge and sum data points of GPU metrics become readings, one per GPU per timestamp; every other
 * metric (histograms included) is read for structure and skipped.
 *
 * GPU metric names accepted: the dcgm-exporter / nvidia_gpu_exporter names as the collector's
 * prometheus receiver passes them on (DCGM_FI_DEV_GPU_UTIL, ...), and semantic-convention style
 * names: hw.gpu.utilization / gpu.utilization (unit '1' = ratio, '%' = percent), hw.gpu.memory.usage
 * and hw.gpu.memory.limit (unit By or MiBy), hw.power and hw.temperature where hw.type is 'gpu'.
 * The GPU is the one named by the UUID / gpu.uuid / hw.id attribute (data point, then resource).
 */
import { type GpuReading, TelemetryParseError } from '../gpu-sample.js'
import {
  GPU_METRICS,
  gpuKey,
  type MetricRule,
  type NumericField,
  pick,
  ReadingSet,
  UUID_KEYS,
} from './gpu-metrics.js'
import { bytesToMiB, ratioToPct } from './values.js'

const FORMAT = 'otlp-json'

type Json = Record<string, unknown>
type Attributes = Record<string, string>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(reason: string): never {
  throw new TelemetryParseError(FORMAT, reason)
}

function arrayAt(parent: Json, key: string, where: string): unknown[] {
  const value = parent[key]
  if (value === undefined) return []
  if (!Array.isArray(value)) fail(`${where}.${key} is not an array`)
  return value
}

export function parseOtlpJson(text: string): GpuReading[] {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (cause) {
    throw new TelemetryParseError(FORMAT, 'not JSON', { cause })
  }
  if (!isObject(body)) fail('the payload is not a JSON object')
  if (body.resourceMetrics === undefined && Object.keys(body).length > 0) {
    fail('no resourceMetrics: this is not an OTLP metrics payload')
  }
  const set = new ReadingSet()
  arrayAt(body, 'resourceMetrics', '').forEach((rm, r) => {
    const where = `resourceMetrics[${r}]`
    if (!isObject(rm)) fail(`${where} is not an object`)
    const resource = isObject(rm.resource) ? readAttributes(rm.resource, `${where}.resource`) : {}
    arrayAt(rm, 'scopeMetrics', where).forEach((sm, s) => {
      const scopeWhere = `${where}.scopeMetrics[${s}]`
      if (!isObject(sm)) fail(`${scopeWhere} is not an object`)
      arrayAt(sm, 'metrics', scopeWhere).forEach((metric, m) => {
        if (!isObject(metric)) fail(`${scopeWhere}.metrics[${m}] is not an object`)
        readMetric(metric, `${scopeWhere}.metrics[${m}]`, resource, set)
      })
    })
  })
  return set.build()
}

function readMetric(metric: Json, where: string, resource: Attributes, set: ReadingSet): void {
  const name = metric.name
  if (typeof name !== 'string' || name === '') fail(`${where} has no name`)
  const unit = typeof metric.unit === 'string' ? metric.unit : ''
  const data = isObject(metric.gauge) ? metric.gauge : isObject(metric.sum) ? metric.sum : null
  if (data === null) return
  arrayAt(data, 'dataPoints', `${where} (${name})`).forEach((point, p) => {
    const pointWhere = `${where} (${name}).dataPoints[${p}]`
    if (!isObject(point)) fail(`${pointWhere} is not an object`)
    const attributes = { ...resource, ...readAttributes(point, pointWhere) }
    const rule = ruleFor(name, unit, attributes, pointWhere)
    if (rule === null) return
    const uuid = pick(attributes, UUID_KEYS)
    if (uuid === null) fail(`${pointWhere} has no GPU id attribute (UUID, gpu.uuid or hw.id)`)
    const value = readValue(point, pointWhere)
    const timeMs = readTime(point.timeUnixNano, pointWhere)
    const builder = set.get(`${gpuKey(uuid, attributes)}@${timeMs ?? ''}`, uuid)
    builder.observeAttributes(attributes)
    builder.observeTime(timeMs)
    if (value === null) return
    if (rule.ratio && value > 1 + 1e-9)
      fail(`${pointWhere}: ${name} is ${value} with unit '${unit}', not a ratio`)
    builder.set(rule, value)
  })
}

interface OtlpRule extends MetricRule {
  ratio: boolean
}

function ruleFor(name: string, unit: string, attributes: Attributes, where: string): OtlpRule | null {
  const known = GPU_METRICS.get(name)
  if (known) return { ...known, ratio: name.endsWith('_ratio') }
  const make = (field: NumericField, convert: (v: number) => number, ratio = false): OtlpRule => ({
    field,
    rank: 0,
    convert,
    ratio,
  })
  switch (name) {
    case 'hw.gpu.utilization':
    case 'gpu.utilization':
      if (unit === '%') return make('utilizationPct', (v) => v)
      if (unit === '1' || unit === '') return make('utilizationPct', ratioToPct, true)
      return fail(`${where}: ${name} has unit '${unit}', expected '1' or '%'`)
    case 'hw.gpu.memory.usage':
    case 'hw.gpu.memory.limit': {
      const field = name.endsWith('usage') ? 'memoryUsedMiB' : 'memoryTotalMiB'
      if (unit === 'By' || unit === '') return make(field, bytesToMiB)
      if (unit === 'MiBy') return make(field, (v) => v)
      return fail(`${where}: ${name} has unit '${unit}', expected 'By' or 'MiBy'`)
    }
    case 'hw.power':
      return attributes['hw.type'] === 'gpu' && (unit === 'W' || unit === '')
        ? make('powerW', (v) => v)
        : null
    case 'hw.temperature':
      return attributes['hw.type'] === 'gpu' && (unit === 'Cel' || unit === '')
        ? make('temperatureC', (v) => v)
        : null
    default:
      return null
  }
}

function readAttributes(holder: Json, where: string): Attributes {
  const attributes: Attributes = {}
  for (const kv of arrayAt(holder, 'attributes', where)) {
    if (!isObject(kv) || typeof kv.key !== 'string') fail(`${where}.attributes holds a malformed key/value`)
    const value = anyValueToString(kv.value)
    if (value !== null) attributes[kv.key] = value
  }
  return attributes
}

/** Scalar AnyValues as text; arrays, maps and bytes are not identity attributes and are skipped. */
function anyValueToString(value: unknown): string | null {
  if (!isObject(value)) return null
  for (const key of ['stringValue', 'intValue', 'doubleValue', 'boolValue']) {
    const v = value[key]
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v)
  }
  return null
}

const NO_RECORDED_VALUE = 1

/** asInt is an int64, so JSON carries it as a string (or a number); asDouble may be 'NaN'/'Infinity'. */
function readValue(point: Json, where: string): number | null {
  if (typeof point.flags === 'number' && (point.flags & NO_RECORDED_VALUE) !== 0) return null
  const { asInt, asDouble } = point
  if (asDouble !== undefined) {
    if (typeof asDouble === 'number') return asDouble
    if (asDouble === 'NaN') return Number.NaN
    if (asDouble === 'Infinity' || asDouble === '-Infinity') return Number(asDouble)
    return fail(`${where}.asDouble is not a number`)
  }
  if (asInt !== undefined) {
    if (typeof asInt === 'number' && Number.isInteger(asInt)) return asInt
    if (typeof asInt === 'string' && /^-?\d+$/.test(asInt)) return Number(asInt)
    return fail(`${where}.asInt is not an integer`)
  }
  return null
}

function readTime(raw: unknown, where: string): number | null {
  if (raw === undefined) return null
  // 0 is proto3's "unset". Nanoseconds exceed 2^53, hence BigInt for the exact string form.
  if (typeof raw === 'string' && /^\d+$/.test(raw)) {
    const nanos = BigInt(raw)
    return nanos === 0n ? null : Number(nanos / 1_000_000n)
  }
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0)
    return raw === 0 ? null : Math.floor(raw / 1e6)
  return fail(`${where}.timeUnixNano is not an integer`)
}
