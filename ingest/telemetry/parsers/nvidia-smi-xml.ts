/**
 * `nvidia-smi -q -x` (DTD v11, v12, v13). One reading per physical `<gpu>`; the MIG devices of a GPU
 * are counted in its labels. nvidia-smi reports no GPU utilisation in MIG mode, so it stays null.
 * `attached_gpus` may exceed the `<gpu>` elements present (`-i N` selects one), which is not an error.
 * The XML has no enumeration index (`minor_number` is the /dev/nvidiaN number, not the index), so
 * gpuIndex is null and the minor number goes into the labels.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'

import { type GpuReading, TelemetryParseError } from '../gpu-sample.js'
import {
  isNotReported,
  normalizeGpuUuid,
  parseAsctime,
  parseQuantity,
  pciIdFromCombined,
  type TimeOptions,
} from './values.js'

const FORMAT = 'nvidia-smi-xml'

type Node = Record<string, unknown>

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The element at a path of child names, or undefined. */
function at(node: unknown, ...path: string[]): unknown {
  let current = node
  for (const key of path) {
    if (!isNode(current)) return undefined
    current = current[key]
  }
  return current
}

/** Text content of a leaf element; null for absent or "no value" elements. */
function textAt(node: unknown, ...path: string[]): string | null {
  const value = at(node, ...path)
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : null
  return text === null || isNotReported(text) ? null : text.trim()
}

export function parseNvidiaSmiXml(text: string, options: TimeOptions = {}): GpuReading[] {
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    throw new TelemetryParseError(FORMAT, `not well-formed XML: ${valid.err.msg}`, { line: valid.err.line })
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (tagName) => tagName === 'gpu' || tagName === 'mig_device',
  })
  const doc: unknown = parser.parse(text)
  const log = at(doc, 'nvidia_smi_log')
  if (!isNode(log)) {
    throw new TelemetryParseError(FORMAT, "no <nvidia_smi_log> root: this is not 'nvidia-smi -q -x' output")
  }
  const timestamp = textAt(log, 'timestamp')
  const time = timestamp === null ? null : parseAsctime(timestamp, options)
  if (timestamp !== null && time === null) {
    throw new TelemetryParseError(FORMAT, `<timestamp> '${timestamp}' is not like 'Fri Aug  4 11:44:30 2023'`)
  }
  const driverVersion = textAt(log, 'driver_version')
  const gpus = at(log, 'gpu')
  if (gpus === undefined) return []
  if (!Array.isArray(gpus)) throw new TelemetryParseError(FORMAT, '<gpu> elements are malformed')
  return gpus.map((gpu: unknown, i) => readGpu(gpu, i, time, driverVersion))
}

function readGpu(
  gpu: unknown,
  position: number,
  time: Date | null,
  driverVersion: string | null,
): GpuReading {
  const quantity = (unit: string, ...path: string[]): number | null => {
    const raw = textAt(gpu, ...path)
    if (raw === null) return null
    const value = parseQuantity(raw, unit)
    if (value === undefined) {
      throw new TelemetryParseError(
        FORMAT,
        `<${path.join('/')}> of GPU #${position + 1} is '${raw}', not ${unit}`,
      )
    }
    return value
  }

  const uuid = textAt(gpu, 'uuid')
  if (uuid === null) throw new TelemetryParseError(FORMAT, `<gpu> #${position + 1} has no <uuid>`)
  const pciRaw = textAt(gpu, 'pci', 'pci_device_id')

  const labels: Record<string, string> = {}
  const busId = textAt(gpu, 'pci', 'pci_bus_id') ?? textAt(gpu, '@_id')
  if (busId !== null) labels.pci_bus_id = busId
  if (driverVersion !== null) labels.driver_version = driverVersion
  const minor = textAt(gpu, 'minor_number')
  if (minor !== null) labels.minor_number = minor
  const migMode = textAt(gpu, 'mig_mode', 'current_mig')
  if (migMode !== null) labels.mig_mode = migMode
  const migDevices = at(gpu, 'mig_devices', 'mig_device')
  if (Array.isArray(migDevices)) labels.mig_devices = String(migDevices.length)
  const virtualization = textAt(gpu, 'gpu_virtualization_mode', 'virtualization_mode')
  if (virtualization !== null) labels.virtualization_mode = virtualization

  return {
    gpuUuid: normalizeGpuUuid(uuid),
    gpuIndex: null,
    name: textAt(gpu, 'product_name') ?? '',
    pciDeviceId: pciRaw === null ? null : pciIdFromCombined(pciRaw),
    time,
    utilizationPct: quantity('%', 'utilization', 'gpu_util'),
    memoryUsedMiB: quantity('MiB', 'fb_memory_usage', 'used'),
    memoryTotalMiB: quantity('MiB', 'fb_memory_usage', 'total'),
    powerW: readPower(quantity),
    temperatureC: quantity('C', 'temperature', 'gpu_temp'),
    hostname: null,
    labels,
  }
}

/** v11: power_readings/power_draw; v12: gpu_power_readings/power_draw; v13: .../average_power_draw. */
function readPower(quantity: (unit: string, ...path: string[]) => number | null): number | null {
  return (
    quantity('W', 'gpu_power_readings', 'power_draw') ??
    quantity('W', 'gpu_power_readings', 'average_power_draw') ??
    quantity('W', 'power_readings', 'power_draw') ??
    quantity('W', 'power_readings', 'average_power_draw') ??
    quantity('W', 'gpu_power_readings', 'instant_power_draw') ??
    quantity('W', 'power_readings', 'instant_power_draw')
  )
}
