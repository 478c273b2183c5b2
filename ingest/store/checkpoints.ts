import type { ClickHouseClient } from '@clickhouse/client'
import type { CheckpointRow } from './rows.js'
import { Store } from './store.js'

export interface Checkpoint {
  sourceId: string
  /** Source-specific resume state (e.g. recent block hashes for reorg checks), JSON text. */
  cursor: string
  blockNumber: number
  blockHash: string
  headNumber: number
}

function nowText(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '')
}

/** One checkpoint per source; written after the rows it covers, so a restart resumes from stored data. */
export class CheckpointStore {
  private readonly store: Store

  constructor(private readonly client: ClickHouseClient) {
    this.store = new Store(client)
  }

  async load(sourceId: string): Promise<Checkpoint | null> {
    const result = await this.client.query({
      query: `SELECT source_id, cursor, block_number, block_hash, head_number
              FROM checkpoints FINAL WHERE source_id = {id:String}`,
      query_params: { id: sourceId },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{
      source_id: string
      cursor: string
      block_number: string
      block_hash: string
      head_number: string
    }>()
    if (!row) return null
    return {
      sourceId: row.source_id,
      cursor: row.cursor,
      blockNumber: Number(row.block_number),
      blockHash: row.block_hash,
      headNumber: Number(row.head_number),
    }
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    const row: CheckpointRow = {
      source_id: checkpoint.sourceId,
      cursor: checkpoint.cursor,
      block_number: checkpoint.blockNumber,
      block_hash: checkpoint.blockHash,
      head_number: checkpoint.headNumber,
      updated_at: nowText(),
    }
    await this.store.insert('checkpoints', [row])
  }
}
