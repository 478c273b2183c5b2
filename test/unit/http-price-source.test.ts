import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpPriceSource } from '../../ingest/prices/http-price-source.js'

let server: Server
let base: string
const asked: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    asked.push(url.search)
    const token = url.searchParams.get('token')
    const body =
      token === 'RNDR' ? { usd: 7.25 } : token === 'ZERO' ? { usd: 0 } : token === 'BROKEN' ? 'oops' : null
    if (body === null) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('HttpPriceSource', () => {
  it('asks once per token and hour, at the start of the hour', async () => {
    const prices = new HttpPriceSource(`${base}/usd?token={token}&time={unix}`)
    expect(await prices.usdAt('RNDR', new Date('2026-03-01T10:15:00Z'))).toBe(7.25)
    expect(await prices.usdAt('RNDR', new Date('2026-03-01T10:59:59Z'))).toBe(7.25)
    expect(asked).toEqual([`?token=RNDR&time=${Date.parse('2026-03-01T10:00:00Z') / 1000}`])
  })

  it('gives null, never zero, for an unknown token, a zero or a malformed answer, and an unreachable host', async () => {
    const errors: string[] = []
    const prices = new HttpPriceSource(`${base}/usd?token={token}`, { onError: (m) => errors.push(m) })
    const at = new Date('2026-03-01T00:00:00Z')
    expect(await prices.usdAt('NOPE', at)).toBeNull()
    expect(await prices.usdAt('ZERO', at)).toBeNull()
    expect(await prices.usdAt('BROKEN', at)).toBeNull()
    const down = new HttpPriceSource('http://127.0.0.1:9/usd?token={token}', {
      onError: (m) => errors.push(m),
    })
    expect(await down.usdAt('RNDR', at)).toBeNull()
    expect(errors.length).toBe(1)
  })
})
