/**
 * A Prometheus HTTP API answer (`/api/v1/query` vector or `/api/v1/query_range` matrix) over GPU
 * metrics, e.g. `DCGM_FI_DEV_POWER_USAGE`. Each series needs its `__name__` to be mapped, so a query
 * that aggregates the name away (`avg(...)`) cannot be used. A matrix gives one reading per GPU per
 * timestamp.
 */
import { type GpuReading, TelemetryParseError } from '../gpu-sample.js'
import { type PromSample, samplesToReadings } from './prometheus.js'

const FORMAT = 'prometheus-api-json'

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function parsePrometheusApiJson(text: string): GpuReading[] {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (cause) {
    throw new TelemetryParseError(FORMAT, 'not JSON', { cause })
  }
  if (!isObject(body)) throw new TelemetryParseError(FORMAT, 'the answer is not a JSON object')
  if (body.status !== 'success') {
    const detail = typeof body.error === 'string' ? `: ${body.error}` : ''
    throw new TelemetryParseError(
      FORMAT,
      `the query did not succeed (status ${String(body.status)})${detail}`,
    )
  }
  const data = body.data
  if (!isObject(data) || !Array.isArray(data.result)) {
    throw new TelemetryParseError(FORMAT, 'no data.result array')
  }
  const resultType = data.resultType
  if (resultType !== 'vector' && resultType !== 'matrix') {
    throw new TelemetryParseError(
      FORMAT,
      `resultType '${String(resultType)}' has no series; expected vector or matrix`,
    )
  }
  const samples: PromSample[] = []
  data.result.forEach((series: unknown, i) => {
    if (!isObject(series) || !isObject(series.metric)) {
      throw new TelemetryParseError(FORMAT, `result[${i}] has no metric labels`)
    }
    const labels = readLabels(series.metric, i)
    const name = labels.__name__
    if (name === undefined) {
      throw new TelemetryParseError(
        FORMAT,
        `result[${i}] has no __name__: aggregated queries cannot be mapped`,
      )
    }
    const points =
      resultType === 'vector' ? [series.value] : Array.isArray(series.values) ? series.values : []
    if (points.length === 0) throw new TelemetryParseError(FORMAT, `result[${i}] has no values`)
    for (const point of points) {
      const [timestampMs, value] = readPoint(point, i)
      samples.push({ name, labels, value, timestampMs })
    }
  })
  return samplesToReadings(samples, FORMAT, { byTime: resultType === 'matrix' })
}

function readLabels(metric: Json, i: number): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const [key, value] of Object.entries(metric)) {
    if (typeof value !== 'string')
      throw new TelemetryParseError(FORMAT, `result[${i}] label ${key} is not a string`)
    labels[key] = value
  }
  return labels
}

/** `[<unix seconds>, "<value>"]`; the value is a string so that NaN and ±Inf survive JSON. */
function readPoint(point: unknown, i: number): [number, number] {
  if (!Array.isArray(point) || point.length !== 2) {
    throw new TelemetryParseError(FORMAT, `result[${i}] value is not [time, "value"]`)
  }
  const [seconds, raw] = point as [unknown, unknown]
  if (typeof seconds !== 'number' || typeof raw !== 'string') {
    throw new TelemetryParseError(FORMAT, `result[${i}] value is not [time, "value"]`)
  }
  const value = /^[-+]?inf$/i.test(raw) ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw)
  if (raw.trim() === '' || (Number.isNaN(value) && !/^nan$/i.test(raw))) {
    throw new TelemetryParseError(FORMAT, `result[${i}] value '${raw}' is not a number`)
  }
  return [Math.round(seconds * 1000), value]
}
