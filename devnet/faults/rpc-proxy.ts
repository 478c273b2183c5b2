import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPrng } from './prng.js'

export const FAULT_KINDS = ['rateLimit', 'serverError', 'timeout', 'truncated', 'reset'] as const
/**
 * - rateLimit: 429 with `Retry-After` (seconds) and a JSON-RPC error body; upstream not called
 * - serverError: 500, 502 or 503; upstream not called
 * - timeout: no answer; the connection is cut when the client gives up or after `hangMs`
 * - truncated: the upstream IS called (its side effects happen), then half the body is sent
 *   under the full Content-Length and the connection is cut
 * - reset: the request is read, then the connection is reset (TCP RST); upstream not called
 */
export type FaultKind = (typeof FAULT_KINDS)[number]

export const SERVER_ERROR_STATUSES = [500, 502, 503] as const

export interface FaultDecision {
  /** 0-based arrival order of the HTTP request */
  seq: number
  kind: FaultKind | 'pass'
  /** HTTP status for serverError */
  status?: number
}

export interface RpcProxyOptions {
  /** any JSON-RPC URL (anvil, the Solana devnet handler, ...) */
  upstream: string
  seed: number
  /** probability in [0, 1] that a request gets a fault */
  faultRate: number
  /** relative proportions of the fault kinds (default: all 1); 0 disables a kind */
  weights?: Partial<Record<FaultKind, number>>
  /** value of the Retry-After header on 429 (default 1) */
  retryAfterSeconds?: number
  /** upper bound of a hang (default 10 s) */
  hangMs?: number
  /** timeout of the forwarded request (default 30 s) */
  upstreamTimeoutMs?: number
}

export interface RpcProxyStats {
  /** HTTP requests received; always passed + totalFaults (counted when decided, at arrival) */
  requests: number
  /** requests without a fault: forwarded, the upstream's answer relayed untouched */
  passed: number
  faults: Record<FaultKind, number>
  totalFaults: number
  /** passed requests whose upstream call failed (the proxy answered 502: not an injected fault) */
  upstreamErrors: number
  /** JSON-RPC calls seen, counting each element of a batch */
  rpcCalls: number
  /** HTTP requests whose body was a JSON array */
  batches: number
}

export interface RpcProxy {
  url: string
  port: number
  stats(): RpcProxyStats
  /** every decision so far, in arrival order */
  decisions(): FaultDecision[]
  setFaultRate(rate: number): void
  stop(): Promise<void>
}

type Weights = Record<FaultKind, number>

function normalizeWeights(weights: Partial<Record<FaultKind, number>> = {}): Weights {
  const full = Object.fromEntries(FAULT_KINDS.map((k) => [k, Math.max(0, weights[k] ?? 1)])) as Weights
  if (FAULT_KINDS.every((k) => full[k] === 0)) throw new Error('at least one fault kind needs a weight > 0')
  return full
}

/** Draws exactly three numbers per request so the sequence never depends on which branch was taken. */
function decide(seq: number, rand: () => number, faultRate: number, weights: Weights): FaultDecision {
  const [isFault, which, variant] = [rand(), rand(), rand()]
  if (isFault >= faultRate) return { seq, kind: 'pass' }
  const total = FAULT_KINDS.reduce((sum, k) => sum + weights[k], 0)
  let point = which * total
  let kind: FaultKind = 'reset'
  for (const k of FAULT_KINDS) {
    if (weights[k] === 0) continue
    kind = k
    if (point < weights[k]) break
    point -= weights[k]
  }
  if (kind !== 'serverError') return { seq, kind }
  const status = SERVER_ERROR_STATUSES[Math.floor(variant * SERVER_ERROR_STATUSES.length)] ?? 500
  return { seq, kind, status }
}

/** The decisions a proxy with these settings makes for its first `count` requests. */
export function planFaults(
  seed: number,
  count: number,
  faultRate: number,
  weights?: Partial<Record<FaultKind, number>>,
): FaultDecision[] {
  const rand = createPrng(seed)
  const w = normalizeWeights(weights)
  return Array.from({ length: count }, (_, seq) => decide(seq, rand, faultRate, w))
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function countCalls(body: Buffer): { calls: number; batch: boolean } {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'))
    return Array.isArray(parsed) ? { calls: parsed.length, batch: true } : { calls: 1, batch: false }
  } catch {
    return { calls: 0, batch: false }
  }
}

