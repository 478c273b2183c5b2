import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '../../devnet/evm/anvil.js'
import { createPrng } from '../../devnet/faults/prng.js'
import {
  FAULT_KINDS,
  planFaults,
  startRpcProxy,
  type FaultKind,
  type RpcProxy,
} from '../../devnet/faults/rpc-proxy.js'

type Outcome = 'ok' | FaultKind

interface Attempt {
  outcome: Outcome
  status?: number
  retryAfter?: string | null
  json?: unknown
}

interface RpcResponse {
  id: number
  result?: unknown
  error?: { message: string }
}

// long enough that a loaded 2-core machine never makes a healthy answer look like a hang
const CLIENT_TIMEOUT_MS = 1_000
// every hang costs the client CLIENT_TIMEOUT_MS: fewer of them keeps the tests quick
const FEW_HANGS = { timeout: 0.5 }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One HTTP attempt, classified the way a careful client sees it. */
async function attempt(url: string, payload: unknown): Promise<Attempt> {
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    })
  } catch (err) {
    return { outcome: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'reset' }
  }
  if (res.status === 429) {
    await res.arrayBuffer()
    return { outcome: 'rateLimit', status: 429, retryAfter: res.headers.get('retry-after') }
  }
  if (res.status >= 500) {
    await res.arrayBuffer()
    return { outcome: 'serverError', status: res.status }
  }
  try {
    return { outcome: 'ok', status: res.status, json: JSON.parse(await res.text()) as unknown }
  } catch {
    // body cut short: undici reports "terminated", or the half body does not parse
    return { outcome: 'truncated', status: res.status }
  }
}

function emptyTally(): Record<Outcome, number> {
  return { ok: 0, rateLimit: 0, serverError: 0, timeout: 0, truncated: 0, reset: 0 }
}

/** Retries until an answer arrives, honouring Retry-After; tallies every attempt's outcome. */
async function rpcWithRetry(url: string, payload: unknown, tally: Record<Outcome, number>): Promise<unknown> {
  for (let i = 0; i < 50; i++) {
    const a = await attempt(url, payload)
    tally[a.outcome]++
    if (a.outcome === 'ok') return a.json
    const wait = a.outcome === 'rateLimit' ? Number(a.retryAfter ?? '1') * 1_000 : 5 * 2 ** Math.min(i, 4)
    await sleep(wait)
  }
  throw new Error('gave up after 50 attempts')
}

function resultOf(json: unknown): unknown {
  const r = json as RpcResponse
  if (r.error) throw new Error(r.error.message)
  return r.result
}

/** A trivial JSON-RPC upstream: answers every call with its own method and params. */
async function startEchoUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as unknown
      const answer = (c: { id: number; method: string; params: unknown }) => ({
        jsonrpc: '2.0',
        id: c.id,
        result: { method: c.method, params: c.params },
      })
      const out = Array.isArray(body)
        ? body.map(answer)
        : answer(body as { id: number; method: string; params: unknown })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(out))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe('seeded fault sequence', () => {
  it('the same seed plans the same faults; another seed does not', () => {
    expect(planFaults(42, 500, 0.5)).toEqual(planFaults(42, 500, 0.5))
    expect(planFaults(42, 500, 0.5)).not.toEqual(planFaults(43, 500, 0.5))
    const rand = createPrng(7)
    const again = createPrng(7)
    expect(Array.from({ length: 5 }, rand)).toEqual(Array.from({ length: 5 }, again))
  })

  it('hits the rate and covers every kind in proportion to the weights', () => {
    const plan = planFaults(1, 4_000, 0.5, { timeout: 2, reset: 0 })
    const faults = plan.filter((d) => d.kind !== 'pass')
    expect(faults.length / plan.length).toBeGreaterThan(0.46)
    expect(faults.length / plan.length).toBeLessThan(0.54)
    const count = (k: FaultKind) => faults.filter((d) => d.kind === k).length
    expect(count('reset')).toBe(0)
    expect(count('timeout') / faults.length).toBeGreaterThan(0.33) // 2 of 5 units of weight
    expect(count('timeout') / faults.length).toBeLessThan(0.47)
    expect(new Set(faults.filter((d) => d.kind === 'serverError').map((d) => d.status))).toEqual(
      new Set([500, 502, 503]),
    )
  })

  it('two proxies with the same seed fail the same requests the same way', async () => {
    const upstream = await startEchoUpstream()
    await attempt(upstream.url, { jsonrpc: '2.0', id: 0, method: 'warm-up' })
    const runs: Attempt[][] = []
    const proxies: RpcProxy[] = []
    try {
      for (let run = 0; run < 2; run++) {
        const proxy = await startRpcProxy({
          upstream: upstream.url,
          seed: 2026,
          faultRate: 0.5,
          hangMs: 2_000,
          weights: FEW_HANGS,
        })
        proxies.push(proxy)
        const seen: Attempt[] = []
        for (let i = 0; i < 30; i++)
          seen.push(await attempt(proxy.url, { jsonrpc: '2.0', id: i, method: 'm' }))
        runs.push(seen)
        expect(proxy.decisions()).toEqual(planFaults(2026, 30, 0.5, FEW_HANGS))
        // what the client observed is what the proxy decided
        expect(seen.map((a) => a.outcome)).toEqual(
          proxy.decisions().map((d) => (d.kind === 'pass' ? 'ok' : d.kind)),
        )
      }
      const [a, b] = runs
      expect(a?.map((x) => [x.outcome, x.status])).toEqual(b?.map((x) => [x.outcome, x.status]))
      expect(new Set(a?.map((x) => x.outcome))).toEqual(new Set(['ok', ...FAULT_KINDS]))
      const limited = a?.filter((x) => x.outcome === 'rateLimit') ?? []
      expect(limited.length).toBeGreaterThan(0)
      expect(limited.every((x) => x.retryAfter === '1')).toBe(true)
      const passed = a?.filter((x) => x.outcome === 'ok') ?? []
      expect(passed.every((x) => (x.json as RpcResponse).result !== undefined)).toBe(true)
    } finally {
      await Promise.all(proxies.map((p) => p.stop()))
      await new Promise((r) => upstream.server.close(r))
    }
  })
})

