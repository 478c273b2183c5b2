import { describe, expect, it } from 'vitest'

import { decodeSignatures } from '../../../ingest/chains/solana/decode-signatures.js'
import { loadRpcResult } from './fixtures.js'

describe('decodeSignatures (solana-go getSignaturesForAddress, 2021)', () => {
  it('parses the first 20 entries, all successful and finalized, newest first', () => {
    const entries = decodeSignatures(
      loadRpcResult('solana/solana-go_getSignaturesForAddress_result_2021_first20.json'),
    )
    expect(entries).toHaveLength(20)
    expect(entries[0]).toEqual({
      signature: '4Yig3yd33o2hyZV2qZBJkScDArwVmzurkxhBfKdqJeujTrdKHwrR3U8KR6LrhN5eWNTyugS5rkkYagVXCNnk7pks',
      slot: 83994671,
      failed: false,
      err: null,
      blockTime: new Date(1625231961 * 1000),
      confirmationStatus: 'finalized',
      memo: null,
    })
    expect(entries.every((e) => !e.failed && e.confirmationStatus === 'finalized')).toBe(true)
    expect(entries.at(-1)?.slot).toBe(83983619)
  })

  it('marks the entry with an InstructionError as failed and keeps the error', () => {
    const entries = decodeSignatures(
      loadRpcResult('solana/solana-go_getSignaturesForAddress_result_2021_entries275-284_with-err.json'),
    )
    expect(entries).toHaveLength(10)
    expect(entries.filter((e) => e.failed).map((e) => e.signature)).toEqual([
      '56GwQaUZWAH3HhxKgUE5NtAgXYA7KRZTjoBSMfEo16fKiYM6yWtcH9EaHY61ccvfZX6b7qjtYwxoGSsL5UWjUiVr',
    ])
    expect(entries[4]).toMatchObject({
      slot: 83971490,
      failed: true,
      err: { InstructionError: [0, { Custom: 21 }] },
    })
  })

  it('rejects what is not a signature list', () => {
    expect(() => decodeSignatures({ signature: 'x' })).toThrow()
  })
})
