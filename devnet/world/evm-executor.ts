import { encodeBytes32String, Interface, MaxUint256 } from 'ethers'
import type { DevnetDeployment } from '../evm/deploy.js'
import { PipelinedRpc } from '../evm/pipelined-rpc.js'
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

interface Receipt {
  status?: string
  blockNumber?: string
}

/** A sent transaction: its hash once anvil accepted and mined it, or why it did not. */
type Sent = { hash: string } | { error: string }

// Transactions in flight before the oldest are checked; the rest stay in the pipeline meanwhile.
const CHECK_EVERY = 500

/**
 * Replays the world's EVM transactions on anvil, each alone in its own block at exactly its planned
 * time (automine off, `evm_mine` with a timestamp), from unlocked dev accounts. Requests are
 * pipelined on one connection (see PipelinedRpc): `execute` returns once the transaction and its
 * `evm_mine` are written, and receipts are checked in bulk, 500 at a time and by `verify`.
 */
export class EvmExecutor {
  private readonly token: Interface
  private readonly market: Interface
  private readonly pool: Interface
  private readonly rpc: PipelinedRpc
  private unverified: Promise<Sent>[] = []

  constructor(
    rpcUrl: string,
    private readonly deployment: DevnetDeployment,
    private readonly wallets: Map<string, string>,
  ) {
    this.token = new Interface(deployment.abis.stablecoin)
    this.market = new Interface(deployment.abis.market)
    this.pool = new Interface(deployment.abis.rewardPool)
    this.rpc = new PipelinedRpc(rpcUrl)
  }

  private address(label: string): string {
    const address = this.wallets.get(label)
    if (!address) throw new Error(`no EVM account for ${label}`)
    return address
  }

  /** Sends the transaction to the pool, then mines it alone in a block at exactly `time`. */
  private send(time: Date, from: string, to: string, data: string, onMined?: () => void): Promise<void> {
    const at = time.toISOString()
    const hash = this.rpc.call('eth_sendTransaction', [{ from, to, data, gas: '0x1e8480' }])
    const mined = this.rpc.call('evm_mine', [Math.floor(time.getTime() / 1000)])
    this.unverified.push(
      Promise.all([hash, mined]).then(
        ([sent]): Sent => {
          onMined?.()
          return { hash: String(sent) }
        },
        (err: Error): Sent => ({ error: `EVM devnet refused a world transaction at ${at}: ${err.message}` }),
      ),
    )
    if (this.unverified.length < 2 * CHECK_EVERY) return Promise.resolve()
    return this.check(this.unverified.splice(0, CHECK_EVERY))
  }

  /** Every transaction sent since the last check was mined and succeeded (a revert is a world bug). */
  async verify(): Promise<void> {
    await this.check(this.unverified.splice(0))
  }

  private async check(batch: Promise<Sent>[]): Promise<void> {
    const sent = await Promise.all(batch)
    const hashes = sent.map((s) => {
      if ('error' in s) throw new Error(s.error)
      return s.hash
    })
    const replies = await this.rpc.batch(
      hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
    )
    const receipts = replies.map((r) => r.result as Receipt | null)
    const failed = receipts.findIndex((r) => r?.status !== '0x1')
    if (failed >= 0) throw new Error(`world transaction ${hashes[failed]} did not succeed`)
    // Each alone in the next block, as written: else a block would not carry its transaction's time.
    const misplaced = receipts.findIndex(
      (r, i) => i > 0 && Number(r?.blockNumber) !== Number(receipts[i - 1]?.blockNumber) + 1,
    )
    if (misplaced >= 0) throw new Error(`world transaction ${hashes[misplaced]} is not alone in its block`)
  }

  /** Customers approve the market once, before the world starts (no token moves). */
  async prepare(before: Date): Promise<void> {
    await this.rpc.call('evm_setAutomine', [false])
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

  /** Closes the connection to anvil (after `verify`: nothing is in flight then). */
  close(): void {
    this.rpc.close()
  }

  /** Writes the action's transaction; `onMined` runs once anvil has mined it. */
  execute(action: EvmAction, onMined?: () => void): Promise<void> {
    const { from, to, data } = this.transaction(action.call)
    return this.send(action.time, from, to, data, onMined)
  }

  private transaction(c: EvmAction['call']): { from: string; to: string; data: string } {
    const { market, stablecoin, rewardPool } = this.deployment.addresses
    const owner = this.deployment.accounts[0] ?? ''
    switch (c.fn) {
      case 'mintStable':
        return {
          from: owner,
          to: stablecoin,
          data: this.token.encodeFunctionData('mint', [this.address(c.to), c.raw]),
        }
      case 'postJob':
        return {
          from: this.address(c.customer),
          to: market,
          data: this.market.encodeFunctionData('postJob', [
            evmJobId(c.jobId),
            this.address(c.provider),
            c.raw,
            c.gpuCount,
            c.gpuModel,
          ]),
        }
      case 'startJob':
        return {
          from: this.address(c.provider),
          to: market,
          data: this.market.encodeFunctionData('startJob', [evmJobId(c.jobId)]),
        }
      case 'finishJob':
        return {
          from: this.address(c.provider),
          to: market,
          data: this.market.encodeFunctionData('finishJob', [evmJobId(c.jobId), c.status]),
        }
      case 'cancelJob':
        return {
          from: this.address(c.customer),
          to: market,
          data: this.market.encodeFunctionData('cancelJob', [evmJobId(c.jobId)]),
        }
      case 'distribute':
        return {
          from: owner,
          to: rewardPool,
          data: this.pool.encodeFunctionData('distribute', [
            c.day,
            c.operators.map((o) => this.address(o)),
            c.amounts,
          ]),
        }
    }
  }
}
