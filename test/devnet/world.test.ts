import { createHash } from 'node:crypto'
import { Interface, id as topicOf, type JsonRpcProvider } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '../../devnet/evm/anvil.js'
import { deployDevnet, devnetProvider, type DevnetDeployment } from '../../devnet/evm/deploy.js'
import { worldConfig } from '../../devnet/world/config.js'
import { EvmExecutor, evmAccountsNeeded, evmJobId, evmWallets } from '../../devnet/world/evm-executor.js'
import type { World } from '../../devnet/world/model.js'
import { makeWorld } from '../../devnet/world/plan.js'
import { rawToUnits } from '../../ingest/chains/units.js'
import { groundTruth } from '../../devnet/world/truth.js'
import { groundTruthText } from '../../devnet/world/truth-file.js'

const config = worldConfig({ seed: 42, days: 30 })
const TRANSFER = topicOf('Transfer(address,address,uint256)')

describe('world ground truth', () => {
  it('is byte-identical for the same seed, and differs for another', () => {
    const text = (seed: number) => {
      const { world, prices } = makeWorld({ ...config, seed })
      return groundTruthText(groundTruth(world, prices))
    }
    const a = text(42)
    const hash = (s: string) => createHash('sha256').update(s).digest('hex')
    expect(hash(text(42))).toBe(hash(a))
    expect(hash(text(7))).not.toBe(hash(a))
  })

  it('has customers arriving and churning, liars, ghosts and failures', () => {
    const { world, prices } = makeWorld(config)
    const truth = groundTruth(world, prices)
    expect(new Set(truth.customers.map((c) => c.cohortMonth)).size).toBeGreaterThan(1)
    expect(world.customers.some((c) => c.churnAt !== null)).toBe(true)
    expect(truth.nodes.some((n) => n.verification === 'mismatch')).toBe(true)
    expect(truth.nodes.some((n) => n.ghost)).toBe(true)
    expect(world.jobs.some((j) => j.status === 'failed')).toBe(true)
    expect(new Set(world.nodes.map((n) => n.actualModel)).size).toBeGreaterThanOrEqual(5)
  })
})

describe('world on the EVM devnet (30 days, seed 42)', () => {
  let anvil: AnvilHandle
  let provider: JsonRpcProvider
  let deployment: DevnetDeployment
  let world: World

  beforeAll(async () => {
    world = makeWorld(config).world
    anvil = await startAnvil({
      startTime: Math.floor(config.start.getTime() / 1000) - 86_400,
      accounts: evmAccountsNeeded(world) + 1,
    })
    provider = devnetProvider(anvil.rpcUrl)
    deployment = await deployDevnet(provider)
    const executor = new EvmExecutor(anvil.rpcUrl, deployment, evmWallets(world, deployment.accounts))
    await executor.prepare(config.start)
    for (const action of world.actions) if (action.chain === 'arbitrum') await executor.execute(action)
    await executor.verify()
  }, 300_000)
  afterAll(() => anvil?.stop())

  const logs = (address: string, topics: (string | null)[]) =>
    provider.getLogs({ address, topics, fromBlock: 0, toBlock: 'latest' })

  it('minted exactly the reward emissions: ATH supply equals the emitted total', async () => {
    const emitted = world.actions
      .flatMap((a) => a.flows)
      .filter((f) => f.token === 'ATHARB' && f.kind === 'reward_emission')
      .reduce((s, f) => s + f.raw, 0n)
    const supply = (await deployment.contracts.rewardToken.getFunction('totalSupply')()) as bigint
    expect(rawToUnits(supply, 18)).toBe(rawToUnits(emitted, 18))
    const mints = await logs(deployment.addresses.rewardToken, [TRANSFER, `0x${'0'.repeat(64)}`])
    expect(mints.length).toBe(
      world.actions
        .flatMap((a) => a.flows)
        .filter((f) => f.token === 'ATHARB' && f.kind === 'reward_emission').length,
    )
  })

  it('carries every job event: posted, started and finished with its status', async () => {
    const market = new Interface(deployment.abis.market)
    const events = (await logs(deployment.addresses.market, [])).map((l) => market.parseLog(l))
    const jobs = world.jobs.filter((j) => j.network === 'aethir')
    const posted = new Set(events.filter((e) => e?.name === 'JobPosted').map((e) => e?.args[0] as string))
    expect(posted).toEqual(new Set(jobs.map((j) => evmJobId(j.id))))
    const started = events.filter((e) => e?.name === 'JobStarted').length
    expect(started).toBe(jobs.filter((j) => j.started).length)
    const finished = events.filter((e) => e?.name === 'JobFinished').map((e) => Number(e?.args[3]))
    const code = { succeeded: 1, failed: 2, timed_out: 3, cancelled: 4 } as const
    expect(finished.sort()).toEqual(jobs.map((j) => code[j.status]).sort())
  })

  it('settles stablecoin payments as the world planned, to the unit', async () => {
    const planned = world.actions
      .flatMap((a) => a.flows)
      .filter((f) => f.token === 'USDCARB' && f.kind === 'customer_payment')
      .reduce((s, f) => s + f.raw, 0n)
    const toMarket = await logs(deployment.addresses.stablecoin, [
      TRANSFER,
      null,
      `0x${deployment.addresses.market.slice(2).toLowerCase().padStart(64, '0')}`,
    ])
    expect(toMarket.reduce((s, l) => s + BigInt(l.data), 0n)).toBe(planned)
  })
})
