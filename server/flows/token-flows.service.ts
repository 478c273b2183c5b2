import { Inject, Injectable } from '@nestjs/common'
import type { Network } from '../../ingest/networks/index.js'
import { decodeCursor, encodeCursor, pageSize } from '../core/connection.js'
import { FlowKind } from '../core/enums.js'
import { badInput } from '../core/errors.js'
import { SqlService } from '../core/sql.service.js'
import { fromClickHouseTime } from '../core/time.js'
import { CATALOG } from '../core/tokens.js'
import type { TokenFlowConnection, TokenFlowModel } from './token-flow.model.js'

export interface FlowRow {
  network: string
  chain: string
  block_number: string
  block_time: string
  tx_id: string
  event_index: number
  token: string
  token_symbol: string
  amount: string
  amount_usd: number | null
  kind: FlowKind
  payer: string
  payee: string
  job_id: string
  finality: string
}

export interface FlowFilter {
  network?: string | null
  kind?: FlowKind | null
  first: number
  after?: string | null
}

@Injectable()
export class TokenFlowsService {
  constructor(
    private readonly sql: SqlService,
    @Inject(CATALOG) private readonly catalog: Network[],
  ) {}

  async list(filter: FlowFilter): Promise<TokenFlowConnection> {
    const limit = pageSize(filter.first)
    const cursor = filter.after ? this.parseCursor(filter.after) : null
    const rows = await this.sql.rows<FlowRow>('queries/token_flows', {
      network: filter.network ?? '',
      kind: filter.kind ?? '',
      has_cursor: cursor ? 1 : 0,
      after_time: cursor?.[0] ?? '1970-01-01 00:00:00',
      after_chain: cursor?.[1] ?? '',
      after_tx: cursor?.[2] ?? '',
      after_index: cursor?.[3] ?? 0,
      limit: limit + 1,
    })
    const page = rows.slice(0, limit)
    const edges = page.map((row) => ({
      cursor: encodeCursor([row.block_time, row.chain, row.tx_id, row.event_index]),
      node: this.toModel(row),
    }))
    return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } }
  }

  private parseCursor(after: string): [string, string, string, number] {
    const parts = decodeCursor(after)
    const [time, chain, tx, index] = parts ?? []
    if (
      typeof time !== 'string' ||
      !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(time) ||
      typeof chain !== 'string' ||
      typeof tx !== 'string' ||
      typeof index !== 'number'
    ) {
      throw badInput('after', 'not a cursor returned by this field')
    }
    return [time, chain, tx, index]
  }

  private toModel(row: FlowRow): TokenFlowModel {
    return toTokenFlowModel(row, this.catalog)
  }
}

/** A token_flows row as the API returns it, with its explorer link from the catalog. */
export function toTokenFlowModel(row: FlowRow, catalog: readonly Network[]): TokenFlowModel {
  const template = catalog.find((n) => n.id === row.network)?.explorers[
    row.chain as Network['chains'][number]
  ]
  return {
    network: row.network,
    chain: row.chain,
    blockNumber: Number(row.block_number),
    blockTime: fromClickHouseTime(row.block_time),
    txId: row.tx_id,
    eventIndex: row.event_index,
    token: row.token,
    tokenSymbol: row.token_symbol,
    amount: row.amount,
    amountUsd: row.amount_usd,
    kind: row.kind,
    payer: row.payer,
    payee: row.payee,
    jobId: row.job_id || null,
    finality: row.finality,
    explorerUrl: template ? template.replace('{tx}', encodeURIComponent(row.tx_id)) : null,
  }
}
