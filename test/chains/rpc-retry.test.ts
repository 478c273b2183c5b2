import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { JsonRpcClient } from '../../ingest/chains/json-rpc.js'
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  RpcError,
  withRetry,
} from '../../ingest/chains/rpc-retry.js'

type Behaviour = (res: ServerResponse, body: string, req: IncomingMessage) => void

/** A JSON-RPC server that answers each HTTP request with the next scripted behaviour. */
let server: Server
let url: string
let script: Behaviour[] = []
const bodies: string[] = []

interface Call {
  id: number
  method: string
  params: unknown[]
}

const answer =
  (result: (call: Call) => unknown): Behaviour =>
  (res, body) => {
    const parsed = JSON.parse(body) as Call | Call[]
    const reply = (c: Call) => ({ jsonrpc: '2.0', id: c.id, result: result(c) })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(reply).reverse() : reply(parsed)))
  }
const ok = answer((c) => `${c.method}:${JSON.stringify(c.params)}`)
const status =
  (code: number, headers: Record<string, string> = {}, text = '<html>busy</html>'): Behaviour =>
  (res) => {
    res.writeHead(code, headers)
    res.end(text)
  }
const truncated: Behaviour = (res, body) => {
  const text = JSON.stringify({
    jsonrpc: '2.0',
    id: (JSON.parse(body) as Call).id,
    result: 'x'.repeat(2_000),
  })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) })
  res.write(text.slice(0, 1_000), () => res.socket?.destroy())
}
const reset: Behaviour = (_res, _body, req) => req.socket.resetAndDestroy()
const garbage: Behaviour = (res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end('{"jsonrpc":"2.0","id":1,"res')
}
const hang: Behaviour = () => {}
const rpcError =
  (code: number, message: string): Behaviour =>
  (res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ jsonrpc: '2.0', id: (JSON.parse(body) as Call).id, error: { code, message } }))
  }

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      bodies.push(body)
      ;(script.shift() ?? ok)(res, body, req)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

beforeEach(() => {
  script = []
  bodies.length = 0
})

function client(options: Partial<ConstructorParameters<typeof JsonRpcClient>[0]> = {}) {
  const sleeps: number[] = []
  const rpc = new JsonRpcClient({
    url,
    // Long enough that a loaded CI machine answers in time; the hang behaviour never answers.
    timeoutMs: 2_000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    ...options,
  })
  return { rpc, sleeps }
}

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('2', now)).toBe(2_000)
    expect(parseRetryAfter('0.5', now)).toBe(500)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7_000)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter(null, now)).toBeNull()
  })

  it('backs off exponentially with jitter, bounded, and honours Retry-After', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 }
    const plain = new RpcError('server', 'HTTP 503')
    // equal jitter: between half the step and the full step
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, plain, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ])
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, plain, policy, () => 0.999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ])
    const limited = new RpcError('rateLimit', 'HTTP 429', { retryAfterMs: 3_000 })
    expect(retryDelayMs(1, limited, policy, () => 0)).toBe(3_000)
    const tooLong = new RpcError('rateLimit', 'HTTP 429', { retryAfterMs: 3_600_000 })
    expect(retryDelayMs(1, tooLong, policy, () => 0)).toBe(policy.maxRetryAfterMs)
  })

  it('retries transport faults and transient JSON-RPC errors, not the others', () => {
    for (const kind of ['rateLimit', 'server', 'timeout', 'connection', 'malformed'] as const) {
      expect(isRetryable(new RpcError(kind, 'x'))).toBe(true)
    }
    expect(isRetryable(new RpcError('http', 'HTTP 401'))).toBe(false)
    expect(isRetryable(new RpcError('aborted', 'stop'))).toBe(false)
    expect(isRetryable(new RpcError('rpc', 'daily request count exceeded, request rate limited'))).toBe(true)
    expect(isRetryable(new RpcError('rpc', 'header not found'))).toBe(true)
    expect(isRetryable(new RpcError('rpc', 'query returned more than 10000 results'))).toBe(false)
    expect(isRetryable(new RpcError('rpc', 'invalid argument 0: hex string without 0x prefix'))).toBe(false)
    expect(isRetryable(new Error('bug'))).toBe(false)
  })

  it('stops after maxAttempts and rethrows the last error', async () => {
    let calls = 0
    const failing = withRetry(
      async () => {
        calls++
        throw new RpcError('server', `HTTP 503 #${calls}`)
      },
      { policy: { maxAttempts: 4 }, sleep: async () => {} },
    )
    await expect(failing).rejects.toThrow('HTTP 503 #4')
    expect(calls).toBe(4)
  })

  it('stops waiting when the signal fires', async () => {
    const stop = new AbortController()
    const started = performance.now()
    const pending = withRetry(
      async () => {
        throw new RpcError('rateLimit', 'HTTP 429', { retryAfterMs: 30_000 })
      },
      { signal: stop.signal },
    )
    setTimeout(() => stop.abort(), 50)
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' })
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})

