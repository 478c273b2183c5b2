import {
  Contract,
  ContractFactory,
  JsonRpcProvider,
  Network,
  type InterfaceAbi,
  type JsonRpcSigner,
  type TransactionRequest,
} from 'ethers'
import { compileContracts, type CompiledContract, type CompiledContracts } from './compile.js'
import { DEVNET_CHAIN_ID } from './anvil.js'

export interface TokenSpec {
  name: string
  symbol: string
  decimals: number
}

export interface DeployOptions {
  rewardToken?: TokenSpec
  stablecoin?: TokenSpec
  /** market fee on successful jobs, in basis points (default 500 = 5%) */
  feeBps?: number
  /** reward tokens the pool may mint per day, in base units (default 2,870,000 ATH) */
  dailyEmission?: bigint
  /** index of the anvil dev account that deploys and owns everything (default 0) */
  deployerIndex?: number
  /** precompiled artifacts; default: compileContracts() (disk-cached) */
  contracts?: CompiledContracts
}

export interface DevnetAddresses {
  rewardToken: string
  stablecoin: string
  market: string
  rewardPool: string
}

export interface DevnetContracts {
  rewardToken: Contract
  stablecoin: Contract
  market: Contract
  rewardPool: Contract
}

export interface DevnetDeployment {
  chainId: number
  addresses: DevnetAddresses
  /** handles connected to the deployer (the owner); use `.connect(signer)` to act as someone else */
  contracts: DevnetContracts
  abis: Record<keyof DevnetAddresses, InterfaceAbi>
  deployer: JsonRpcSigner
  /** all funded dev accounts, in anvil's order */
  accounts: string[]
  /** block of the first deployment transaction: where an indexer starts */
  fromBlock: number
  /** block of the last deployment transaction */
  toBlock: number
  rewardSpec: TokenSpec
  stableSpec: TokenSpec
  feeBps: number
  dailyEmission: bigint
}

export const REWARD_TOKEN: TokenSpec = { name: 'Aethir Devnet Token', symbol: 'ATH', decimals: 18 }
export const STABLECOIN: TokenSpec = { name: 'USD Coin (devnet)', symbol: 'USDC', decimals: 6 }
export const DEFAULT_FEE_BPS = 500
export const DEFAULT_DAILY_EMISSION = 2_870_000n * 10n ** 18n

/** Job statuses as ComputeMarket emits them in JobFinished. */
export const JobStatus = { Succeeded: 1, Failed: 2, TimedOut: 3, Cancelled: 4 } as const
export type JobStatusCode = (typeof JobStatus)[keyof typeof JobStatus]

/** A provider tuned for a local devnet: fixed network (no eth_chainId probing), fast polling. */
export function devnetProvider(rpcUrl: string, chainId = DEVNET_CHAIN_ID): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, Network.from(chainId), {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  })
}

function artifact(contracts: CompiledContracts, name: string): CompiledContract {
  const found = contracts[name]
  if (!found) throw new Error(`contract ${name} missing from the compiler output`)
  return found
}

async function deployOne(
  compiled: CompiledContract,
  signer: JsonRpcSigner,
  args: unknown[],
): Promise<{ contract: Contract; address: string; block: number }> {
  const factory = new ContractFactory(compiled.abi, compiled.bytecode, signer)
  const deployed = await factory.deploy(...args)
  const receipt = await deployed.deploymentTransaction()?.wait()
  if (!receipt || receipt.status !== 1) throw new Error('deployment failed')
  const address = await deployed.getAddress()
  return { contract: new Contract(address, compiled.abi, signer), address, block: receipt.blockNumber }
}

async function send(contract: Contract, method: string, args: unknown[]): Promise<number> {
  const tx = (await contract.getFunction(method).send(...args)) as { wait(): Promise<unknown> }
  const receipt = (await tx.wait()) as { status: number | null; blockNumber: number } | null
  if (!receipt || receipt.status !== 1) throw new Error(`${method} failed`)
  return receipt.blockNumber
}

/**
 * Deploys the reward token (ATH-like), the stablecoin (USDC-like), ComputeMarket and RewardPool
 * from an anvil dev account, and makes the pool a minter of the reward token.
 */
