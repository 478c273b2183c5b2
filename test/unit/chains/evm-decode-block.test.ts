import { describe, expect, it } from 'vitest'

import { checkParentLink, decodeBlockHeader } from '../../../ingest/chains/evm/decode-block.js'
import { loadRpcResult } from './fixtures.js'

describe('decodeBlockHeader', () => {
  it('reads an Ethereum 2016 block (ethereum-etl envelope)', () => {
    expect(
      decodeBlockHeader(loadRpcResult('evm/ethereum-etl_eth_getBlockByNumber_0x1ac9f2_true.json')),
    ).toEqual({
      number: 1_755_634,
      hash: '0xa06fc36a7144c4bbb1f7ab13b541144414fa7808c119e8a4635e392ea544c178',
      parentHash: '0x112aa801c14d16d9b929fd8e1e639a29d79e467334054a111c2f860e462e3ff4',
      timestamp: 0x576b99f5,
      time: new Date(0x576b99f5 * 1000),
    })
  })

  it('reads an Arbitrum block and ignores its extra fields', () => {
    const header = decodeBlockHeader(
      loadRpcResult('evm/squid_arbitrum-one_150000000_eth_getBlockByNumber_result.json'),
    )
    expect(header).toEqual({
      number: 150_000_000,
      hash: '0xc43cd2d95e40b5b672100e462a86b3f67259bd7398cf1c68b0e0e89cc2993ecf',
      parentHash: '0xb7d74848aceb6b0dcf9d99c9059964853ddae880c9b0d735b420e5dc4b53e9aa',
      timestamp: 0x65521717,
      time: new Date('2023-11-13T12:31:19Z'),
    })
  })

  it('rejects a missing block and a malformed hash', () => {
    expect(() => decodeBlockHeader(null)).toThrow('block not found')
    expect(() =>
      decodeBlockHeader({ number: '0x1', hash: '0x12', parentHash: '0x34', timestamp: '0x0' }),
    ).toThrow()
  })
})

describe('checkParentLink (ethereum-etl blocks 0x1ac9f2 → 0x1ac9f3)', () => {
  const prev = decodeBlockHeader(loadRpcResult('evm/ethereum-etl_eth_getBlockByNumber_0x1ac9f2_true.json'))
  const next = decodeBlockHeader(loadRpcResult('evm/ethereum-etl_eth_getBlockByNumber_0x1ac9f3_true.json'))

  it('links the two consecutive blocks by parent hash', () => {
    expect(checkParentLink(prev, next)).toEqual({ ok: true })
  })

  it('detects a tampered parent hash (a reorg) and a gap', () => {
    const tampered = { ...next, parentHash: `0x${'ab'.repeat(32)}` }
    expect(checkParentLink(prev, tampered)).toMatchObject({ ok: false, reason: 'parent-hash-mismatch' })
    expect(checkParentLink(next, prev)).toMatchObject({ ok: false, reason: 'not-consecutive' })
  })
})
