/**
 * Prometheus text exposition (format 0.0.4, and the OpenMetrics subset exporters emit) as written by
 * dcgm-exporter and nvidia_gpu_exporter. HELP/TYPE lines are optional. Series are grouped into one
 * reading per GPU UUID (per MIG instance where dcgm labels one). Series without a GPU UUID, and
 * metrics that are not GPU readings, are skipped. A last line without its line feed that does not
 * parse is taken as a scrape cut off mid-way and dropped; a bad line anywhere else is an error.
 */
import { type GpuReading, TelemetryParseError } from '../gpu-sample.js'
import { GPU_INFO_METRICS, GPU_METRICS, gpuKey, pick, ReadingSet, UUID_KEYS } from './gpu-metrics.js'

const FORMAT = 'prometheus'

export interface PromSample {
  name: string
  labels: Record<string, string>
  value: number
  /** Milliseconds since the epoch, when the line carries a timestamp. */
  timestampMs: number | null
}

export function parsePrometheusText(text: string): GpuReading[] {
  return samplesToReadings(parseExposition(text), FORMAT)
}

/** Groups samples of GPU metrics by GPU; `byTime` also splits one GPU's samples by timestamp. */
export function samplesToReadings(
  samples: readonly PromSample[],
  format: 'prometheus' | 'prometheus-api-json',
  options: { byTime?: boolean } = {},
): GpuReading[] {
  const set = new ReadingSet()
  for (const sample of samples) {
    const rule = GPU_METRICS.get(sample.name)
    if (!rule && !GPU_INFO_METRICS.has(sample.name)) continue
    const uuid = pick(sample.labels, UUID_KEYS)
    if (uuid === null) {
      throw new TelemetryParseError(format, `series ${sample.name} has no GPU UUID label (UUID or uuid)`)
    }
    const timeKey = options.byTime ? `@${sample.timestampMs ?? ''}` : ''
    const builder = set.get(gpuKey(uuid, sample.labels) + timeKey, uuid)
    builder.observeAttributes(sample.labels)
    builder.observeTime(sample.timestampMs)
    if (rule) builder.set(rule, sample.value)
  }
  return set.build()
}

/** Every sample line of an exposition, in order. */
export function parseExposition(text: string): PromSample[] {
  const lines = text.split('\n')
  const unterminated = !text.endsWith('\n')
  const samples: PromSample[] = []
  lines.forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, '')
    if (line.trim() === '' || line.trimStart().startsWith('#')) return
    try {
      samples.push(parseSampleLine(line))
    } catch (error) {
      const isLast = i === lines.length - 1
      if (isLast && unterminated && samples.length > 0) return
      const reason = error instanceof LineError ? error.message : String(error)
      throw new TelemetryParseError(FORMAT, `${reason}: '${clip(line)}'`, { line: i + 1, cause: error })
    }
  })
  return samples
}

class LineError extends Error {}

function clip(line: string): string {
  return line.length > 120 ? `${line.slice(0, 117)}...` : line
}

const NAME_START = /[a-zA-Z_:]/
const NAME_CHAR = /[a-zA-Z0-9_:]/
const LABEL_START = /[a-zA-Z_]/
const LABEL_CHAR = /[a-zA-Z0-9_]/

function parseSampleLine(line: string): PromSample {
  let pos = 0
  const skipSpaces = (): void => {
    while (line[pos] === ' ' || line[pos] === '\t') pos++
  }
  const readWhile = (first: RegExp, rest: RegExp, what: string): string => {
    const start = pos
    if (!first.test(line[pos] ?? '')) throw new LineError(`expected a ${what}`)
    pos++
    while (rest.test(line[pos] ?? '')) pos++
    return line.slice(start, pos)
  }

  skipSpaces()
  const name = readWhile(NAME_START, NAME_CHAR, 'metric name')
  const labels: Record<string, string> = {}
  skipSpaces()
  if (line[pos] === '{') {
    pos++
    for (;;) {
      skipSpaces()
      if (line[pos] === '}') break
      const label = readWhile(LABEL_START, LABEL_CHAR, 'label name')
      skipSpaces()
      if (line[pos] !== '=') throw new LineError(`expected '=' after label ${label}`)
      pos++
      skipSpaces()
      if (line[pos] !== '"') throw new LineError(`expected '"' to open the value of label ${label}`)
      pos++
      let value = ''
      for (;;) {
        const c = line[pos]
        if (c === undefined) throw new LineError(`unterminated value of label ${label}`)
        pos++
        if (c === '"') break
        if (c === '\\') {
          const next = line[pos]
          pos++
          if (next === 'n') value += '\n'
          else if (next === '\\' || next === '"') value += next
          else throw new LineError(`invalid escape '\\${next ?? ''}' in label ${label}`)
        } else {
          value += c
        }
      }
      labels[label] = value
      skipSpaces()
      if (line[pos] === ',') pos++
      else if (line[pos] !== '}') throw new LineError(`expected ',' or '}' after label ${label}`)
    }
    pos++
  }
  const rest = line.slice(pos).trim()
  // OpenMetrics exemplars follow ' # '; they are not part of the sample.
  const fields = rest.split(/\s+#\s/)[0]?.split(/\s+/) ?? []
  const [valueText, timestampText, extra] = fields
  if (valueText === undefined || valueText === '') throw new LineError('missing sample value')
  if (extra !== undefined) throw new LineError('unexpected text after the timestamp')
  return { name, labels, value: parseValue(valueText), timestampMs: parseTimestamp(timestampText) }
}

function parseValue(text: string): number {
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) return Number(text)
  if (/^nan$/i.test(text)) return Number.NaN
  if (/^\+?inf$/i.test(text)) return Number.POSITIVE_INFINITY
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY
  throw new LineError(`'${text}' is not a sample value`)
}

/** Prometheus text carries integer milliseconds; OpenMetrics carries (fractional) seconds. */
function parseTimestamp(text: string | undefined): number | null {
  if (text === undefined) return null
  if (/^-?\d+$/.test(text)) return Number(text)
  if (/^-?\d+\.\d+$/.test(text)) return Math.round(Number(text) * 1000)
  throw new LineError(`'${text}' is not a timestamp`)
}
