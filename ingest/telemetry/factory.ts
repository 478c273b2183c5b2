import type { PlumbConfig } from '../config.js'
import type { Db } from '../store/db.js'
import { Store } from '../store/store.js'
import { TelemetryIngest, type TelemetryIngestOptions } from './service.js'

/** The telemetry ingest as configured by the environment (README.md, Configuration). */
export function telemetryIngestFromConfig(
  db: Db,
  config: PlumbConfig,
  networks: readonly string[],
  log?: TelemetryIngestOptions['log'],
): TelemetryIngest {
  return new TelemetryIngest({
    store: new Store(db.writer, db.insertText),
    client: db.writer,
    dataDir: config.dataDir,
    networks,
    tokens: config.PLUMB_INGEST_TOKENS,
    nodeRate: config.PLUMB_INGEST_NODE_RATE,
    nodeBurst: config.PLUMB_INGEST_NODE_BURST,
    maxBacklogBytes: config.PLUMB_INGEST_MAX_BACKLOG_MB * 1024 * 1024,
    maxAgeMs: config.PLUMB_INGEST_MAX_AGE_H * 3_600_000,
    log,
  })
}
