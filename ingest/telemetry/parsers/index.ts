/** One entry point per accepted telemetry format, for the ingest endpoints. */
import type { GpuReading, TelemetryFormat } from '../gpu-sample.js'
import { parseNvidiaSmiCsv } from './nvidia-smi-csv.js'
import { parseNvidiaSmiXml } from './nvidia-smi-xml.js'
import { parseOtlpJson } from './otlp-json.js'
import { parsePrometheusApiJson } from './prometheus-api-json.js'
import { parsePrometheusText } from './prometheus.js'

export { parseNvidiaSmiCsv, parseNvidiaSmiXml, parseOtlpJson, parsePrometheusApiJson, parsePrometheusText }

export const TELEMETRY_PARSERS: Readonly<Record<TelemetryFormat, (text: string) => GpuReading[]>> = {
  'nvidia-smi-csv': (text) => parseNvidiaSmiCsv(text),
  'nvidia-smi-xml': (text) => parseNvidiaSmiXml(text),
  prometheus: parsePrometheusText,
  'prometheus-api-json': parsePrometheusApiJson,
  'otlp-json': parseOtlpJson,
}

/** Throws TelemetryParseError when the text is not usable as `format`. */
export function parseTelemetry(format: TelemetryFormat, text: string): GpuReading[] {
  return TELEMETRY_PARSERS[format](text)
}
