import { describe, expect, it } from 'vitest'

import { decodeTransferLogs } from '../../ingest/chains/evm/decode-logs.js'
import { decodeErc20Transfers } from '../../ingest/chains/evm/erc20-transfers.js'
import { asRecord, derive, loadRpcResult } from '../unit/chains/fixtures.js'

/** Every log of a recorded getLogs answer, receipt, or block's receipts. */
function logsOf(path: string): unknown[] {
  const result = loadRpcResult(path)
  const receipts = Array.isArray(result) ? result : [result]
  return receipts.flatMap((r) => {
    const record = asRecord(r)
    return Array.isArray(record['logs']) ? (record['logs'] as unknown[]) : [r]
  })
}

const RECORDED = [
  'evm/squid_arbitrum-one_150000000_eth_getBlockReceipts_result.json',
  'evm/squid_ethereum_1000000_eth_getBlockReceipts_result.json',
  'evm/ethereum-etl_eth_getFilterLogs_erc20-transfer_block-0x76250.json',
  'evm/ethereum-etl_eth_getTransactionReceipt_thedao-transfer_block-1755635.json',
  'evm/squid_ethereum_18000000_receipt-index44_usdc-transfer_0x513a4abc.json',
]

describe('decodeErc20Transfers', () => {
  it.each(RECORDED)('gives the same movements as the ethers decoder on %s', (path) => {
    const logs = logsOf(path)
    const fast = decodeErc20Transfers('x', logs)
    expect(fast).toEqual(decodeTransferLogs('x', logs))
  })

  it('has transfers to compare in the recordings', () => {
    expect(RECORDED.map((p) => decodeErc20Transfers('x', logsOf(p)).length)).toEqual([10, 0, 2, 1, 1])
  })

  it('filters by emitter the same way', () => {
    const logs = logsOf(RECORDED[0] ?? '')
    const usdc = ['0xAF88D065E77C8CC2239327C5EDB3A432268E5831']
    const fast = decodeErc20Transfers('x', logs, { addresses: usdc })
    expect(fast).toEqual(decodeTransferLogs('x', logs, { addresses: usdc }))
    expect(fast.length).toBe(4)
  })

  it('skips what ethers skips, and a dirty address topic that ethers would throw on', () => {
    const [base] = logsOf('evm/squid_ethereum_18000000_receipt-index44_usdc-transfer_0x513a4abc.json')
    const variant = (change: (log: Record<string, unknown>) => void) =>
      derive(base, (c) => change(asRecord(c)))
    const topics = (log: Record<string, unknown>) => log['topics'] as string[]
    const word = '0x' + '00'.repeat(31) + '2a'
    const cases = {
      extraData: variant((l) => (l['data'] = String(l['data']) + 'ff'.repeat(32))),
      shortData: variant((l) => (l['data'] = '0x01')),
      erc721: variant((l) => topics(l).push(word)),
      removed: variant((l) => (l['removed'] = true)),
      pending: variant((l) => (l['blockNumber'] = null)),
      otherEvent: variant((l) => (topics(l)[0] = word)),
    }
    for (const [name, log] of Object.entries(cases)) {
      expect(decodeErc20Transfers('x', [log]), name).toEqual(decodeTransferLogs('x', [log]))
    }
    expect(decodeErc20Transfers('x', [cases.extraData])).toHaveLength(1)
    const dirty = variant((l) => (topics(l)[1] = '0x' + 'ff'.repeat(12) + String(topics(l)[1]).slice(26)))
    expect(decodeErc20Transfers('x', [dirty])).toEqual([])
    expect(() => decodeTransferLogs('x', [dirty])).toThrow()
  })
})
