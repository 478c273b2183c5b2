import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RpcCallJson {
  id?: unknown
  method?: unknown
  params?: unknown
}

export interface TamperHooks {
  /** An answer to send instead of asking the node (single calls only), or null to pass it on. */
  answer?: (call: RpcCallJson) => unknown
  /** Rewrites the node's answer to a single call. */
  rewrite?: (call: RpcCallJson, response: { result?: unknown; error?: unknown }) => void
}

export interface TamperProxy {
  url: string
  stop(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

/** A JSON-RPC proxy that lets a test answer or rewrite single calls; batches pass untouched. */
export async function startTamperProxy(upstream: string, hooks: TamperHooks): Promise<TamperProxy> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req)
      const call = JSON.parse(body) as RpcCallJson | RpcCallJson[]
      const single = Array.isArray(call) ? null : call
      const replaced = single ? (hooks.answer?.(single) ?? null) : null
      res.writeHead(200, { 'content-type': 'application/json' })
      if (replaced !== null) {
        res.end(JSON.stringify(replaced))
        return
      }
      const up = await fetch(upstream, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      const text = await up.text()
      if (!single || !hooks.rewrite) {
        res.end(text)
        return
      }
      const response = JSON.parse(text) as { result?: unknown; error?: unknown }
      hooks.rewrite(single, response)
      res.end(JSON.stringify(response))
    })().catch(() => req.socket.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Blocks asked for by an eth_getLogs call, or null for another call. */
export function getLogsSpan(call: RpcCallJson): number | null {
  if (call.method !== 'eth_getLogs' || !Array.isArray(call.params)) return null
  const filter: unknown = call.params[0]
  if (typeof filter !== 'object' || filter === null) return null
  const { fromBlock, toBlock } = filter as { fromBlock?: unknown; toBlock?: unknown }
  if (typeof fromBlock !== 'string' || typeof toBlock !== 'string') return null
  return Number(BigInt(toBlock) - BigInt(fromBlock)) + 1
}

export interface RangeLimitProxy extends TamperProxy {
  /** Spans (blocks) of the eth_getLogs calls passed on to the node. */
  accepted: number[]
  /** Spans refused. */
  refused: number[]
}

/**
 * Refuses eth_getLogs over more than `maxSpan` blocks the way Infura does (HTTP 200, code
 * -32005, "query returned more than 10000 results"); everything else is passed on.
 */
export async function startRangeLimitProxy(upstream: string, maxSpan: number): Promise<RangeLimitProxy> {
  const accepted: number[] = []
  const refused: number[] = []
  const proxy = await startTamperProxy(upstream, {
    answer: (call) => {
      const span = getLogsSpan(call)
      if (span === null) return null
      if (span <= maxSpan) {
        accepted.push(span)
        return null
      }
      refused.push(span)
      const error = { code: -32005, message: 'query returned more than 10000 results' }
      return { jsonrpc: '2.0', id: call.id ?? null, error }
    },
  })
  return { ...proxy, accepted, refused }
}
