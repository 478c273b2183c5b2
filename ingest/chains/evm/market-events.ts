import { Interface, toBeHex, type InterfaceAbi } from 'ethers'

import type { MarketEvent } from '../batch.js'
import { decodeEventLogs, type DecodedEvent } from './decode-logs.js'

export interface MarketContract {
  address: string
  abi: InterfaceAbi
}

export const MARKET_EVENT_NAMES = ['JobPosted', 'JobStarted', 'JobFinished'] as const
type MarketEventName = (typeof MARKET_EVENT_NAMES)[number]

/** The topic hashes of the job events the ABI declares (a market may lack some of them). */
export function marketTopics(iface: Interface): string[] {
  return MARKET_EVENT_NAMES.flatMap((name) => {
    const fragment = iface.getEvent(name)
    return fragment ? [fragment.topicHash] : []
  })
}

/**
 * Job events of a market contract, read by argument name as ComputeMarket.sol names them
 * (`jobId`, `customer`, `provider`, `amount`/`payout`, `gpuCount`, `gpuModel`, `status`); an ABI
 * without one of them leaves that field out. Job ids come out as 32-byte lower-case hex.
 */
export function decodeMarketEvents(
  chain: string,
  iface: Interface,
  address: string,
  logs: readonly unknown[],
  blockTime: (block: number) => Date,
): MarketEvent[] {
  const events: MarketEvent[] = []
  for (const event of decodeEventLogs(iface, logs, { addresses: [address] })) {
    if (!isMarketEventName(event.name)) continue
    events.push(toMarketEvent(chain, event, event.name, blockTime(event.blockNumber)))
  }
  return events
}

function isMarketEventName(name: string): name is MarketEventName {
  return (MARKET_EVENT_NAMES as readonly string[]).includes(name)
}

function toMarketEvent(chain: string, event: DecodedEvent, name: MarketEventName, time: Date): MarketEvent {
  const args: Record<string, unknown> = event.args.toObject()
  const out: MarketEvent = {
    chain,
    txId: event.txHash,
    blockNumber: event.blockNumber,
    blockTime: time,
    eventIndex: event.logIndex,
    name,
    jobId: jobIdHex(args['jobId']),
  }
  const customer = args['customer']
  const provider = args['provider']
  const amount = name === 'JobFinished' ? args['payout'] : args['amount']
  if (typeof customer === 'string') out.customer = customer.toLowerCase()
  if (typeof provider === 'string') out.provider = provider.toLowerCase()
  if (typeof amount === 'bigint') out.amountRaw = amount
  if (typeof args['gpuCount'] === 'bigint') out.gpuCount = Number(args['gpuCount'])
  if (typeof args['gpuModel'] === 'string') out.gpuModel = args['gpuModel']
  if (typeof args['status'] === 'bigint') out.status = Number(args['status'])
  return out
}

function jobIdHex(value: unknown): string {
  if (typeof value === 'string') return value.toLowerCase()
  if (typeof value === 'bigint') return toBeHex(value, 32)
  throw new Error(`job id is neither bytes32 nor an integer: ${String(value)}`)
}
