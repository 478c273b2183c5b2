import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { worldConfig } from '../../devnet/world/config.js'
import { evmDeployments } from '../../devnet/world/deployment.js'
import type { World } from '../../devnet/world/model.js'
import { makeWorld } from '../../devnet/world/plan.js'
import { priceRows } from '../../devnet/world/publish.js'
import { startEvmWorld, type EvmWorldChain } from '../../devnet/world/run-evm.js'
import { groundTruth, type GroundTruth } from '../../devnet/world/truth.js'
import { ClickHouseSink } from '../../ingest/chains/clickhouse-sink.js'
import { EvmSource } from '../../ingest/chains/evm/source.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { TablePriceSource } from '../../ingest/prices/price-source.js'
import { CheckpointStore } from '../../ingest/store/checkpoints.js'
import { Store } from '../../ingest/store/store.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

let temp: TempDb
let chain: EvmWorldChain
let world: World
let truth: GroundTruth

beforeAll(async () => {
  const made = makeWorld(worldConfig({ seed: 42, days: 30 }))
  world = made.world
  truth = groundTruth(world, made.prices)
  chain = await startEvmWorld(world)
  for (const action of world.actions) if (action.chain === 'arbitrum') await chain.executor.execute(action)

  temp = await openTempDb()
  const store = new Store(temp.db.writer)
  const { addresses, abis } = chain.deployment
  const tokens = new Map([
    ['ATHARB', addresses.rewardToken],
    ['USDCARB', addresses.stablecoin],
  ])
  await store.insert('prices', priceRows(world, tokens))
  const sink = new ClickHouseSink(
    store,
    temp.db.writer,
    evmDeployments(loadCatalog(), chain.deployment),
    new TablePriceSource(temp.db.writer),
  )
  const source = new EvmSource({
    sourceId: 'aethir-arbitrum',
    chain: 'arbitrum',
    rpcUrl: chain.anvil.rpcUrl,
    tokens: [addresses.rewardToken, addresses.stablecoin],
    market: { address: addresses.market, abi: abis.market },
    startBlock: chain.deployment.fromBlock,
    finalityDepth: 0,
    checkpoints: new CheckpointStore(temp.db.writer),
    sink,
  })
  while ((await source.step()).advanced) {
    /* index until caught up */
  }
}, 600_000)
afterAll(async () => {
  await chain?.anvil.stop()
  await temp?.dispose()
})

describe('EVM world ingested through the real source (30 days, seed 42)', () => {
  it('has token flows per network, day, kind and token equal to the ground truth', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT network, toString(toDate(block_time)) AS day, kind, token_symbol AS token,
                     count() AS count, toString(sum(amount)) AS amount
              FROM token_flows FINAL GROUP BY network, day, kind, token ORDER BY network, day, kind, token`,
      format: 'JSONEachRow',
    })
    const stored = (
      await result.json<{
        network: string
        day: string
        kind: string
        token: string
        count: string
        amount: string
      }>()
    ).map((r) => ({
      ...r,
      count: Number(r.count),
      amount: r.amount.includes('.') ? r.amount.replace(/\.?0+$/, '') : r.amount,
    }))
    const expected = truth.flows
      .filter((f) => f.network === 'aethir')
      .map(({ network, day, kind, token, count, amount }) => ({ network, day, kind, token, count, amount }))
    expect(stored).toEqual(expected)
  })

  it('values each flow in USD at its block time', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT network, toString(toDate(block_time)) AS day, kind, token_symbol AS token, sum(amount_usd) AS usd,
                     countIf(amount_usd IS NULL) AS missing
              FROM token_flows FINAL GROUP BY network, day, kind, token ORDER BY network, day, kind, token`,
      format: 'JSONEachRow',
    })
    const stored = await result.json<{ usd: number; missing: string }>()
    const expected = truth.flows.filter((f) => f.network === 'aethir')
    expect(stored.map((r) => Number(r.missing))).toEqual(expected.map(() => 0))
    stored.forEach((r, i) =>
      expect(Math.abs(r.usd - (expected[i]?.usd ?? NaN)) / Math.max(1, r.usd)).toBeLessThan(1e-9),
    )
  })

  it('has every job with its final status, as the world settled them', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT toString(toDate(ended_at)) AS day, status, count() AS n FROM jobs
              WHERE network = 'aethir' AND ended_at IS NOT NULL GROUP BY day, status ORDER BY day, status`,
      format: 'JSONEachRow',
    })
    const stored = (await result.json<{ day: string; status: string; n: string }>()).map((r) => ({
      ...r,
      n: Number(r.n),
    }))
    const expected = truth.daily
      .filter((d) => d.network === 'aethir')
      .flatMap((d) =>
        Object.entries(d.jobs)
          .filter(([, n]) => n > 0)
          .map(([status, n]) => ({ day: d.day, status, n })),
      )
      .sort((a, b) => `${a.day}${a.status}`.localeCompare(`${b.day}${b.status}`))
    expect(stored).toEqual(expected)
  })
})
