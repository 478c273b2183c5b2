/**
 * Cheap passes over raw `eth_getLogs` results, before the (schema-checked) decoders run: which
 * blocks hold logs, under which hash, and which logs go to which decoder.
 */

export class ChainMovedError extends Error {
  override readonly name = 'ChainMovedError'
}

function field(log: unknown, name: string): unknown {
  return typeof log === 'object' && log !== null ? (log as Record<string, unknown>)[name] : undefined
}

function blockNumberOf(log: unknown): number | null {
  const value = field(log, 'blockNumber')
  if (typeof value === 'number') return value
  return typeof value === 'string' && value.startsWith('0x') ? Number.parseInt(value, 16) : null
}

/**
 * Block number → block hash of the logs (null hash when the node omits it). Removed and pending
 * logs are left out, as the decoders leave them out. Two hashes for one number mean the node
 * answered from two branches.
 */
export function logBlocks(logs: readonly unknown[]): Map<number, string | null> {
  const blocks = new Map<number, string | null>()
  for (const log of logs) {
    if (field(log, 'removed') === true) continue
    const number = blockNumberOf(log)
    if (number === null) continue
    const raw = field(log, 'blockHash')
    const hash = typeof raw === 'string' ? raw.toLowerCase() : null
    const seen = blocks.get(number)
    if (seen !== undefined && seen !== hash) {
      throw new ChainMovedError(`logs of block ${number} come from two branches (${seen}, ${hash})`)
    }
    blocks.set(number, hash)
  }
  return blocks
}

/** Splits logs into those of `address` (any case) and the others. */
export function partitionByAddress(
  logs: readonly unknown[],
  address: string | null,
): { matching: unknown[]; others: unknown[] } {
  if (address === null) return { matching: [], others: [...logs] }
  const wanted = address.toLowerCase()
  const matching: unknown[] = []
  const others: unknown[] = []
  for (const log of logs) {
    const emitter = field(log, 'address')
    if (typeof emitter === 'string' && emitter.toLowerCase() === wanted) matching.push(log)
    else others.push(log)
  }
  return { matching, others }
}
