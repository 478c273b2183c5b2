import { HOUR_S, type WorldConfig } from './config.js'
import type { PricePoint } from './model.js'
import type { WorldToken } from './networks.js'
import type { Random } from './random.js'

/** Hourly USD prices: a seeded geometric random walk per token (stablecoins stay at 1). */
export class PricePath {
  private readonly hourly = new Map<string, Float64Array>()

  constructor(
    private readonly config: WorldConfig,
    tokens: readonly WorldToken[],
    random: Random,
  ) {
    const hours = config.days * 24 + 1
    for (const token of tokens) {
      const path = new Float64Array(hours)
      let price = token.startUsd
      const rng = random.fork(token.symbol)
      for (let h = 0; h < hours; h++) {
        path[h] = token.stable ? 1 : Math.round(price * 1e6) / 1e6
        price *= Math.exp(0.012 * rng.normal() - 0.000_072)
      }
      this.hourly.set(token.symbol, path)
    }
  }

  /** The price in force at `time`: the last hourly point at or before it. */
  at(token: string, time: Date): number {
    const path = this.hourly.get(token)
    if (!path) throw new Error(`no price path for ${token}`)
    const hour = Math.floor((time.getTime() - this.config.start.getTime()) / 1000 / HOUR_S)
    const price = path[Math.min(Math.max(hour, 0), path.length - 1)]
    if (price === undefined) throw new Error(`no price for ${token} at ${time.toISOString()}`)
    return price
  }

  points(): PricePoint[] {
    const points: PricePoint[] = []
    const start = this.config.start.getTime()
    for (const [token, path] of this.hourly) {
      path.forEach((usd, h) => points.push({ token, time: new Date(start + h * HOUR_S * 1000), usd }))
    }
    return points
  }
}

/** Token units → raw integer units, rounding to the token's precision. */
export function toRaw(units: number, decimals: number): bigint {
  const scaled = units * 10 ** Math.min(decimals, 12)
  return BigInt(Math.round(scaled)) * 10n ** BigInt(Math.max(decimals - 12, 0))
}
