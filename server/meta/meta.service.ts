import { Inject, Injectable } from '@nestjs/common'
import type { SourceStatus } from '../../ingest/chains/batch.js'
import { runningSourceStatuses } from '../../ingest/chains/status-registry.js'
import type { Db } from '../../ingest/store/db.js'
import { migrationsPending } from '../../ingest/store/migrate.js'
import { SqlService } from '../core/sql.service.js'
import { fromClickHouseTime } from '../core/time.js'
import { DB } from '../core/tokens.js'
import type { MetaModel, SourceFreshness, TelemetryFreshness } from './meta.model.js'

function liveFields(status: SourceStatus | undefined) {
  return {
    live: status !== undefined,
    blocksPerSecond: status?.blocksPerSecond ?? null,
    lastError: status?.lastError ?? null,
    lastErrorAt: status?.lastErrorAt ?? null,
  }
}

export interface Health {
  ok: boolean
  engine: string
  clickhouse: string | null
  pendingMigrations: string[]
  /** The last error each source running in this process met, with its time (retried; the API still answers). */
  sourceErrors: { sourceId: string; lastError: string; lastErrorAt: Date | null }[]
  error?: string
}

@Injectable()
export class MetaService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly sql: SqlService,
  ) {}

  async version(): Promise<string> {
    const rows = await (
      await this.db.reader.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })
    ).json<{
      v: string
    }>()
    return rows[0]?.v ?? 'unknown'
  }

  async migrations(): Promise<string[]> {
    const rows = await this.sql.rows<{ name: string }>('queries/applied_migrations')
    return rows.map((r) => r.name)
  }

  async sources(): Promise<SourceFreshness[]> {
    const rows = await this.sql.rows<{
      source_id: string
      block_number: string
      head_number: string
      lag_blocks: string
      updated_at: string
    }>('queries/source_freshness')
    const live = new Map(runningSourceStatuses().map((s) => [s.sourceId, s]))
    const stored = rows.map((r): SourceFreshness => {
      const status = live.get(r.source_id)
      return {
        sourceId: r.source_id,
        lastBlock: Number(r.block_number),
        headBlock: Number(r.head_number),
        lagBlocks: Number(r.lag_blocks),
        updatedAt: fromClickHouseTime(r.updated_at),
        ...liveFields(status),
      }
    })
    const unsaved = [...live.values()].filter((s) => !rows.some((r) => r.source_id === s.sourceId))
    return [
      ...stored,
      ...unsaved.map((s) => ({
        sourceId: s.sourceId,
        lastBlock: s.lastBlock,
        headBlock: s.headBlock,
        lagBlocks: s.headBlock !== null && s.lastBlock !== null ? s.headBlock - s.lastBlock : null,
        updatedAt: null,
        ...liveFields(s),
      })),
    ]
  }

  async telemetry(): Promise<TelemetryFreshness[]> {
    const rows = await this.sql.rows<{ network: string; provenance: string; last_seen: string }>(
      'queries/telemetry_freshness',
    )
    return rows.map((r) => ({
      network: r.network,
      provenance: r.provenance,
      lastSeen: fromClickHouseTime(r.last_seen),
    }))
  }

  async meta(): Promise<MetaModel> {
    const [clickhouseVersion, migrations, sources, telemetry] = await Promise.all([
      this.version(),
      this.migrations(),
      this.sources(),
      this.telemetry(),
    ])
    return { engine: this.db.engine, clickhouseVersion, migrations, sources, telemetry }
  }

  async health(): Promise<Health> {
    try {
      const [clickhouse, pendingMigrations] = await Promise.all([
        this.version(),
        migrationsPending(this.db.writer),
      ])
      const sourceErrors = runningSourceStatuses().flatMap((s) =>
        s.lastError ? [{ sourceId: s.sourceId, lastError: s.lastError, lastErrorAt: s.lastErrorAt }] : [],
      )
      return {
        ok: pendingMigrations.length === 0,
        engine: this.db.engine,
        clickhouse,
        pendingMigrations,
        sourceErrors,
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return {
        ok: false,
        engine: this.db.engine,
        clickhouse: null,
        pendingMigrations: [],
        sourceErrors: [],
        error: message,
      }
    }
  }
}
