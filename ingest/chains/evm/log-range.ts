import { RpcError } from '../rpc-retry.js'

/**
 * How many blocks one `eth_getLogs` asks for. Providers refuse ranges that are too long or too
 * dense (each with its own wording), so the range shrinks on a refusal and grows while calls are
 * cheap, searching between the largest size that worked and the smallest that was refused.
 */

// Seen from Infura, Alchemy, QuickNode, Ankr, geth, erigon, nethermind, besu, Cloudflare, BlastAPI...
const REFUSAL_MESSAGE = new RegExp(
  [
    String.raw`(more than|too many|exceeds? max(imum)?) [\d,]* ?(results|logs|blocks)`,
    String.raw`(block )?range (is )?(too (large|wide|big)|limit|exceeded)`,
    String.raw`exceed(s|ed)? (the )?max(imum)? (block )?range`,
    String.raw`max(imum)? (block )?range`,
    String.raw`response (size|is too (large|big))|size (limit )?exceeded`,
    String.raw`limited to|maximum is set to|query returned more than`,
    String.raw`timeout|timed out|deadline exceeded`,
  ].join('|'),
  'i',
)

/** Whether an `eth_getLogs` failure means "ask for fewer blocks" rather than "try again". */
export function isRangeRefusal(err: unknown): boolean {
  if (!(err instanceof RpcError)) return false
  if (err.kind === 'timeout') return true
  if (err.kind === 'http') return err.details.status === 413
  return err.kind === 'rpc' && REFUSAL_MESSAGE.test(err.message)
}

/**
 * A block count the provider suggests in its refusal, if any:
 * - Infura/Alchemy: "... Try with this block range [0x10, 0x1f]." (a range starting at `from`)
 * - "up to a 2K block range", "limited to a 10,000 range", "maximum is set to 2048",
 *   "exceed maximum block range: 5000"
 */
export function suggestedRange(message: string, from: number): number | null {
  const pair = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(message)
  if (pair?.[1] && pair[2]) {
    const start = Number(BigInt(pair[1]))
    const end = Number(BigInt(pair[2]))
    if (start === from && end >= start) return end - start + 1
  }
  const limit =
    /(?:up to an? |limited to an? |maximum is set to |max(?:imum)? (?:block )?range:? )([\d,]+)(k?)/i.exec(
      message,
    )
  if (limit?.[1]) {
    const n = Number(limit[1].replace(/,/g, '')) * (limit[2]?.toLowerCase() === 'k' ? 1000 : 1)
    if (Number.isFinite(n) && n >= 1) return Math.floor(n)
  }
  return null
}

export interface LogRangeOptions {
  initial: number
  max: number
  /** Logs per call to aim at: denser answers shrink the range (default 10,000). */
  targetLogs?: number
  /** A call slower than this does not grow the range (default 3 s). */
  slowMs?: number
  /** Successful calls after which a refused size may be probed again (default 100). */
  forgetAfter?: number
}

export class LogRange {
  private current: number
  /** Largest span that worked since the last refusal (0: none yet). */
  private good = 0
  /** Smallest span refused (Infinity: none remembered). */
  private bad = Number.POSITIVE_INFINITY
  private successes = 0
  private readonly max: number
  private readonly targetLogs: number
  private readonly slowMs: number
  private readonly forgetAfter: number

  constructor(options: LogRangeOptions) {
    this.max = Math.max(1, Math.floor(options.max))
    this.current = clamp(Math.floor(options.initial), 1, this.max)
    this.targetLogs = options.targetLogs ?? 10_000
    this.slowMs = options.slowMs ?? 3_000
    this.forgetAfter = options.forgetAfter ?? 100
  }

  size(): number {
    return this.current
  }

  /** Restores a size saved with a checkpoint. */
  restore(size: number): void {
    this.current = clamp(Math.floor(size), 1, this.max)
  }

  onRefused(span: number, message: string, from: number): void {
    this.bad = Math.min(this.bad, span)
    this.successes = 0
    const suggested = suggestedRange(message, from)
    const fallback = this.good > 0 && this.good < span ? this.good : Math.floor(span / 2)
    this.current = clamp(suggested !== null && suggested < span ? suggested : fallback, 1, this.max)
  }

  /** `full`: the span was the whole current size (not cut short by the head or the finality boundary). */
  onSuccess(span: number, logs: number, elapsedMs: number, full: boolean): void {
    if (++this.successes >= this.forgetAfter) {
      this.bad = Number.POSITIVE_INFINITY
      this.good = 0
      this.successes = 0
    }
    this.good = Math.max(this.good, span)
    if (logs > this.targetLogs * 2) {
      this.current = clamp(Math.floor((span * this.targetLogs) / logs), 1, this.max)
      return
    }
    if (!full || logs > this.targetLogs / 2 || elapsedMs > this.slowMs) return
    let next = Math.min(this.max, this.current * 2)
    if (next >= this.bad) next = Math.floor((this.current + this.bad) / 2)
    if (next > this.current) this.current = next
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n))
}
