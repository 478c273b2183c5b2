import type { WorldConfig } from './config.js'
import { makeJobs } from './jobs.js'
import type { World } from './model.js'
import { WORLD_NETWORKS, WORLD_TOKENS } from './networks.js'
import { makeCustomers, makeNodes } from './population.js'
import { PricePath } from './prices.js'
import { Random } from './random.js'
import { settle } from './settlement.js'

/** The whole simulated market, decided up front from the seed: who, what, when, and which transactions. */
export function makeWorld(config: WorldConfig): { world: World; prices: PricePath } {
  const random = new Random(config.seed)
  const prices = new PricePath(config, WORLD_TOKENS, random.fork('prices'))
  const nodes = WORLD_NETWORKS.flatMap((spec) => makeNodes(config, spec, random.fork(`nodes:${spec.id}`)))
  const customers = WORLD_NETWORKS.flatMap((spec) =>
    makeCustomers(config, spec, random.fork(`customers:${spec.id}`)),
  )
  const jobs = WORLD_NETWORKS.flatMap((spec) =>
    makeJobs(
      config,
      spec,
      nodes.filter((n) => n.network === spec.id),
      customers.filter((c) => c.network === spec.id),
      random.fork(`jobs:${spec.id}`),
    ),
  )
  const partial = { config, nodes, customers, jobs }
  const actions = settle(partial, prices)
  return { world: { ...partial, tokens: WORLD_TOKENS, prices: prices.points(), actions }, prices }
}
