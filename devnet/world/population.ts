import { DAY_S, HOUR_S, type WorldConfig } from './config.js'
import { WORLD_GPUS } from './gpus.js'
import type { WorldCustomer, WorldNode } from './model.js'
import type { WorldNetworkSpec } from './networks.js'
import type { Random } from './random.js'

const at = (config: WorldConfig, seconds: number): Date => new Date(config.start.getTime() + seconds * 1000)

/** A better card a node may claim instead of the one it runs. */
function inflated(model: string, random: Random): string {
  const better = WORLD_GPUS.filter(
    (g) => g.usdPerHour > (WORLD_GPUS.find((x) => x.model === model)?.usdPerHour ?? 0),
  )
  return better.length > 0 ? random.pick(better).model : model
}

export function makeNodes(config: WorldConfig, spec: WorldNetworkSpec, random: Random): WorldNode[] {
  const count = Math.max(2, Math.round(spec.nodes * config.scale))
  const nodes: WorldNode[] = []
  for (let i = 0; i < count; i++) {
    const actualModel = random.weighted(spec.gpuMix)
    const liar = random.chance(spec.liarRate)
    // Most of the fleet exists at the start; the rest joins during the first two thirds.
    const listedAfterS = random.chance(0.7) ? 0 : Math.floor(random.between(0, (config.days * DAY_S * 2) / 3))
    const outages: [Date, Date][] = []
    for (let day = 0; day < config.days; day++) {
      if (!random.chance(0.06)) continue
      const from = day * DAY_S + Math.floor(random.between(0, DAY_S))
      outages.push([at(config, from), at(config, from + Math.floor(random.between(1, 8)) * HOUR_S)])
    }
    nodes.push({
      network: spec.id,
      id: `${spec.id}-node-${String(i + 1).padStart(3, '0')}`,
      operator: `${spec.id}-operator-${String(i + 1).padStart(3, '0')}`,
      listedModel: liar ? inflated(actualModel, random) : actualModel,
      actualModel,
      gpuCount: random.weighted([
        [1, 4],
        [2, 3],
        [4, 2],
        [8, 1],
      ]),
      listedAt: at(config, listedAfterS),
      ghost: random.chance(spec.ghostRate),
      signs: random.chance(spec.signedRate),
      failRate: random.chance(0.2) ? random.between(0.15, 0.35) : random.between(0.01, 0.06),
      outages,
    })
  }
  return nodes
}

export function makeCustomers(config: WorldConfig, spec: WorldNetworkSpec, random: Random): WorldCustomer[] {
  const customers: WorldCustomer[] = []
  const initial = Math.round(4 * config.scale * (spec.newCustomersPerDay > 0 ? 1 : 0))
  for (let day = 0; day < config.days; day++) {
    const arrivals = (day === 0 ? initial : 0) + random.poisson(spec.newCustomersPerDay * config.scale)
    for (let k = 0; k < arrivals; k++) {
      const arrivalS = day * DAY_S + Math.floor(random.between(0, DAY_S))
      // Exponential lifetime: churn hazard per day.
      const lifetimeDays =
        spec.churnPerDay > 0 ? -Math.log(1 - random.uniform()) / spec.churnPerDay : Infinity
      const churnS = arrivalS + lifetimeDays * DAY_S
      customers.push({
        network: spec.id,
        id: `${spec.id}-customer-${String(customers.length + 1).padStart(4, '0')}`,
        arrival: at(config, arrivalS),
        churnAt: churnS < config.days * DAY_S ? at(config, Math.floor(churnS)) : null,
      })
    }
  }
  return customers
}

export function isUp(node: WorldNode, time: Date): boolean {
  if (node.ghost || time < node.listedAt) return false
  return !node.outages.some(([from, to]) => time >= from && time < to)
}
