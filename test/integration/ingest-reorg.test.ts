import { Interface, id as topicOf } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reorg } from '../../devnet/evm/deploy.js'
import { ClickHouseSink } from '../../ingest/chains/clickhouse-sink.js'
import { EvmSource } from '../../ingest/chains/evm/source.js'
import { unitsToRaw } from '../../ingest/chains/units.js'
import { indexUntilCaughtUp } from '../../ingest/chains/source.js'
import { TablePriceSource } from '../../ingest/prices/price-source.js'
import { CheckpointStore } from '../../ingest/store/checkpoints.js'
import { Store } from '../../ingest/store/store.js'
import { startEvmDevnet, type EvmDevnet } from '../support/evm-devnet.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

const TRANSFER = topicOf('Transfer(address,address,uint256)')
let devnet: EvmDevnet
let temp: TempDb
let orphaned: string[] = []

interface Flow {
  tx: string
  index: number
  amount: bigint
}

/** The stablecoin's Transfers on the node's current chain: the truth after the reorg. */
async function chainTransfers(): Promise<Flow[]> {
  const logs = await devnet.provider.getLogs({
    address: devnet.dep.addresses.stablecoin,
    topics: [TRANSFER],
    fromBlock: 0,
    toBlock: 'latest',
  })
  return logs.map((l) => ({ tx: l.transactionHash.toLowerCase(), index: l.index, amount: BigInt(l.data) }))
}

async function storedTransfers(): Promise<Flow[]> {
  const result = await temp.db.writer.query({
    query: `SELECT tx_id, event_index, toString(amount) AS amount FROM token_flows FINAL ORDER BY block_number, event_index`,
    format: 'JSONEachRow',
  })
  return (await result.json<{ tx_id: string; event_index: number; amount: string }>()).map((r) => ({
    tx: r.tx_id,
    index: r.event_index,
    amount: unitsToRaw(r.amount, 6),
  }))
}

beforeAll(async () => {
  devnet = await startEvmDevnet({ startTime: 1_767_225_600, accounts: 6 })
  temp = await openTempDb()
  const { dep, provider } = devnet
  const token = new Interface(dep.abis.stablecoin)
  const [owner, ...users] = dep.accounts
  const send = (from: string, data: string) =>
    provider.send('eth_sendTransaction', [{ from, to: dep.addresses.stablecoin, data, gas: '0x100000' }])
  for (const user of users) await send(owner ?? '', token.encodeFunctionData('mint', [user, 1_000_000_000n]))
  for (let i = 0; i < 30; i++) {
    const from = users[i % users.length] ?? ''
    const to = users[(i + 1) % users.length] ?? ''
    await send(from, token.encodeFunctionData('transfer', [to, BigInt(1_000 + i)]))
  }
  const deployment = {
    network: 'test',
    tokens: [
      { symbol: 'USDC', chain: 'arbitrum', address: dep.addresses.stablecoin, decimals: 6, shared: false },
    ],
    accounts: [],
    rules: [
      {
        token: 'USDC',
        movement: 'transfer' as const,
        from: 'any' as const,
        to: 'any' as const,
        kind: 'customer_payment' as const,
        note: 'every transfer is a payment, so the daily snapshot has something to retract',
      },
    ],
    explorers: {},
  }
  const store = new Store(temp.db.writer)
  const source = () =>
    new EvmSource({
      sourceId: 'reorg-test',
      chain: 'arbitrum',
      rpcUrl: devnet.anvil.rpcUrl,
      tokens: [dep.addresses.stablecoin],
      startBlock: dep.fromBlock,
      finalityDepth: 10,
      checkpoints: new CheckpointStore(temp.db.writer),
      sink: new ClickHouseSink(store, temp.db.writer, [deployment], new TablePriceSource(temp.db.writer)),
    })
  await indexUntilCaughtUp(source())
  const before = new Set((await chainTransfers()).map((f) => f.tx))
  await reorg(provider, 5, [
    {
      tx: {
        from: users[0] ?? '',
        to: dep.addresses.stablecoin,
        data: token.encodeFunctionData('transfer', [users[2], 77_777n]),
      },
      blockOffset: 1,
    },
    {
      tx: {
        from: users[1] ?? '',
        to: dep.addresses.stablecoin,
        data: token.encodeFunctionData('transfer', [users[3], 88_888n]),
      },
      blockOffset: 3,
    },
  ])
  const after = new Set((await chainTransfers()).map((f) => f.tx))
  orphaned = [...before].filter((tx) => !after.has(tx))
  await indexUntilCaughtUp(source())
}, 300_000)
afterAll(async () => {
  await devnet?.stop()
  await temp?.dispose()
})

describe('a reorg of depth 5 on the EVM devnet, indexed into ClickHouse', () => {
  it('orphaned five blocks of transfers', () => {
    expect(orphaned.length).toBe(5)
  })

  it('leaves exactly the new chain: orphaned rows gone, new branch present, totals exact', async () => {
    const stored = await storedTransfers()
    const chain = await chainTransfers()
    expect(stored.map((f) => f.tx).filter((tx) => orphaned.includes(tx))).toEqual([])
    expect(stored.map((f) => `${f.tx}:${f.index}:${f.amount}`).sort()).toEqual(
      chain.map((f) => `${f.tx}:${f.index}:${f.amount}`).sort(),
    )
    expect(stored.some((f) => f.amount === 77_777n) && stored.some((f) => f.amount === 88_888n)).toBe(true)
    expect(stored.reduce((s, f) => s + f.amount, 0n)).toBe(chain.reduce((s, f) => s + f.amount, 0n))
  })

  it('recomputed the daily snapshot: its payments are the transfers of the new chain only', async () => {
    const logs = await devnet.provider.getLogs({
      address: devnet.dep.addresses.stablecoin,
      topics: [TRANSFER],
      fromBlock: 0,
      toBlock: 'latest',
    })
    // Mints (from the zero address) are not transfers, so no rule makes them payments.
    const transfers = logs.filter((l) => BigInt(l.topics[1] ?? 0) !== 0n)
    const payers = new Set(transfers.map((l) => l.topics[1]))
    const result = await temp.db.writer.query({
      query: `SELECT sum(payment_flows) AS flows, uniqExactArray(payment_payers) AS payers
              FROM flows_daily FINAL WHERE network = 'test'`,
      format: 'JSONEachRow',
    })
    const [snapshot] = await result.json<{ flows: string; payers: string }>()
    expect(Number(snapshot?.flows)).toBe(transfers.length)
    expect(Number(snapshot?.payers)).toBe(payers.size)
  })
})
