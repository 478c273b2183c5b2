/**
 * `nvidia-smi --query-gpu=<fields> --format=csv[,nounits]`: a header row naming the fields (with the
 * unit in brackets, e.g. `memory.used [MiB]`), then one row per GPU per sample. Any field order and
 * any extra fields are accepted; `uuid` and `name` are required.
 */
import { parse } from 'csv-parse/sync'

import { type GpuReading, TelemetryParseError } from '../gpu-sample.js'
import {
  isNotReported,
  normalizeGpuUuid,
  parseNvidiaSmiTimestamp,
  parseQuantity,
  pciIdFromCombined,
  type TimeOptions,
} from './values.js'

const FORMAT = 'nvidia-smi-csv'

interface Column {
  index: number
  unit: string | null
}

type Columns = Map<string, Column>

/** Field aliases nvidia-smi accepts for the same query field. */
const ALIASES: Record<string, string> = {
  gpu_uuid: 'uuid',
  gpu_name: 'name',
  gpu_bus_id: 'pci.bus_id',
  'temperature.gpu.current': 'temperature.gpu',
}

export function parseNvidiaSmiCsv(text: string, options: TimeOptions = {}): GpuReading[] {
  rejectOtherNvidiaSmiOutputs(text)
  const rows = readRows(text)
  const header = rows[0]
  if (!header) throw new TelemetryParseError(FORMAT, 'empty input: no header row')
  const columns = readHeader(header)
  const readings: GpuReading[] = []
  rows.slice(1).forEach((row, i) => {
    const line = i + 2
    // Output of several runs concatenated repeats the header.
    if (row.join(',') === header.join(',')) return
    if (row.length !== header.length) {
      throw new TelemetryParseError(FORMAT, `row has ${row.length} fields, the header ${header.length}`, {
        line,
      })
    }
    readings.push(readRow(row, columns, line, options))
  })
  return readings
}

function rejectOtherNvidiaSmiOutputs(text: string): void {
  const head = text.trimStart().slice(0, 400)
  const ask = 'use nvidia-smi --query-gpu=... --format=csv'
  if (/NVSMI LOG/.test(head)) {
    throw new TelemetryParseError(FORMAT, `this is 'nvidia-smi -q' text output, not CSV; ${ask}`)
  }
  if (/^\+-{5,}/m.test(head) || /\|\s*NVIDIA-SMI/.test(head)) {
    throw new TelemetryParseError(FORMAT, `this is nvidia-smi's default table output, not CSV; ${ask}`)
  }
  if (/^#\s*gpu\s/.test(head)) {
    throw new TelemetryParseError(FORMAT, `this is 'nvidia-smi dmon' output, not CSV; ${ask}`)
  }
  if (head.startsWith('<')) {
    throw new TelemetryParseError(FORMAT, `this is XML ('nvidia-smi -q -x'), not CSV; ${ask}`)
  }
}

function readRows(text: string): string[][] {
  try {
    return parse(text, { delimiter: ',', trim: true, skip_empty_lines: true, relax_column_count: true })
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new TelemetryParseError(FORMAT, `not valid CSV: ${reason}`, { cause })
  }
}

function readHeader(header: string[]): Columns {
  const columns: Columns = new Map()
  header.forEach((cell, index) => {
    const m = /^(.*?)\s*(?:\[([^\]]*)\])?$/.exec(cell)
    const raw = (m?.[1] ?? cell).trim()
    const field = ALIASES[raw] ?? raw
    if (!columns.has(field)) columns.set(field, { index, unit: m?.[2] ?? null })
  })
  if (columns.has('pid') || columns.has('used_gpu_memory') || columns.has('used_memory')) {
    throw new TelemetryParseError(
      FORMAT,
      "this is '--query-compute-apps' output (one row per process), not '--query-gpu' (one row per GPU)",
    )
  }
  const missing = ['uuid', 'name'].filter((f) => !columns.has(f))
  if (missing.length > 0) {
    const looksLikeData = header.some((cell) => /^GPU-[0-9a-f-]{36}$/i.test(cell))
    const reason = looksLikeData
      ? "no header row (was it run with 'noheader'?): the order of the fields is unknown"
      : `header has no ${missing.map((f) => `'${f}'`).join(' or ')} field; query at least uuid,name`
    throw new TelemetryParseError(FORMAT, reason, { line: 1 })
  }
  for (const [field, unit] of [
    ['memory.used', 'MiB'],
    ['memory.total', 'MiB'],
    ['power.draw', 'W'],
    ['utilization.gpu', '%'],
  ] as const) {
    const column = columns.get(field)
    if (column?.unit != null && column.unit !== unit) {
      throw new TelemetryParseError(FORMAT, `'${field}' is in [${column.unit}], expected [${unit}]`, {
        line: 1,
      })
    }
  }
  return columns
}

function readRow(row: string[], columns: Columns, line: number, options: TimeOptions): GpuReading {
  const text = (field: string): string | null => {
    const column = columns.get(field)
    if (!column) return null
    const value = row[column.index] ?? ''
    return isNotReported(value) ? null : value
  }
  const quantity = (field: string, unit: string): number | null => {
    const column = columns.get(field)
    if (!column) return null
    const raw = row[column.index] ?? ''
    const value = parseQuantity(raw, unit)
    if (value === undefined) {
      throw new TelemetryParseError(FORMAT, `'${field}' is '${raw}', not a number of ${unit}`, { line })
    }
    return value
  }

  const uuid = text('uuid')
  if (uuid === null) throw new TelemetryParseError(FORMAT, 'a row has no GPU uuid', { line })
  const timestamp = text('timestamp')
  const time = timestamp === null ? null : parseNvidiaSmiTimestamp(timestamp, options)
  if (timestamp !== null && time === null) {
    throw new TelemetryParseError(FORMAT, `timestamp '${timestamp}' is not 'YYYY/MM/DD hh:mm:ss.mmm'`, {
      line,
    })
  }
  const pciRaw = text('pci.device_id')
  const labels: Record<string, string> = {}
  for (const [field, label] of [
    ['pci.bus_id', 'pci_bus_id'],
    ['driver_version', 'driver_version'],
    ['mig.mode.current', 'mig_mode'],
  ] as const) {
    const value = text(field)
    if (value !== null) labels[label] = value
  }

  return {
    gpuUuid: normalizeGpuUuid(uuid),
    gpuIndex: quantity('index', ''),
    name: text('name') ?? '',
    pciDeviceId: pciRaw === null ? null : pciIdFromCombined(pciRaw),
    time,
    utilizationPct: quantity('utilization.gpu', '%'),
    memoryUsedMiB: quantity('memory.used', 'MiB'),
    memoryTotalMiB: quantity('memory.total', 'MiB'),
    // power.draw is the 1 s average on recent drivers; older ones only have power.draw.
    powerW:
      quantity('power.draw', 'W') ??
      quantity('power.draw.average', 'W') ??
      quantity('power.draw.instant', 'W'),
    temperatureC: quantity('temperature.gpu', 'C'),
    hostname: text('hostname'),
    labels,
  }
}
