import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

import { isJsonObject, stringifyJson, type Json } from '../../devnet/solana/json.js'
import type { SolanaLedger } from '../../devnet/solana/ledger.js'
import type { SolanaRpcServer } from '../../devnet/solana/rpc-server.js'

export interface ForkProxy {
  url: string
  /**
   * From now on, answer `confirmed` block reads as a fork that has a block at `phantom` (a slot
   * the ledger skipped): the next block names it as its parent, and every block from it up has
   * another blockhash, until the finalized slot passes it. `finalized` reads stay the ledger's.
   * null: the ledger's chain again.
   */
  setPhantom(slot: number | null): void
  stop(): Promise<void>
}

type Call = { id?: Json; method?: unknown; params?: unknown }

const forkHash = (hash: string) => `fork${hash.slice(4)}`
const phantomHash = (slot: number) => `phantom${'1'.repeat(30)}${slot}`

/**
 * A JSON-RPC front of the devnet handler that can show a `confirmed` fork the finalized chain
 * then abandons, the way a validator's confirmed view can lose a block: the source must retract
 * what it indexed from the phantom block up.
 */
export async function startForkProxy(rpc: SolanaRpcServer, ledger: SolanaLedger): Promise<ForkProxy> {
  let phantom: number | null = null

  const confirmed = (params: unknown[]): boolean => {
    const config = params.find(isJsonObject)
    return config?.commitment === 'confirmed'
  }

  const finalizedSlot = (): number => {
    const answer = rpc.handle({
      jsonrpc: '2.0',
      id: 0,
      method: 'getSlot',
      params: [{ commitment: 'finalized' }],
    })
    return isJsonObject(answer) && typeof answer.result === 'number' ? answer.result : -1
  }

  const answer = (call: Call): Json | undefined => {
    const honest = rpc.handle(call)
    const params = Array.isArray(call.params) ? (call.params as unknown[]) : []
    // a fork below the finalized slot cannot be: by then the proxy shows the ledger's chain
    if (phantom === null || phantom <= finalizedSlot() || !confirmed(params) || !isJsonObject(honest)) {
      return honest
    }
    const slot = params[0]
    const tip = ledger.latestBlock.slot
    if (call.method === 'getBlocks' && Array.isArray(honest.result)) {
      const [from, to] = params
      const end = typeof to === 'number' ? Math.min(to, tip) : tip
      if (typeof from === 'number' && phantom >= from && phantom <= end) {
        const slots = [...(honest.result as number[]), phantom].sort((a, b) => a - b)
        return { ...honest, result: slots }
      }
      return honest
    }
    if (call.method !== 'getBlock' || typeof slot !== 'number' || slot < phantom || phantom > tip)
      return honest
    if (slot === phantom) {
      const parent = ledger.blockAtOrBelow(phantom)
      if (!parent) return honest
      const block = {
        blockHeight: parent.blockHeight + 1,
        blockTime: parent.blockTime,
        blockhash: phantomHash(phantom),
        parentSlot: parent.slot,
        previousBlockhash: parent.blockhash,
      }
      return { jsonrpc: '2.0', result: block, id: call.id ?? null }
    }
    if (!isJsonObject(honest.result)) return honest
    const block = honest.result as Record<string, Json>
    const parentSlot = block.parentSlot as number
    const attachesToPhantom = parentSlot < phantom
    return {
      ...honest,
      result: {
        ...block,
        blockhash: forkHash(String(block.blockhash)),
        parentSlot: attachesToPhantom ? phantom : parentSlot,
        previousBlockhash: attachesToPhantom
          ? phantomHash(phantom)
          : forkHash(String(block.previousBlockhash)),
      },
    }
  }

  const server = createServer((req, res) => {
    void readBody(req)
      .then((text) => {
        const body = JSON.parse(text) as Call | Call[]
        const out = Array.isArray(body) ? body.map((c) => answer(c) ?? null) : (answer(body) ?? null)
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(stringifyJson(out))
      })
      .catch(() => req.socket.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    setPhantom: (slot) => {
      phantom = slot
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}