export async function deployDevnet(
  provider: JsonRpcProvider,
  options: DeployOptions = {},
): Promise<DevnetDeployment> {
  const compiled = options.contracts ?? (await compileContracts()).contracts
  const accounts = (await provider.send('eth_accounts', [])) as string[]
  const deployerAddress = accounts[options.deployerIndex ?? 0]
  if (!deployerAddress) throw new Error('no funded dev account at that index')
  const deployer = await provider.getSigner(deployerAddress)
  const rewardSpec = options.rewardToken ?? REWARD_TOKEN
  const stableSpec = options.stablecoin ?? STABLECOIN
  const feeBps = options.feeBps ?? DEFAULT_FEE_BPS
  const dailyEmission = options.dailyEmission ?? DEFAULT_DAILY_EMISSION
  const token = artifact(compiled, 'PlumbToken')

  const reward = await deployOne(token, deployer, [rewardSpec.name, rewardSpec.symbol, rewardSpec.decimals])
  const stable = await deployOne(token, deployer, [stableSpec.name, stableSpec.symbol, stableSpec.decimals])
  const market = await deployOne(artifact(compiled, 'ComputeMarket'), deployer, [stable.address, feeBps])
  const pool = await deployOne(artifact(compiled, 'RewardPool'), deployer, [reward.address, dailyEmission])
  const lastBlock = await send(reward.contract, 'setMinter', [pool.address, true])

  const { chainId } = await provider.getNetwork()
  return {
    chainId: Number(chainId),
    addresses: {
      rewardToken: reward.address,
      stablecoin: stable.address,
      market: market.address,
      rewardPool: pool.address,
    },
    contracts: {
      rewardToken: reward.contract,
      stablecoin: stable.contract,
      market: market.contract,
      rewardPool: pool.contract,
    },
    abis: {
      rewardToken: token.abi,
      stablecoin: token.abi,
      market: artifact(compiled, 'ComputeMarket').abi,
      rewardPool: artifact(compiled, 'RewardPool').abi,
    },
    deployer,
    accounts,
    fromBlock: reward.block,
    toBlock: lastBlock,
    rewardSpec,
    stableSpec,
    feeBps,
    dailyEmission,
  }
}

/** Mines one block at exactly `unixSeconds` (must be later than the latest block); returns its number. */
export async function advanceTo(provider: JsonRpcProvider, unixSeconds: number): Promise<number> {
  await provider.send('evm_setNextBlockTimestamp', [Math.floor(unixSeconds)])
  await provider.send('evm_mine', [])
  return Number(await provider.send('eth_blockNumber', []))
}

/** Mines `blocks` empty blocks (timestamps follow the block timestamp interval). */
export async function mineBlocks(provider: JsonRpcProvider, blocks = 1): Promise<number> {
  for (let i = 0; i < blocks; i++) await provider.send('evm_mine', [])
  return Number(await provider.send('eth_blockNumber', []))
}

/**
 * A transaction to mine into the replacement chain of a reorg: a request the node signs for
 * (its `from` must be an unlocked dev account) or a signed raw transaction (0x hex).
 * `blockOffset` counts from the first replaced block: 0 lands in block `tip - depth + 1`.
 */
export interface ReorgTx {
  tx: TransactionRequestJson | string
  blockOffset: number
}

/** A transaction request in JSON-RPC form (hex quantities), as anvil deserializes it. */
export interface TransactionRequestJson {
  from: string
  to?: string
  value?: string
  data?: string
  gas?: string
  nonce?: string
}

/** Hex JSON-RPC form of an ethers request, for ReorgTx. Only the fields a devnet reorg needs. */
export function toRequestJson(req: TransactionRequest & { from: string }): TransactionRequestJson {
  const hex = (v: bigint | number | string) => '0x' + BigInt(v).toString(16)
  const json: TransactionRequestJson = { from: req.from }
  if (typeof req.to === 'string') json.to = req.to
  if (req.value != null) json.value = hex(req.value)
  if (typeof req.data === 'string') json.data = req.data
  if (req.gasLimit != null) json.gas = hex(req.gasLimit)
  if (req.nonce != null) json.nonce = hex(req.nonce)
  return json
}

/**
 * Replaces the last `depth` blocks with `depth` new blocks holding `newTxs` (anvil_reorg).
 * Wire form: `anvil_reorg [depth, [[tx, blockOffset], ...]]`. Transactions of the orphaned blocks
 * are dropped, not replayed; state is that of the new chain.
 */
export async function reorg(provider: JsonRpcProvider, depth: number, newTxs: ReorgTx[] = []): Promise<void> {
  await provider.send('anvil_reorg', [depth, newTxs.map((t) => [t.tx, t.blockOffset])])
}

/** evm_snapshot: returns the id to pass to revertTo. */
export async function snapshot(provider: JsonRpcProvider): Promise<string> {
  return (await provider.send('evm_snapshot', [])) as string
}

/** evm_revert: back to the snapshot's state and chain (the snapshot id is consumed). */
export async function revertTo(provider: JsonRpcProvider, id: string): Promise<boolean> {
  return (await provider.send('evm_revert', [id])) as boolean
}
