import { DAY_S, HOUR_S, type WorldConfig } from './config.js'
import { worldGpu } from './gpus.js'
import type { WorldCustomer, WorldJob, WorldJobStatus, WorldNode } from './model.js'
import type { WorldNetworkSpec } from './networks.js'
import { isUp } from './population.js'
import type { Random } from './random.js'

interface Submission {
  customer: WorldCustomer
  time: Date
}

function submissions(
  config: WorldConfig,
  spec: WorldNetworkSpec,
  customers: WorldCustomer[],
  random: Random,
) {
  const list: Submission[] = []
  const start = config.start.getTime()
  for (const customer of customers) {
    for (let day = 0; day < config.days; day++) {
      const dayStart = start + day * DAY_S * 1000
      const from = Math.max(dayStart, customer.arrival.getTime())
      const to = Math.min(dayStart + DAY_S * 1000, customer.churnAt?.getTime() ?? Infinity)
      if (to <= from) continue
      const count = random.poisson((spec.jobsPerCustomerDay * (to - from)) / (DAY_S * 1000))
      for (let k = 0; k < count; k++)
        list.push({ customer, time: new Date(Math.floor(random.between(from, to) / 1000) * 1000) })
    }
  }
  return list.sort(
    (a, b) => a.time.getTime() - b.time.getTime() || a.customer.id.localeCompare(b.customer.id),
  )
}

const addS = (date: Date, seconds: number): Date => new Date(date.getTime() + Math.round(seconds) * 1000)

/**
 * Customers submit jobs; each goes to an up node listing the wanted model, waits for it to be free,
 * runs, and ends with a status drawn from the node's failure rate. Jobs that would end after the
 * world's last day are never submitted, so every job in the world is settled.
 */
export function makeJobs(
  config: WorldConfig,
  spec: WorldNetworkSpec,
  nodes: WorldNode[],
  customers: WorldCustomer[],
  random: Random,
): WorldJob[] {
  const end = new Date(config.start.getTime() + config.days * DAY_S * 1000)
  const busyUntil = new Map<string, Date>()
  const jobs: WorldJob[] = []
  const canCancel = spec.id !== 'ionet' && spec.id !== 'render'
  for (const { customer, time } of submissions(config, spec, customers, random)) {
    const wanted = random.weighted(spec.gpuMix)
    const up = nodes.filter((n) => isUp(n, time))
    const candidates = up.filter((n) => n.listedModel === wanted)
    const pool = candidates.length > 0 ? candidates : up
    if (pool.length === 0) continue
    const node = random.pick(pool)
    const gpuCount = random.int(1, node.gpuCount)
    const bookedS = Math.round(random.between(0.5, 8) * HOUR_S)
    const priceUsd =
      Math.round(
        worldGpu(node.listedModel).usdPerHour *
          random.between(0.85, 1.2) *
          gpuCount *
          (bookedS / HOUR_S) *
          100,
      ) / 100
    const idleRental = random.chance(0.08)
    const id = `${spec.id}-job-${String(jobs.length + 1).padStart(6, '0')}`
    const base = {
      network: spec.id,
      id,
      customer: customer.id,
      node: node.id,
      gpuModel: node.listedModel,
      gpuCount,
    }
    if (canCancel && random.chance(0.04)) {
      const ended = addS(time, random.between(60, 1800))
      if (ended < end)
        jobs.push({
          ...base,
          submitted: time,
          started: null,
          ended,
          status: 'cancelled',
          priceUsd,
          idleRental,
        })
      continue
    }
    const free = busyUntil.get(node.id)
    const queued = addS(time, random.between(20, 600))
    const started = free && free > queued ? addS(free, 60) : queued
    const draw = random.uniform()
    const status: WorldJobStatus =
      draw < node.failRate ? 'failed' : draw < node.failRate + 0.02 ? 'timed_out' : 'succeeded'
    const runS = status === 'failed' ? bookedS * random.between(0.05, 0.7) : bookedS
    const ended = addS(started, runS)
    if (ended >= end || !isUp(node, started)) continue
    busyUntil.set(node.id, ended)
    jobs.push({ ...base, submitted: time, started, ended, status, priceUsd, idleRental })
  }
  return jobs
}
