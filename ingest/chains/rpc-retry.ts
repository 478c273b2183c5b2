/**
 * Retry policy for JSON-RPC over HTTP, shared by the chain sources (EVM and Solana alike).
 *
 * Why our own small helper: `async-retry`/`retry` are only transitive dependencies here (not ours to
 * rely on), and neither honours a server-mandated delay (`Retry-After`) nor tells faults apart.
 */

/**
 * - rateLimit: HTTP 429, or a JSON-RPC error saying so
 * - server: HTTP 5xx / 408
 * - timeout: no complete answer within the per-request timeout
 * - connection: refused, reset, or cut while the body was read (a truncated body)
 * - malformed: a body that is not the JSON-RPC answer asked for
 * - http: another HTTP status (401, 403, 404, 413...): not retried
 * - rpc: a JSON-RPC error object: retried only when it reads as transient
 * - aborted: the caller's signal fired: never retried
 */
export type RpcFaultKind =
  'rateLimit' | 'server' | 'timeout' | 'connection' | 'malformed' | 'http' | 'rpc' | 'aborted'

export interface RpcErrorDetails {
  method?: string
  status?: number
  /** From `Retry-After`, in milliseconds. */
  retryAfterMs?: number | null
  /** JSON-RPC error code and data. */
  code?: number
  data?: unknown
}

export class RpcError extends Error {
  override readonly name = 'RpcError'

  constructor(
    readonly kind: RpcFaultKind,
    message: string,
    readonly details: RpcErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number
  /** Backoff before the first retry; doubles on each further retry. */
  baseDelayMs: number
  maxDelayMs: number
  /** A longer `Retry-After` is cut to this. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
}

// Messages of JSON-RPC errors that providers use for transient conditions. The range-too-large
// family ("more than 10000 results", "block range too large") is NOT here: retrying the same
// request cannot help, the caller has to ask for less (see evm/log-range.ts).
const TRANSIENT_RPC_MESSAGE =
  /rate.?limit|too many requests|request rate|capacity exceeded|try again|temporarily|header not found|unknown block|busy/i

export function isRetryable(err: unknown): boolean {
  if (!(err instanceof RpcError)) return false
  switch (err.kind) {
    case 'rateLimit':
    case 'server':
    case 'timeout':
    case 'connection':
    case 'malformed':
      return true
    case 'rpc':
      return TRANSIENT_RPC_MESSAGE.test(err.message)
    case 'http':
    case 'aborted':
      return false
  }
}

/** `Retry-After` as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null
  const text = header.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/**
 * How long to wait before retry number `retry` (1 = the first retry). A server-mandated
 * `Retry-After` is honoured (never shortened, capped at maxRetryAfterMs); otherwise exponential
 * backoff with "equal jitter": half the step fixed, half random, so retries never bunch up at zero.
 */
export function retryDelayMs(
  retry: number,
  err: unknown,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const retryAfter = err instanceof RpcError ? err.details.retryAfterMs : null
  if (retryAfter !== null && retryAfter !== undefined) {
    return Math.min(policy.maxRetryAfterMs, retryAfter) + Math.floor(random() * 50)
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  return Math.floor(step / 2 + random() * (step / 2))
}

/** Resolves after `ms`, or early (without throwing) when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

export interface RetryEvent {
  /** The retry about to happen (1 = first retry). */
  retry: number
  delayMs: number
  error: unknown
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>
  /** Default: isRetryable. */
  shouldRetry?: (err: unknown) => boolean
  signal?: AbortSignal
  onRetry?: (event: RetryEvent) => void
  random?: () => number
  /** Injected in unit tests; must resolve early when the signal fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Runs `fn` until it succeeds, the error is not retryable, attempts run out, or `signal` fires. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy }
  const shouldRetry = options.shouldRetry ?? isRetryable
  const wait = options.sleep ?? sleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (err) {
      if (options.signal?.aborted) throw abortedError(options.signal)
      if (attempt >= policy.maxAttempts || !shouldRetry(err)) throw err
      const delayMs = retryDelayMs(attempt, err, policy, options.random)
      options.onRetry?.({ retry: attempt, delayMs, error: err })
      await wait(delayMs, options.signal)
      if (options.signal?.aborted) throw abortedError(options.signal)
    }
  }
}

export function abortedError(signal: AbortSignal): RpcError {
  const reason: unknown = signal.reason
  const text = reason instanceof Error ? reason.message : 'aborted'
  return new RpcError('aborted', text, {}, { cause: reason })
}

/** A one-line description for status lines and logs. */
export function describeError(err: unknown): string {
  if (err instanceof RpcError) {
    const method = err.details.method ? `${err.details.method}: ` : ''
    const status = err.details.status ? ` (HTTP ${err.details.status})` : ''
    const code = err.details.code !== undefined ? ` [${err.details.code}]` : ''
    return `${method}${err.kind}${status}${code}: ${err.message}`
  }
  return err instanceof Error ? err.message : String(err)
}
