import type { ClickHouseClient } from '@clickhouse/client'

/** Token → USD at a time. A missing price is null, never zero. */
export interface PriceSource {
  usdAt(token: string, time: Date): Promise<number | null>
}

interface Series {
  times: number[]
  usd: number[]
  loadedAt: number
}

const RELOAD_AFTER_MS = 60_000

/**
 * Prices from the `prices` table (fed by the devnet world's feed or a mainnet price job): the last
 * point at or before the time. Each token's series is loaded once and reloaded when asked about
 * a time past its last point (prices arrive as time goes on).
 */
export class TablePriceSource implements PriceSource {
  private readonly series = new Map<string, Series>()

  constructor(private readonly client: ClickHouseClient) {}

  private async load(token: string): Promise<Series> {
    const result = await this.client.query({
      query: `SELECT toUnixTimestamp(time) * 1000 AS t, usd FROM prices FINAL
              WHERE token = {token:String} ORDER BY time`,
      query_params: { token },
      format: 'JSONEachRow',
    })
    const rows = await result.json<{ t: string; usd: number }>()
    const series = { times: rows.map((r) => Number(r.t)), usd: rows.map((r) => r.usd), loadedAt: Date.now() }
    this.series.set(token, series)
    return series
  }

  async usdAt(token: string, time: Date): Promise<number | null> {
    const t = time.getTime()
    let series = this.series.get(token)
    const stale = (s: Series) =>
      t > (s.times.at(-1) ?? -Infinity) && Date.now() - s.loadedAt > RELOAD_AFTER_MS
    if (!series || stale(series)) series = await this.load(token)
    let lo = 0
    let hi = series.times.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if ((series.times[mid] ?? Infinity) <= t) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found < 0 ? null : (series.usd[found] ?? null)
  }
}