interface Upstream {
  status: number
  contentType: string
  body: Buffer
}

async function forward(
  upstream: string,
  req: IncomingMessage,
  body: Buffer,
  timeoutMs: number,
): Promise<Upstream> {
  const method = req.method ?? 'POST'
  const res = await fetch(upstream, {
    method,
    headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
    signal: AbortSignal.timeout(timeoutMs),
  })
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? 'application/json',
    body: Buffer.from(await res.arrayBuffer()),
  }
}

function jsonError(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } })
}

export async function startRpcProxy(options: RpcProxyOptions): Promise<RpcProxy> {
  const rand = createPrng(options.seed)
  const weights = normalizeWeights(options.weights)
  let faultRate = options.faultRate
  const retryAfter = options.retryAfterSeconds ?? 1
  const hangMs = options.hangMs ?? 10_000
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 30_000

  const log: FaultDecision[] = []
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>
  const counters = { requests: 0, passed: 0, upstreamErrors: 0, rpcCalls: 0, batches: 0 }
  const hangs = new Set<NodeJS.Timeout>()

  const handlers: Record<
    FaultKind,
    (req: IncomingMessage, res: ServerResponse, body: Buffer, d: FaultDecision) => Promise<void> | void
  > = {
    rateLimit: (_req, res) => {
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(retryAfter),
        'x-fault': 'rateLimit',
      })
      res.end(jsonError(-32005, 'rate limited (injected)'))
    },
    serverError: (_req, res, _body, d) => {
      const status = d.status ?? 500
      const text = status === 500 ? jsonError(-32603, 'internal error (injected)') : `<html>${status}</html>`
      res.writeHead(status, {
        'content-type': status === 500 ? 'application/json' : 'text/html',
        'x-fault': 'serverError',
      })
      res.end(text)
    },
    timeout: (req) => {
      const timer = setTimeout(() => {
        hangs.delete(timer)
        req.socket.destroy()
      }, hangMs)
      hangs.add(timer)
      req.socket.once('close', () => {
        clearTimeout(timer)
        hangs.delete(timer)
      })
    },
    truncated: async (req, res, body) => {
      const up = await forward(options.upstream, req, body, upstreamTimeoutMs)
      res.writeHead(up.status, {
        'content-type': up.contentType,
        'content-length': up.body.length,
        'x-fault': 'truncated',
      })
      res.write(up.body.subarray(0, Math.floor(up.body.length / 2)), () => req.socket.destroy())
    },
    reset: (req) => {
      req.socket.resetAndDestroy()
    },
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // the decision is taken at arrival, so the fault sequence follows the request order
    const decision = decide(log.length, rand, faultRate, weights)
    log.push(decision)
    counters.requests++
    if (decision.kind === 'pass') counters.passed++
    else faults[decision.kind]++
    const body = await readBody(req)
    const { calls, batch } = countCalls(body)
    counters.rpcCalls += calls
    if (batch) counters.batches++

    if (decision.kind !== 'pass') {
      await handlers[decision.kind](req, res, body, decision)
      return
    }
    let up: Upstream
    try {
      up = await forward(options.upstream, req, body, upstreamTimeoutMs)
    } catch (err) {
      counters.upstreamErrors++
      res.writeHead(502, { 'content-type': 'application/json' })
      res.end(jsonError(-32603, `upstream error: ${err instanceof Error ? err.message : String(err)}`))
      return
    }
    res.writeHead(up.status, { 'content-type': up.contentType, 'content-length': up.body.length })
    res.end(up.body)
  }

  const server = createServer((req, res) => {
    // the client went away, or a truncated request's upstream failed: just cut the connection
    handle(req, res).catch(() => req.socket.destroy())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => ({
      ...counters,
      faults: { ...faults },
      totalFaults: FAULT_KINDS.reduce((sum, k) => sum + faults[k], 0),
    }),
    decisions: () => log.map((d) => ({ ...d })),
    setFaultRate: (rate) => {
      faultRate = rate
    },
    stop: async () => {
      for (const timer of hangs) clearTimeout(timer)
      hangs.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}
