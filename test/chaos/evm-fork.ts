/**
 * The EVM reorg of the chaos run. The world's own transactions are its ground truth, so the reorg
 * must not change them: blocks that the world never made ("decoys") are mined on top of the tip,
 * each holding a job the world never posted (a USDC payment into the market and a JobPosted event),
 * the ingest indexes them, then a reorg replaces exactly those blocks with a branch of as many blocks
 * that holds one plain ETH transfer (no token, no market log). What Plumb stores must end up as the
 * world again: the decoys' flows, job events and daily snapshot counts retracted.
 *
 * `anvil_reorg` (test/devnet/evm-reorg.test.ts) needs the state at the fork point, which the world's
 * anvil does not keep (it runs with --prune-history, devnet/world/run-evm.ts: "Required data
 * unavailable"). So the fork point is an `evm_snapshot`; the reorg is `evm_revert` to it followed by
 * mining the new branch. An RPC client sees the same thing: the blocks at the decoys' heights now
 * have other hashes, and the decoy transactions are gone.
 */
import { Interface } from 'ethers'
import { evmJobId } from '../../devnet/world/evm-executor.js'
import type { WorldChains } from '../../devnet/world/run.js'

export interface DecoyBlock {
  number: number
  hash: string
  tx: string
  jobId: string
  /** Unix seconds. */
  time: number
}

export interface EvmFork {
  /** evm_snapshot id taken at the fork point, just below the first decoy. */
  snapshot: string
  decoys: DecoyBlock[]
  /** USDC paid per decoy job (6 decimals, raw). */
  amountRaw: bigint
  customer: string
  /** Hashes of the replacement blocks, same heights as the decoys. */
  replacedBy: string[]
}

interface RpcBlock {
  number: string
  hash: string
  timestamp: string
  transactions: string[]
}

/** One JSON-RPC call straight to a devnet (not through the fault proxies). */
export async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}

const tipBlock = (url: string): Promise<RpcBlock> =>
  rpc<RpcBlock>(url, 'eth_getBlockByNumber', ['latest', false])

/**
 * Mines `count` decoy blocks on the EVM tip, one second apart, each with a job posted by a world
 * customer who holds USDC already (the world mints each customer 10% + 1 USDC more than its jobs
 * cost, so a few decoys of 0.1 USDC never make a world transaction fail later; the reorg gives the
 * money back anyway). Fails when the world's next transaction would be due before the decoys end.
 */
export async function mineDecoys(
  chains: WorldChains,
  count: number,
  nextWorldTime: Date | null,
): Promise<EvmFork> {
  const url = chains.evm.anvil.rpcUrl
  const { world } = chains
  const tip = await tipBlock(url)
  const tipTime = Number(tip.timestamp)
  const funded = world.actions.find(
    (a) => a.chain === 'arbitrum' && a.call.fn === 'mintStable' && a.time.getTime() / 1000 <= tipTime,
  )
  if (!funded || funded.chain !== 'arbitrum' || funded.call.fn !== 'mintStable')
    throw new Error('no aethir customer holds USDC yet: mine the decoys later in the world')
  const customerLabel = funded.call.to
  const operator = world.nodes.find((n) => n.network === 'aethir')?.operator
  const customer = chains.evm.wallets.get(customerLabel)
  const provider = operator ? chains.evm.wallets.get(operator) : undefined
  if (!customer || !provider) throw new Error('no EVM wallet for the decoy customer or provider')
  if (nextWorldTime && nextWorldTime.getTime() / 1000 <= tipTime + count + 1)
    throw new Error('the next world transaction is due before the decoys would end')
  const market = new Interface(chains.evm.deployment.abis.market)
  const snapshot = await rpc<string>(url, 'evm_snapshot', [])
  const amountRaw = 100_000n
  const decoys: DecoyBlock[] = []
  for (let i = 0; i < count; i++) {
    const jobId = `chaos-decoy-${i + 1}`
    const data = market.encodeFunctionData('postJob', [evmJobId(jobId), provider, amountRaw, 1, 'H100'])
    const tx = await rpc<string>(url, 'eth_sendTransaction', [
      { from: customer, to: chains.evm.deployment.addresses.market, data, gas: '0x1e8480' },
    ])
    // The world's executor turned automine off: one block per decoy, at a time of our choosing.
    const time = tipTime + 1 + i
    await rpc(url, 'evm_mine', [time])
    const receipt = await rpc<{ status: string; blockNumber: string; blockHash: string } | null>(
      url,
      'eth_getTransactionReceipt',
      [tx],
    )
    if (receipt?.status !== '0x1') throw new Error(`decoy ${jobId} did not succeed`)
    decoys.push({
      number: Number(receipt.blockNumber),
      hash: receipt.blockHash,
      tx: tx.toLowerCase(),
      jobId,
      time,
    })
  }
  return { snapshot, decoys, amountRaw, customer, replacedBy: [] }
}

/**
 * The reorg over exactly the decoy blocks: back to the fork point, then a new branch of as many
 * blocks at the same times, the first holding one ETH transfer between two dev accounts. Checks
 * that every decoy block was replaced and that the decoy transactions are gone from the node.
 */
export async function reorgDecoys(chains: WorldChains, fork: EvmFork): Promise<void> {
  const url = chains.evm.anvil.rpcUrl
  const tip = await tipBlock(url)
  const last = fork.decoys.at(-1)
  if (!last || Number(tip.number) !== last.number) throw new Error('the decoys are no longer the tip')
  if ((await rpc<boolean>(url, 'evm_revert', [fork.snapshot])) !== true) throw new Error('evm_revert failed')
  const [owner] = chains.evm.deployment.accounts
  for (const [i, decoy] of fork.decoys.entries()) {
    if (i === 0) await rpc(url, 'eth_sendTransaction', [{ from: owner, to: fork.customer, value: '0x1' }])
    await rpc(url, 'evm_mine', [decoy.time])
  }
  for (const decoy of fork.decoys) {
    const block = await rpc<RpcBlock>(url, 'eth_getBlockByNumber', ['0x' + decoy.number.toString(16), false])
    if (block.hash === decoy.hash) throw new Error(`block ${decoy.number} was not replaced`)
    fork.replacedBy.push(block.hash)
    if (await rpc(url, 'eth_getTransactionReceipt', [decoy.tx]))
      throw new Error(`decoy ${decoy.tx} survived the reorg`)
  }
  const newTip = await tipBlock(url)
  if (Number(newTip.number) !== last.number) throw new Error('the new branch is not as long as the old one')
}
