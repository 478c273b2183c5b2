/**
 * Which key each node signs with and the last sequence number accepted from it. In memory, loaded
 * at start-up from telemetry_nodes (which the flusher writes after the samples); one ingest process
 * owns a node's state, so every node's batches must reach the same process.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { SQL_DIR } from '../store/paths.js'
import type { KeyType } from './batch.js'
import { problem, type Problem } from './problem.js'

export interface NodeState {
  keyType: KeyType
  publicKey: string
  lastSeq: number
  lastDigest: string
}

export interface SeqClaim {
  network: string
  nodeId: string
  keyType: KeyType
  /** Canonical (EVM addresses in lower case). */
  publicKey: string
  seq: number
  digest: string
}

/** Undo information of a claim, for a batch that could not be made durable. */
export interface Reservation {
  key: string
  seq: number
  previous: NodeState | null
}

export function nodeKey(network: string, nodeId: string): string {
  return `${network}\u0000${nodeId}`
}

interface NodeStateRow {
  network: string
  node_id: string
  bound_key_type: KeyType
  bound_public_key: string
  max_seq: string | number
  max_seq_digest: string
}

export class NodeRegistry {
  private readonly nodes = new Map<string, NodeState>()

  async load(client: ClickHouseClient): Promise<void> {
    const result = await client.query({
      query: readFileSync(join(SQL_DIR, 'queries', 'telemetry_node_state.sql'), 'utf8'),
      format: 'JSONEachRow',
    })
    for (const row of await result.json<NodeStateRow>()) {
      this.nodes.set(nodeKey(row.network, row.node_id), {
        keyType: row.bound_key_type,
        publicKey: row.bound_public_key,
        lastSeq: Number(row.max_seq),
        lastDigest: row.max_seq_digest,
      })
    }
  }

  get size(): number {
    return this.nodes.size
  }

  /** The key this node is bound to, when it is bound to another one (trust on first use). */
  checkKey(claim: Pick<SeqClaim, 'network' | 'nodeId' | 'keyType' | 'publicKey'>): Problem | null {
    const state = this.nodes.get(nodeKey(claim.network, claim.nodeId))
    if (!state || (state.keyType === claim.keyType && state.publicKey === claim.publicKey)) return null
    return problem(
      401,
      'key_mismatch',
      `node ${claim.nodeId} of ${claim.network} is bound to another ${state.keyType} key (${state.publicKey})`,
      'publicKey',
    )
  }

  /** 409 unless seq is above the last one accepted; the same batch sent again says `duplicate`. */
  checkSeq(claim: SeqClaim): Problem | null {
    const state = this.nodes.get(nodeKey(claim.network, claim.nodeId))
    if (!state || claim.seq > state.lastSeq) return null
    const details = { lastSeq: state.lastSeq }
    if (claim.seq === state.lastSeq && claim.digest === state.lastDigest) {
      return problem(409, 'duplicate', `batch ${claim.seq} is already stored`, 'seq', { details })
    }
    return problem(
      409,
      'seq_not_increasing',
      `seq ${claim.seq} is not above the last accepted seq ${state.lastSeq} of this node (replayed or out of order)`,
      'seq',
      { details },
    )
  }

  reserve(claim: SeqClaim): Reservation {
    const key = nodeKey(claim.network, claim.nodeId)
    const previous = this.nodes.get(key) ?? null
    this.nodes.set(key, {
      keyType: claim.keyType,
      publicKey: claim.publicKey,
      lastSeq: claim.seq,
      lastDigest: claim.digest,
    })
    return { key, seq: claim.seq, previous }
  }

  /** Undoes a reservation unless a later batch of the node was reserved meanwhile. */
  release(reservation: Reservation): void {
    if (this.nodes.get(reservation.key)?.lastSeq !== reservation.seq) return
    if (reservation.previous) this.nodes.set(reservation.key, reservation.previous)
    else this.nodes.delete(reservation.key)
  }
}