describe('rpc proxy in front of anvil at 50% faults', () => {
  let anvil: AnvilHandle
  let proxy: RpcProxy

  beforeAll(async () => {
    anvil = await startAnvil({ startTime: 1_767_225_600 })
    // some blocks with transactions to read back
    const [from, to] = (resultOf(
      await rpcWithRetry(anvil.rpcUrl, rpc(0, 'eth_accounts', []), emptyTally()),
    ) ?? []) as string[]
    for (let i = 0; i < 6; i++) {
      const tx = { from, to, value: '0x' + (1_000 + i).toString(16) }
      await rpcWithRetry(anvil.rpcUrl, rpc(i, 'eth_sendTransaction', [tx]), emptyTally())
    }
    proxy = await startRpcProxy({
      upstream: anvil.rpcUrl,
      seed: 99,
      faultRate: 0.5,
      retryAfterSeconds: 0,
      hangMs: 5_000,
      weights: FEW_HANGS,
    })
  })

  afterAll(async () => {
    await proxy?.stop()
    await anvil?.stop()
  })

  function rpc(id: number, method: string, params: unknown[]) {
    return { jsonrpc: '2.0', id, method, params }
  }

  it('a retrying client gets the same answers as without the proxy, and the counters add up', async () => {
    const tally = emptyTally()
    const direct = async (payload: unknown) => rpcWithRetry(anvil.rpcUrl, payload, emptyTally())
    const proxied = async (payload: unknown) => rpcWithRetry(proxy.url, payload, tally)

    const tip = Number(resultOf(await proxied(rpc(1, 'eth_blockNumber', []))))
    expect(tip).toBe(6)
    let calls = 1
    for (let n = 0; n <= tip; n++) {
      const payload = rpc(n, 'eth_getBlockByNumber', ['0x' + n.toString(16), true])
      expect(resultOf(await proxied(payload))).toEqual(resultOf(await direct(payload)))
      calls++
    }
    // batches: one HTTP request, many calls, answered all together or not at all
    for (let k = 0; k < 6; k++) {
      const batch = Array.from({ length: 5 }, (_, i) =>
        rpc(i, 'eth_getBlockByNumber', ['0x' + ((k + i) % (tip + 1)).toString(16), false]),
      )
      const got = (await proxied(batch)) as RpcResponse[]
      const want = (await direct(batch)) as RpcResponse[]
      expect(got.map((r) => [r.id, r.result])).toEqual(want.map((r) => [r.id, r.result]))
      calls += batch.length
    }
    const logsPayload = rpc(9, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }])
    expect(resultOf(await proxied(logsPayload))).toEqual(resultOf(await direct(logsPayload)))
    calls++

    const stats = proxy.stats()
    const attempts = Object.values(tally).reduce((a, b) => a + b, 0)
    expect(stats.requests).toBe(attempts)
    expect(stats.passed + stats.totalFaults).toBe(stats.requests)
    expect(stats.totalFaults).toBe(FAULT_KINDS.reduce((s, k) => s + stats.faults[k], 0))
    // every fault the proxy counted is one the client saw, kind by kind
    for (const kind of FAULT_KINDS) {
      expect(tally[kind], kind).toBe(stats.faults[kind])
      expect(stats.faults[kind], kind).toBeGreaterThan(0)
    }
    // a truncated answer was still computed upstream: the passes are the ok outcomes
    expect(tally.ok).toBe(stats.passed)
    expect(stats.upstreamErrors).toBe(0)
    expect(stats.batches).toBeGreaterThanOrEqual(6)
    expect(stats.rpcCalls).toBeGreaterThanOrEqual(calls)
    expect(stats.totalFaults / stats.requests).toBeGreaterThan(0.3)
    expect(stats.totalFaults / stats.requests).toBeLessThan(0.7)
    expect(proxy.decisions()).toEqual(planFaults(99, stats.requests, 0.5, FEW_HANGS))
  })
})
