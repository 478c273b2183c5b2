import { z } from 'zod'

import {
  abortedError,
  isRetryable,
  parseRetryAfter,
  RpcError,
  sleep as defaultSleep,
  withRetry,
  type RetryEvent,
  type RetryPolicy,
} from './rpc-retry.js'

/**
 * A plain `fetch` JSON-RPC 2.0 client with a per-request timeout, batching and bounded retries,
 * for any chain. Why not ethers' JsonRpcProvider: it caches results, aggregates calls on its own
 * timer, throttles 429s with its own retry count and reports a cut body as a generic error, so
 * neither the retry semantics nor the request count would be ours to state.
 */

export interface RpcCall {
  method: string
  params: unknown[]
}

export interface RpcStats {
  /** HTTP requests sent (a batch is one; each retry is one more). */
  requests: number
  /** JSON-RPC calls answered successfully (each element of a batch counts). */
  calls: number
  retries: number
  /** Wall time with at least one request or retry backoff in flight (concurrent ones count once). */
  waitMs: number
}

export interface JsonRpcClientOptions {
  url: string
  /** Per HTTP request (default 15 s). */
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Calls per HTTP batch (default 100, a common provider limit). */
  maxBatchSize?: number
  /** Batches in flight at once (default 2). */
  batchConcurrency?: number
  headers?: Record<string, string>
  onRetry?: (event: RetryEvent & { method: string }) => void
  random?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export interface CallOptions {
  signal?: AbortSignal
  /** Retry a request that timed out (default true); false lets the caller ask for less instead. */
  retryTimeouts?: boolean
}

const rpcErrorObject = z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() })
const rpcResponse = z.object({
  id: z.union([z.number(), z.string(), z.null()]),
  result: z.unknown().optional(),
  error: rpcErrorObject.nullish(),
})
type RpcResponse = z.infer<typeof rpcResponse>

/** Counts wall time during which at least one request is outstanding. */
class WaitClock {
  private inFlight = 0
  private since = 0
  private total = 0

  enter(): void {
    if (this.inFlight++ === 0) this.since = performance.now()
  }

  leave(): void {
    if (--this.inFlight === 0) this.total += performance.now() - this.since
  }

  ms(): number {
    return this.total + (this.inFlight > 0 ? performance.now() - this.since : 0)
  }

  async time<T>(work: () => Promise<T>): Promise<T> {
    this.enter()
    try {
      return await work()
    } finally {
      this.leave()
    }
  }
}

export class JsonRpcClient {
  private nextId = 1
  private readonly clock = new WaitClock()
  private readonly counters = { requests: 0, calls: 0, retries: 0 }
  private readonly timeoutMs: number
  private readonly maxBatchSize: number
  private readonly batchConcurrency: number

