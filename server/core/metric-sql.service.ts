import { Injectable } from '@nestjs/common'
import { listGpuModels, normalizeGpuModel } from '../../ingest/telemetry/gpu-models.js'
import { windowParams, type Window } from './clickhouse-values.js'
import { DisclosureService } from './disclosure.service.js'
import { bindableParams, SqlService, type SqlParams } from './sql.service.js'

const NAMES_TTL_MS = 60_000

/** A metric file with every parameter bound: what a resolver runs and an export streams. */
export interface BoundQuery {
  path: string
  params: SqlParams
}

/**
 * Binds the parameters the metric files share: networks, window, the catalog's disclosure and
 * economics, canonical ids of listing names and the GPU model registry.
 */
@Injectable()
export class MetricSqlService {
  private names: { at: number; value: Promise<{ names: string[]; ids: string[] }> } | null = null

  constructor(
    private readonly sql: SqlService,
    private readonly disclosure: DisclosureService,
  ) {}

  /**
   * Listing names that map to a canonical model id (normalisation lives in TypeScript). Cached for
   * a minute: names change when a network lists new hardware; an unmapped name reads as itself.
   */
  private listedNames(): Promise<{ names: string[]; ids: string[] }> {
    if (!this.names || Date.now() - this.names.at > NAMES_TTL_MS) {
      const value = this.sql.rows<{ name: string }>('queries/listing_names').then((rows) => {
        const mapped = rows.flatMap((r) => {
          const id = normalizeGpuModel(r.name)?.id
          return id ? [[r.name, id] as const] : []
        })
        return { names: mapped.map(([n]) => n), ids: mapped.map(([, id]) => id) }
      })
      value.catch(() => (this.names = null))
      this.names = { at: Date.now(), value }
    }
    return this.names.value
  }

  async bind(
    path: string,
    networks: readonly string[],
    window: Window | null,
    extra: SqlParams = {},
  ): Promise<BoundQuery> {
    const params: SqlParams = {
      networks: [...networks],
      disclosure: this.disclosure.map(networks, this.text(path)),
      burn_and_mint: this.disclosure.burnAndMint(),
      ...(window ? windowParams(window) : {}),
      ...extra,
    }
    if (this.text(path).includes('{listed_names:')) {
      const { names, ids } = await this.listedNames()
      params.listed_names = names
      params.listed_ids = ids
    }
    if (this.text(path).includes('{model_ids:')) {
      const models = listGpuModels()
      params.model_ids = models.map((m) => m.id)
      params.model_vram_classes = models.map((m) => m.vramClass)
      params.model_segments = models.map((m) => m.segment)
    }
    return { path, params: bindableParams(this.text(path), params) }
  }

  text(path: string): string {
    return this.sql.text(path)
  }

  async run<T>(query: BoundQuery): Promise<readonly T[]> {
    return this.sql.rows<T>(query.path, query.params)
  }

  async rows<T>(path: string, networks: readonly string[], window: Window | null, extra: SqlParams = {}) {
    return this.run<T>(await this.bind(path, networks, window, extra))
  }
}
