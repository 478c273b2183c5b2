import { Interface } from 'ethers'
import { describe, expect, it } from 'vitest'

import {
  decodeEventLogs,
  decodeReceiptTransfers,
  decodeTransferLogs,
  successfulReceiptLogs,
} from '../../../ingest/chains/evm/decode-logs.js'
import { asRecord, derive, loadRpcResult } from './fixtures.js'

const USDT = '0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9'
const USDC = '0xaf88d065e77c8cc2239327c5edb3a432268e5831'
const WETH = '0x82af49447d8a07e3bd95bd0d56f35241523fbab1'
const MINTED = '0xaedf7656fbb47c5b97dd529ac1d0e807e051f2dd'

describe('decodeReceiptTransfers: Arbitrum One block 150,000,000 (eth_getBlockReceipts)', () => {
  const receipts = loadRpcResult('evm/squid_arbitrum-one_150000000_eth_getBlockReceipts_result.json')
  const movements = decodeReceiptTransfers('arbitrum-one', receipts)
  const count = (token: string): number => movements.filter((m) => m.token === token).length

  it('finds 10 ERC-20 Transfers: 4 USDT, 4 USDC, 1 WETH, 1 mint', () => {
    expect(movements).toHaveLength(10)
    expect([count(USDT), count(USDC), count(WETH), count(MINTED)]).toEqual([4, 4, 1, 1])
    expect(movements.map((m) => m.eventIndex)).toEqual([0, 3, 5, 6, 8, 9, 10, 11, 15, 16])
    expect(movements.every((m) => m.slotOrBlock === 150_000_000 && m.decimals === null)).toBe(true)
  })

  it('reads exact amounts and lower-case parties', () => {
    expect(movements[0]).toEqual({
      chain: 'arbitrum-one',
      txId: '0x02df6da97872f8a3e9760212bd548fc74663bd7f844f73969c81082ce7d3d632',
      slotOrBlock: 150_000_000,
      // The logs carry `blockTimestamp`, equal to the block's own timestamp (0x65521717).
      blockTime: new Date(0x65521717 * 1000),
      eventIndex: 0,
      kind: 'transfer',
      token: USDT,
      amountRaw: 13_041_188_336n,
      decimals: null,
      from: '0x769d6a494aef318b175b76ec19dcbef3ac6f4a05',
      to: '0x5e236e21631efed73420b6ed9275a30ca5aa82df',
    })
    expect(movements.find((m) => m.token === USDC)?.amountRaw).toBe(13_045_941_762n)
    expect(movements.find((m) => m.token === WETH)).toMatchObject({
      amountRaw: 5_062_488_610_000_000_000n,
      from: '0x641c00a822e8b671738d32a431a4fb6074e5c79d',
      to: '0x34838aa2c6b9a1440211d93b260f520ff3ee1188',
    })
  })

  it('classifies the Transfer from 0x0 as a mint with no sender', () => {
    expect(movements.filter((m) => m.kind !== 'transfer')).toEqual([
      expect.objectContaining({
        kind: 'mint',
        token: MINTED,
        amountRaw: 111_430_000_000_000_000_000n,
        from: null,
        to: '0xc31a6c0c1087bbb6e6660f27014ad1321591c641',
        eventIndex: 11,
      }),
    ])
  })

  it('skips the receipts of reverted transactions (derived copy: status 0x0)', () => {
    const reverted = derive(receipts, (copy) => {
      asRecord((copy as unknown[])[1])['status'] = '0x0'
    })
    const kept = decodeReceiptTransfers('arbitrum-one', reverted)
    expect(kept.map((m) => m.eventIndex)).toEqual([11, 15, 16])
  })

  it('filters by emitting contract', () => {
    expect(
      decodeReceiptTransfers('arbitrum-one', receipts, { addresses: [WETH.toUpperCase()] }),
    ).toHaveLength(1)
  })
})

describe('decodeEventLogs: pluggable ABIs', () => {
  it('decodes Uniswap-v3-style Swap events of the Arbitrum block with their coordinates', () => {
    const swap = new Interface([
      'event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)',
    ])
    const logs = successfulReceiptLogs(
      loadRpcResult('evm/squid_arbitrum-one_150000000_eth_getBlockReceipts_result.json'),
    )
    const events = decodeEventLogs(swap, logs)
    expect(events.map((e) => [e.address, e.logIndex, e.txIndex])).toEqual([
      ['0xdf63268af25a2a69c07d09a88336cd9424269a1f', 7, 1],
      ['0x641c00a822e8b671738d32a431a4fb6074e5c79d', 17, 4],
    ])
    expect(events[0]).toMatchObject({ name: 'Swap', blockNumber: 150_000_000 })
    expect(events[0]?.args.getValue('amount0')).toBe(-13_045_941_762n)
    expect(events[0]?.args.getValue('amount1')).toBe(13_041_188_336n)
    expect(events[1]?.args.getValue('tick')).toBe(-200_075n)
  })

  it('decodes a 2016 event with non-indexed arguments, and skips it under an indexed ABI', () => {
    const logs = successfulReceiptLogs(
      loadRpcResult('evm/squid_ethereum_1000000_eth_getBlockReceipts_result.json'),
    )
    const plain = decodeEventLogs(new Interface(['event Deposit(address from, uint256 value)']), logs)
    expect(plain).toHaveLength(1)
    expect(plain[0]).toMatchObject({
      address: '0xc083e9947cf02b8ffc7d3090ae9aea72df98fd47',
      blockNumber: 1_000_000,
      blockTime: new Date(0x56bfb415 * 1000),
      signature: 'Deposit(address,uint256)',
    })
    expect(plain[0]?.args.getValue('value')).toBe(100n * 10n ** 18n)
    const indexed = new Interface(['event Deposit(address indexed from, uint256 value)'])
    expect(decodeEventLogs(indexed, logs)).toEqual([])
  })
})

