import type { PriceSource } from './price-source.js'

const HOUR_MS = 3_600_000

/**
 * Prices from an HTTP endpoint, for mainnet: `template` names the token and the time, e.g.
 * `https://prices.example/usd?token={token}&time={unix}`; the answer is JSON `{"usd": number}`.
 * Asked once per token and hour (the hour's start), cached. An error, a 404 or an answer without
 * a finite positive `usd` is a missing price: null, never zero.
 */
export class HttpPriceSource implements PriceSource {
  private readonly cache = new Map<string, Promise<number | null>>()

  constructor(
    private readonly template: string,
    private readonly options: { timeoutMs?: number; onError?: (message: string) => void } = {},
  ) {}

  usdAt(token: string, time: Date): Promise<number | null> {
    const hour = Math.floor(time.getTime() / HOUR_MS) * HOUR_MS
    const key = `${token}@${hour}`
    let price = this.cache.get(key)
    if (!price) {
      price = this.fetchPrice(token, hour)
      this.cache.set(key, price)
    }
    return price
  }

  private async fetchPrice(token: string, hour: number): Promise<number | null> {
    const url = this.template
      .replace('{token}', encodeURIComponent(token))
      .replace('{unix}', String(hour / 1000))
      .replace('{iso}', encodeURIComponent(new Date(hour).toISOString()))
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) })
      if (!res.ok) {
        if (res.status !== 404) this.options.onError?.(`price source: HTTP ${res.status} for ${token}`)
        return null
      }
      const body: unknown = await res.json()
      const usd = typeof body === 'object' && body !== null && 'usd' in body ? body.usd : null
      return typeof usd === 'number' && Number.isFinite(usd) && usd > 0 ? usd : null
    } catch (error) {
      this.options.onError?.(`price source: ${error instanceof Error ? error.message : String(error)}`)
      this.cache.delete(`${token}@${hour}`)
      return null
    }
  }
}
