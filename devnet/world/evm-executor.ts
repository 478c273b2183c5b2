import { encodeBytes32String, Interface, MaxUint256, type JsonRpcProvider } from 'ethers'
import type { DevnetDeployment } from '../evm/deploy.js'
import type { EvmAction, World } from './model.js'

/** Wallet labels of the Aethir-like network mapped to anvil's funded dev accounts. */
export function evmWallets(world: World, accounts: readonly string[]): Map<string, string> {
  const labels = [
    ...new Set(world.nodes.filter((n) => n.network === 'aethir').map((n) => n.operator)),
    ...world.customers.filter((c) => c.network === 'aethir').map((c) => c.id),
  ]
  if (labels.length + 1 > accounts.length) throw new Error(`anvil needs ${labels.length + 1} accounts`)
  return new Map(labels.map((label, i) => [label, (accounts[i + 1] ?? '').toLowerCase()]))
}

export function evmAccountsNeeded(world: World): number {
  const operators = new Set(world.nodes.filter((n) => n.network === 'aethir').map((n) => n.operator)).size
  return operators + world.customers.filter((c) => c.network === 'aethir').length + 1
}

/** On-chain job id: the world's label as bytes32 text, so chain and ground truth name jobs alike. */
export const evmJobId = (label: string): string => encodeBytes32String(label)

/**
 * Replays the world's EVM transactions on anvil, each in its own block at exactly its planned time
 * (evm_setNextBlockTimestamp + automine), from unlocked dev accounts.
 */
export class EvmExecutor {
  private readonly token: Interface
  private readonly market: Interface
  private readonly pool: Interface
  private unverified: string[] = []

  constructor(
    private readonly rpcUrl: string,
    private readonly provider: JsonRpcProvider,
    private readonly deployment: DevnetDeployment,
    private readonly wallets: Map<string, string>,
  ) {
    this.token = new Interface(deployment.abis.stablecoin)
    this.market = new Interface(deployment.abis.market)
    this.pool = new Interface(deployment.abis.rewardPool)
  }

  private address(label: string): string {
    const address = this.wallets.get(label)
    if (!address) throw new Error(`no EVM account for ${label}`)
    return address
  }

  private async rpc(
    body: object[],
  ): Promise<{ id: number; result?: unknown; error?: { message: string } }[]> {
    const res = await fetch(this.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[]
  }

  /**
   * Sends the transaction to the pool, then mines it alone in a block at exactly `time`
   * (`evm_mine` with a timestamp, automine off): two calls, no receipt polling. Receipts are
   * checked in bulk by `verify`.
   */
  private async send(time: Date, from: string, to: string, data: string): Promise<void> {
    const [sent] = await this.rpc([
      { jsonrpc: '2.0', id: 1, method: 'eth_sendTransaction', params: [{ from, to, data, gas: '0x1e8480' }] },
    ])
    if (sent?.error || typeof sent?.result !== 'string') {
      throw new Error(
        `EVM devnet refused a world transaction at ${time.toISOString()}: ${JSON.stringify(sent?.error)}`,
      )
    }
    const [mined] = await this.rpc([
      { jsonrpc: '2.0', id: 2, method: 'evm_mine', params: [Math.floor(time.getTime() / 1000)] },
    ])
    if (mined?.error)
      throw new Error(`EVM devnet could not mine at ${time.toISOString()}: ${JSON.stringify(mined.error)}`)
    this.unverified.push(sent.result)
    if (this.unverified.length >= 500) await this.verify()
  }

  /** Every transaction sent since the last check was mined and succeeded (a revert is a world bug). */
  async verify(): Promise<void> {
    const hashes = this.unverified
    this.unverified = []
    if (hashes.length === 0) return
    const replies = await this.rpc(
      hashes.map((hash, id) => ({ jsonrpc: '2.0', id, method: 'eth_getTransactionReceipt', params: [hash] })),
    )
    const failed = replies.find((r) => (r.result as { status?: string } | null)?.status !== '0x1')
    if (failed) throw new Error(`world transaction ${hashes[failed.id]} did not succeed`)
  }

  /** Customers approve the market once, before the world starts (no token moves). */
  async prepare(before: Date): Promise<void> {
    await this.rpc([{ jsonrpc: '2.0', id: 0, method: 'evm_setAutomine', params: [false] }])
    const { market, stablecoin } = this.deployment.addresses
    let t = Math.floor(before.getTime() / 1000) - this.wallets.size - 10
    for (const [label, address] of this.wallets) {
      if (!label.includes('-customer-')) continue
      await this.send(
        new Date(t++ * 1000),
        address,
        stablecoin,
        this.token.encodeFunctionData('approve', [market, MaxUint256]),
      )
    }
  }

  async execute(action: EvmAction): Promise<void> {
    const { market, stablecoin, rewardPool } = this.deployment.addresses
    const owner = this.deployment.accounts[0] ?? ''
    const c = action.call
    switch (c.fn) {
      case 'mintStable':
        return this.send(
          action.time,
          owner,
          stablecoin,
          this.token.encodeFunctionData('mint', [this.address(c.to), c.raw]),
        )
      case 'postJob':
        return this.send(
          action.time,
          this.address(c.customer),
          market,
          this.market.encodeFunctionData('postJob', [
            evmJobId(c.jobId),
            this.address(c.provider),
            c.raw,
            c.gpuCount,
            c.gpuModel,
          ]),
        )
      case 'startJob':
        return this.send(
          action.time,
          this.address(c.provider),
          market,
          this.market.encodeFunctionData('startJob', [evmJobId(c.jobId)]),
        )
      case 'finishJob':
        return this.send(
          action.time,
          this.address(c.provider),
          market,
          this.market.encodeFunctionData('finishJob', [evmJobId(c.jobId), c.status]),
        )
      case 'cancelJob':
        return this.send(
          action.time,
          this.address(c.customer),
          market,
          this.market.encodeFunctionData('cancelJob', [evmJobId(c.jobId)]),
        )
      case 'distribute':
        return this.send(
          action.time,
          owner,
          rewardPool,
          this.pool.encodeFunctionData('distribute', [
            c.day,
            c.operators.map((o) => this.address(o)),
            c.amounts,
          ]),
        )
    }
  }
}
