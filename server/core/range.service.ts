import { Injectable } from '@nestjs/common'
import { chToDate } from './clickhouse-values.js'
import { requestMemo } from './loaders.js'
import {
  checkBuckets,
  Granularity,
  presetEnd,
  previousRange,
  resolveRange,
  type RangeInput,
  type ResolvedRange,
} from './range.js'
import { SqlService } from './sql.service.js'
import type { Window } from './clickhouse-values.js'

/** Resolves range arguments; presets end after the latest data point (sql/queries/latest_data.sql). */
@Injectable()
export class RangeService {
  constructor(private readonly sql: SqlService) {}

  async presetEnd(): Promise<Date> {
    const [row] = await this.sql.rows<{ latest: string }>('queries/latest_data')
    return presetEnd(row ? chToDate(row.latest) : null, new Date())
  }

  /** Resolves a range; `context` (a request's) shares one latest-data lookup among its resolvers. */
  async resolve(input: RangeInput | null | undefined, context: object = {}): Promise<ResolvedRange> {
    const explicit = input?.preset == null && (input?.from != null || input?.to != null)
    const end = explicit ? new Date(0) : await requestMemo(context, 'preset-end', () => this.presetEnd())
    return resolveRange(input, end)
  }

  /** A series window: the range bucketed by a granularity (checked against the bucket limit). */
  async series(
    input: RangeInput | null | undefined,
    granularity: Granularity,
    context?: object,
  ): Promise<Window> {
    const range = await this.resolve(input, context)
    checkBuckets(range, granularity)
    return { range, unit: granularity, previous: null }
  }

  /** A totals window: one bucket for the range, and one for the period before when asked. */
  async totals(input: RangeInput | null | undefined, previous = false, context?: object): Promise<Window> {
    const range = await this.resolve(input, context)
    return { range, unit: 'range', previous: previous ? previousRange(range) : null }
  }
}