  constructor(private readonly options: JsonRpcClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 100)
    this.batchConcurrency = Math.max(1, options.batchConcurrency ?? 2)
  }

  stats(): RpcStats {
    return { ...this.counters, waitMs: Math.round(this.clock.ms()) }
  }

  async call(method: string, params: unknown[], options: CallOptions = {}): Promise<unknown> {
    return this.withRetries(method, options, async () => {
      const id = this.nextId++
      const text = await this.post(JSON.stringify({ jsonrpc: '2.0', id, method, params }), method, options)
      const response = parseSingle(text, method)
      if (response.error) throw jsonRpcError(response.error, method)
      if (response.id !== id || !('result' in response)) {
        throw new RpcError('malformed', 'response does not answer the request', { method })
      }
      this.counters.calls++
      return response.result
    })
  }

  /** Results in the order of `calls`; chunked by maxBatchSize; only unanswered calls are retried. */
  async batch(calls: readonly RpcCall[], options: CallOptions = {}): Promise<unknown[]> {
    const chunks: RpcCall[][] = []
    for (let i = 0; i < calls.length; i += this.maxBatchSize)
      chunks.push(calls.slice(i, i + this.maxBatchSize))
    const results = await mapLimit(chunks, this.batchConcurrency, (chunk) => this.batchChunk(chunk, options))
    return results.flat()
  }

  private async batchChunk(calls: readonly RpcCall[], options: CallOptions): Promise<unknown[]> {
    const answered = new Map<number, unknown>()
    const label = calls[0]?.method ?? 'batch'
    await this.withRetries(label, options, async () => {
      const pending = calls
        .map((call, index) => ({ call, index }))
        .filter(({ index }) => !answered.has(index))
      const ids = new Map<number, number>()
      const body = pending.map(({ call, index }) => {
        const id = this.nextId++
        ids.set(id, index)
        return { jsonrpc: '2.0', id, method: call.method, params: call.params }
      })
      const text = await this.post(JSON.stringify(body), label, options)
      let firstError: RpcError | null = null
      for (const response of parseBatch(text, label)) {
        const index = typeof response.id === 'number' ? ids.get(response.id) : undefined
        if (index === undefined) continue
        if (response.error) {
          firstError ??= jsonRpcError(response.error, calls[index]?.method ?? label)
          continue
        }
        answered.set(index, response.result)
        this.counters.calls++
      }
      if (firstError) throw firstError
      if (answered.size < calls.length) {
        throw new RpcError('malformed', `batch answered ${answered.size} of ${calls.length} calls`, {
          method: label,
        })
      }
    })
    return calls.map((_, index) => answered.get(index))
  }

  private withRetries<T>(method: string, options: CallOptions, attempt: () => Promise<T>): Promise<T> {
    const retryTimeouts = options.retryTimeouts ?? true
    return withRetry(attempt, {
      policy: this.options.retry,
      signal: options.signal,
      random: this.options.random,
      sleep: (ms, signal) => this.clock.time(() => (this.options.sleep ?? defaultSleep)(ms, signal)),
      shouldRetry: (err) =>
        (retryTimeouts || !(err instanceof RpcError && err.kind === 'timeout')) && isRetryable(err),
      onRetry: (event) => {
        this.counters.retries++
        this.options.onRetry?.({ ...event, method })
      },
    })
  }

  /** One HTTP round trip; returns the body text. JSON parsing is left to the caller (not wait time). */
  private post(body: string, method: string, options: CallOptions): Promise<string> {
    this.counters.requests++
    return this.clock.time(async () => {
      const timeout = AbortSignal.timeout(this.timeoutMs)
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
      let res: Response
      try {
        res = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.options.headers },
          body,
          signal,
        })
      } catch (err) {
        throw fetchError(err, method, options.signal, timeout)
      }
      if (res.status === 429 || res.status === 408 || res.status >= 500) {
        await res.arrayBuffer().catch(() => undefined)
        const kind = res.status === 429 ? 'rateLimit' : 'server'
        throw new RpcError(kind, `HTTP ${res.status}`, {
          method,
          status: res.status,
          retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
        })
      }
      let text: string
      try {
        text = await res.text()
      } catch (err) {
        throw fetchError(err, method, options.signal, timeout)
      }
      if (!res.ok) throw httpError(res.status, text, method)
      return text
    })
  }
}

function fetchError(
  err: unknown,
  method: string,
  caller: AbortSignal | undefined,
  timeout: AbortSignal,
): RpcError {
  if (caller?.aborted) return abortedError(caller)
  if (timeout.aborted) return new RpcError('timeout', 'no answer in time', { method }, { cause: err })
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : ''
  const message = err instanceof Error ? err.message + cause : String(err)
  // undici: "fetch failed" (refused, reset before the answer) or "terminated" (cut mid-body)
  return new RpcError('connection', message, { method }, { cause: err })
}

/** A non-2xx status other than 429/408/5xx: a JSON-RPC error if the body is one, else an HTTP error. */
function httpError(status: number, text: string, method: string): RpcError {
  try {
    const response = rpcResponse.parse(JSON.parse(text))
    if (response.error) return jsonRpcError(response.error, method, status)
  } catch {
    // not a JSON-RPC body
  }
  return new RpcError('http', `HTTP ${status}: ${text.slice(0, 200)}`, { method, status })
}

function jsonRpcError(error: z.infer<typeof rpcErrorObject>, method: string, status?: number): RpcError {
  return new RpcError('rpc', error.message, { method, status, code: error.code, data: error.data })
}

function parseJson(text: string, method: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new RpcError('malformed', `invalid JSON (${text.length} bytes)`, { method }, { cause: err })
  }
}

function parseSingle(text: string, method: string): RpcResponse {
  const parsed = rpcResponse.safeParse(parseJson(text, method))
  if (!parsed.success) throw new RpcError('malformed', 'not a JSON-RPC response', { method })
  return parsed.data
}

function parseBatch(text: string, method: string): RpcResponse[] {
  const json = parseJson(text, method)
  // a provider that refuses a batch answers with a single error object
  if (!Array.isArray(json)) {
    const single = parseSingle(text, method)
    if (single.error) throw jsonRpcError(single.error, method)
    throw new RpcError('malformed', 'batch answered with a single response', { method })
  }
  const parsed = z.array(rpcResponse).safeParse(json)
  if (!parsed.success) throw new RpcError('malformed', 'not a JSON-RPC batch response', { method })
  return parsed.data
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
