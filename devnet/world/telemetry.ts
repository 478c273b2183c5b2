import type { TelemetrySampleRow } from '../../ingest/store/rows.js'
import { DAY_S } from './config.js'
import { worldGpu } from './gpus.js'
import type { World, WorldJob, WorldNode } from './model.js'
import { isUp } from './population.js'
import { Random } from './random.js'

export interface Sample {
  node: WorldNode
  gpuIndex: number
  time: Date
  job: WorldJob | null
  row: TelemetrySampleRow
}

function timeText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}

/** The sampling moments of one day, shared by every node (their Dates are never modified). */
function dayMoments(start: number, day: number, interval: number): { time: Date; text: string }[] {
  const moments: { time: Date; text: string }[] = []
  for (let t = day * DAY_S; t < (day + 1) * DAY_S; t += interval) {
    const time = new Date(start + t * 1000)
    moments.push({ time, text: timeText(time) })
  }
  return moments
}

/** Running jobs per node, sorted by start, for "which job holds GPU i at time t". */
function jobIndex(jobs: readonly WorldJob[]): Map<string, WorldJob[]> {
  const byNode = new Map<string, WorldJob[]>()
  for (const job of jobs) {
    if (!job.started) continue
    const list = byNode.get(job.node) ?? []
    list.push(job)
    byNode.set(job.node, list)
  }
  for (const list of byNode.values())
    list.sort((a, b) => (a.started?.getTime() ?? 0) - (b.started?.getTime() ?? 0))
  return byNode
}

/** A node runs one job at a time (the world schedules them so): binary search by start time. */
function runningJob(list: readonly WorldJob[] | undefined, time: Date, gpuIndex: number): WorldJob | null {
  if (!list) return null
  const t = time.getTime()
  let lo = 0
  let hi = list.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((list[mid]?.started?.getTime() ?? Infinity) <= t) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  const job = list[found]
  return job && t < job.ended.getTime() && gpuIndex < job.gpuCount ? job : null
}

/**
 * Every telemetry sample the node agents send, in time order per day: one per GPU per interval
 * while the node is up. Deterministic in the world's seed; generated lazily, a day at a time.
 */
export function* telemetrySamples(world: World, fromDay = 0, toDay = world.config.days): Generator<Sample[]> {
  const interval = world.config.telemetryIntervalS
  const byNode = jobIndex(world.jobs)
  const start = world.config.start.getTime()
  for (let day = fromDay; day < toDay; day++) {
    const random = new Random(world.config.seed * 1_000 + day)
    const batch: Sample[] = []
    const moments = dayMoments(start, day, interval)
    for (const node of world.nodes) {
      const gpu = worldGpu(node.actualModel)
      for (const { time, text } of moments) {
        if (!isUp(node, time)) continue
        for (let g = 0; g < node.gpuCount; g++) {
          const job = runningJob(byNode.get(node.id), time, g)
          const busy = job !== null && !job.idleRental
          const util = busy ? Math.round(random.between(55, 100)) : Math.round(random.between(0, 3))
          batch.push({
            node,
            gpuIndex: g,
            time,
            job,
            row: {
              network: node.network,
              node_id: node.id,
              gpu_uuid: `GPU-${node.id}-${g}`,
              time: text,
              interval_s: interval,
              gpu_model: node.actualModel,
              gpu_name: gpu.smiName,
              vram_mib: gpu.vramMiB,
              utilization_pct: util,
              memory_used_mib: busy ? Math.round(gpu.vramMiB * random.between(0.3, 0.9)) : 0,
              power_w: Math.round((busy ? random.between(250, 650) : random.between(20, 60)) * 100) / 100,
              temperature_c: Math.round(busy ? random.between(60, 82) : random.between(30, 45)),
              job_id: job?.id ?? '',
              provenance: node.signs ? 'signed' : 'reported',
              batch_id: `world:${node.id}:${day}`,
            },
          })
        }
      }
    }
    yield batch
  }
}