describe('decodeReceiptTransfers: other receipts', () => {
  it('Ethereum 18,000,000 receipt index 44: 1,800 USDC with the log blockTimestamp', () => {
    const receipt = loadRpcResult('evm/squid_ethereum_18000000_receipt-index44_usdc-transfer_0x513a4abc.json')
    expect(decodeReceiptTransfers('ethereum', receipt)).toEqual([
      {
        chain: 'ethereum',
        txId: '0x513a4abc759c2d30fd7f5a7e5239e72fccc1b24491b1ed99fa9f24b96e36fc88',
        slotOrBlock: 18_000_000,
        blockTime: new Date(0x64ea268f * 1000),
        eventIndex: 0xb0,
        kind: 'transfer',
        token: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
        amountRaw: 1_800_000_000n,
        decimals: null,
        from: '0x7b60e46eba142b7e95e967c1e34cfb862385ee53',
        to: '0x91a559d248a216d1dd17c4d39f51bda9bd1de7e2',
      },
    ])
  })

  it('TheDAO transfer (pre-Byzantium receipt: root, no status) counts as successful', () => {
    const receipt = loadRpcResult(
      'evm/ethereum-etl_eth_getTransactionReceipt_thedao-transfer_block-1755635.json',
    )
    expect(asRecord(receipt)['status']).toBeUndefined()
    const movements = decodeReceiptTransfers('ethereum', receipt)
    // The second log (a TheDAO-specific event) is not a Transfer.
    expect(movements).toEqual([
      expect.objectContaining({
        txId: '0x2e3dcd051a91d3a694f6b8de2ac4b5fe7acdba55f58bcf8471ff00d4a430074d',
        slotOrBlock: 1_755_635,
        eventIndex: 0,
        token: '0xbb9bc244d798123fde783fcc1c72d3bb8c189413',
        amountRaw: 5n * 10n ** 18n,
        from: '0x6498077292a0921c8804924fdf47b5e91e2a215f',
        to: '0x8b3b3b624c3c0397d3da8fd861512393d51dcbac',
      }),
    ])
  })

  it('Ethereum 1,000,000 receipts: no Transfer logs', () => {
    expect(
      decodeReceiptTransfers(
        'ethereum',
        loadRpcResult('evm/squid_ethereum_1000000_eth_getBlockReceipts_result.json'),
      ),
    ).toEqual([])
  })
})

describe('decodeTransferLogs: ethereum-etl eth_getFilterLogs (Parity fields)', () => {
  const logs = loadRpcResult('evm/ethereum-etl_eth_getFilterLogs_erc20-transfer_block-0x76250.json')

  it('decodes both Transfers of block 0x76250', () => {
    const movements = decodeTransferLogs('ethereum', logs)
    expect(movements.map((m) => [m.eventIndex, m.txId.slice(0, 10), m.amountRaw, m.from, m.to])).toEqual([
      [
        0,
        '0x04cbcb23',
        100_000n,
        '0x1b63142628311395ceafeea5667e7c9026c862ca',
        '0xac4df82fe37ea2187bc8c011a23d743b4f39019a',
      ],
      [
        1,
        '0xcea6f897',
        200_000n,
        '0x9b22a80d5c7b3374a05b446081f97d0a34079e7f',
        '0x66f183060253cfbe45beff1e6e7ebbe318c81e56',
      ],
    ])
    expect(movements.every((m) => m.token === '0xf4eced2f682ce333f96f2d8966c613ded8fc95dd')).toBe(true)
    expect(movements.every((m) => m.slotOrBlock === 0x76250 && m.blockTime === null)).toBe(true)
  })

  it('skips logs marked removed by a reorg (derived copy)', () => {
    const removed = derive(logs, (copy) => {
      asRecord((copy as unknown[])[0])['removed'] = true
    })
    expect(decodeTransferLogs('ethereum', removed).map((m) => m.eventIndex)).toEqual([1])
  })

  it('skips ERC-721 Transfers, which share the topic but index the token id (derived copy)', () => {
    const nft = derive(logs, (copy) => {
      const log = asRecord((copy as unknown[])[0])
      log['topics'] = [...(log['topics'] as string[]), `0x${'0'.repeat(63)}7`]
      log['data'] = '0x'
    })
    expect(decodeTransferLogs('ethereum', nft).map((m) => m.eventIndex)).toEqual([1])
  })
})
