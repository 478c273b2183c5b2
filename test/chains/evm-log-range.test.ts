import { describe, expect, it } from 'vitest'

import { isRangeRefusal, LogRange, suggestedRange } from '../../ingest/chains/evm/log-range.js'
import { RpcError } from '../../ingest/chains/rpc-retry.js'

const rpc = (message: string) => new RpcError('rpc', message, { code: -32005 })

describe('isRangeRefusal', () => {
  it('recognises the providers’ "ask for less" answers', () => {
    const refusals = [
      'query returned more than 10000 results',
      'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size',
      'eth_getLogs is limited to a 10,000 range',
      'block range is too wide',
      'exceed maximum block range: 5000',
      'requested too many blocks from 0 to 20000, maximum is set to 2048',
      'Query exceeds max results 20000',
      'query timeout exceeded',
      'block range too large',
    ]
    expect(refusals.filter((m) => !isRangeRefusal(rpc(m)))).toEqual([])
    expect(isRangeRefusal(new RpcError('timeout', 'no answer in time'))).toBe(true)
    expect(isRangeRefusal(new RpcError('http', 'HTTP 413', { status: 413 }))).toBe(true)
  })

  it('leaves rate limits and other errors alone', () => {
    expect(isRangeRefusal(rpc('too many requests'))).toBe(false)
    expect(isRangeRefusal(new RpcError('rateLimit', 'HTTP 429'))).toBe(false)
    expect(isRangeRefusal(new RpcError('server', 'HTTP 503'))).toBe(false)
    expect(isRangeRefusal(rpc('invalid params'))).toBe(false)
    expect(isRangeRefusal(new Error('query returned more than 10000 results'))).toBe(false)
  })
})

describe('suggestedRange', () => {
  it('reads the range or the limit a provider suggests', () => {
    const infura = 'query returned more than 10000 results. Try with this block range [0x64, 0x95].'
    expect(suggestedRange(infura, 100)).toBe(50)
    expect(suggestedRange(infura, 99)).toBeNull()
    expect(suggestedRange('up to a 2K block range', 0)).toBe(2_000)
    expect(suggestedRange('eth_getLogs is limited to a 10,000 range', 0)).toBe(10_000)
    expect(suggestedRange('maximum is set to 2048', 0)).toBe(2_048)
    expect(suggestedRange('exceed maximum block range: 5000', 0)).toBe(5_000)
    expect(suggestedRange('query returned more than 10000 results', 0)).toBeNull()
  })
})

/** Drives a LogRange against a node that refuses spans above `limit`; returns the sizes asked. */
function simulate(
  range: LogRange,
  limit: number,
  calls: number,
  logsPerBlock = 0,
): { asked: number[]; refused: number } {
  const asked: number[] = []
  let refused = 0
  for (let i = 0; i < calls; i++) {
    const span = range.size()
    asked.push(span)
    if (span > limit) {
      refused++
      range.onRefused(span, 'query returned more than 10000 results', 0)
    } else range.onSuccess(span, span * logsPerBlock, 10, true)
  }
  return { asked, refused }
}

describe('LogRange', () => {
  it('finds a node’s limit with few refusals and stays there', () => {
    const range = new LogRange({ initial: 2_000, max: 10_000 })
    const { asked, refused } = simulate(range, 50, 60)
    expect(refused).toBeLessThanOrEqual(10)
    expect(asked.slice(-20).every((s) => s >= 40 && s <= 50)).toBe(true)
    expect(range.size()).toBe(50)
  })

  it('grows while answers are cheap, up to max', () => {
    const range = new LogRange({ initial: 10, max: 1_000 })
    const { asked } = simulate(range, Number.POSITIVE_INFINITY, 10)
    expect(asked).toEqual([10, 20, 40, 80, 160, 320, 640, 1_000, 1_000, 1_000])
  })

  it('shrinks toward the target when answers are dense, and does not grow when slow or cut short', () => {
    const range = new LogRange({ initial: 1_000, max: 10_000, targetLogs: 1_000 })
    range.onSuccess(1_000, 5_000, 10, true)
    expect(range.size()).toBe(200)
    range.onSuccess(200, 10, 60_000, true)
    range.onSuccess(150, 10, 10, false)
    expect(range.size()).toBe(200)
  })

  it('takes a suggested size, and probes a refused size again after a while', () => {
    const range = new LogRange({ initial: 1_000, max: 10_000, forgetAfter: 5 })
    range.onRefused(1_000, 'Try with this block range [0x0, 0xc7].', 0)
    expect(range.size()).toBe(200)
    for (let i = 0; i < 4; i++) range.onSuccess(range.size(), 0, 10, true)
    expect(range.size()).toBeLessThan(1_000)
    for (let i = 0; i < 3; i++) range.onSuccess(range.size(), 0, 10, true)
    expect(range.size()).toBeGreaterThanOrEqual(1_000)
  })
})