describe('JsonRpcClient', () => {
  it('gets through 429, 5xx, a cut body, a reset, bad JSON and a hang, counting every request', async () => {
    script = [status(429, { 'retry-after': '2' }), status(503), truncated, reset, garbage, hang, ok]
    const retries: string[] = []
    const { rpc, sleeps } = client({ onRetry: (e) => retries.push((e.error as RpcError).kind) })
    await expect(rpc.call('eth_blockNumber', [])).resolves.toBe('eth_blockNumber:[]')
    expect(retries).toEqual(['rateLimit', 'server', 'connection', 'connection', 'malformed', 'timeout'])
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000)
    expect(sleeps.slice(1)).toEqual([375, 750, 1_500, 3_000, 6_000].map((ms) => Math.min(ms, 10_000)))
    expect(rpc.stats()).toMatchObject({ requests: 7, calls: 1, retries: 6 })
    expect(rpc.stats().waitMs).toBeGreaterThanOrEqual(300)
  })

  it('does not retry a JSON-RPC error that is not transient, and keeps its code', async () => {
    script = [rpcError(-32602, 'invalid params')]
    const { rpc } = client()
    await expect(rpc.call('eth_getLogs', [{}])).rejects.toMatchObject({
      kind: 'rpc',
      message: 'invalid params',
      details: { code: -32602, method: 'eth_getLogs' },
    })
    expect(rpc.stats().requests).toBe(1)
  })

  it('leaves a timeout to the caller when asked to', async () => {
    script = [hang]
    const { rpc } = client()
    await expect(rpc.call('eth_getLogs', [{}], { retryTimeouts: false })).rejects.toMatchObject({
      kind: 'timeout',
    })
    expect(rpc.stats().requests).toBe(1)
  })

  it('reads a JSON-RPC error sent with an HTTP error status', async () => {
    script = [
      status(
        400,
        { 'content-type': 'application/json' },
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          error: { code: -32005, message: 'query returned more than 10000 results' },
        }),
      ),
    ]
    const { rpc } = client()
    await expect(rpc.call('eth_getLogs', [{}])).rejects.toMatchObject({
      kind: 'rpc',
      details: { status: 400, code: -32005 },
    })
  })

  it('batches in chunks, matches answers by id, and retries only the calls that failed', async () => {
    const partial: Behaviour = (res, body) => {
      const calls = JSON.parse(body) as Call[]
      const replies = calls.map((c, i) =>
        i === 1
          ? { jsonrpc: '2.0', id: c.id, error: { code: 429, message: 'Too Many Requests' } }
          : { jsonrpc: '2.0', id: c.id, result: `${c.method}:${JSON.stringify(c.params)}` },
      )
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(replies))
    }
    script = [partial]
    const { rpc } = client({ maxBatchSize: 3, batchConcurrency: 1 })
    const calls = Array.from({ length: 5 }, (_, i) => ({ method: 'eth_getBlockByNumber', params: [i] }))
    const results = await rpc.batch(calls)
    expect(results).toEqual(calls.map((c) => `${c.method}:${JSON.stringify(c.params)}`))
    const sent = bodies.map((b) => (JSON.parse(b) as Call[]).map((c) => c.params[0]))
    expect(sent).toEqual([[0, 1, 2], [1], [3, 4]])
    expect(rpc.stats()).toMatchObject({ requests: 3, calls: 5, retries: 1 })
  })
})
