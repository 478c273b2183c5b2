/**
 * The canonical rows every source produces (see ARCHITECTURE.md). Column names match the
 * ClickHouse tables in sql/migrations one to one, so a row can be inserted as JSONEachRow as is.
 * Times are 'YYYY-MM-DD hh:mm:ss[.fff]' UTC strings, the form ClickHouse parses without settings.
 * Token amounts are decimal strings in token units (exact, never floats).
 */

export const FLOW_KINDS = [
  'customer_payment',
  'provider_payout',
  'reward_emission',
  'burn',
  'fee',
  'stake',
  'other',
] as const
export type FlowKind = (typeof FLOW_KINDS)[number]

export const JOB_STATUSES = ['succeeded', 'failed', 'timed_out', 'cancelled', 'running', 'queued'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export const PROVENANCES = ['onchain', 'signed', 'reported', 'none'] as const
export type Provenance = (typeof PROVENANCES)[number]

export type Finality = 'finalized' | 'confirmed'

export interface TokenFlowRow {
  network: string
  chain: string
  block_number: number
  block_hash: string
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
  finality: Finality
  /** Monotonic write version; the highest wins in ReplacingMergeTree. */
  version: number
  /** 1 retracts the row (orphaned block). */
  is_deleted: 0 | 1
}

export type JobEvent = 'posted' | 'started' | 'finished'

export interface JobEventRow {
  network: string
  chain: string
  job_id: string
  event: JobEvent
  time: string
  block_number: number
  tx_id: string
  event_index: number
  customer: string
  node_id: string
  gpu_model: string
  gpu_count: number
  status: JobStatus
  price: string
  price_token: string
  price_usd: number | null
  source: string
  version: number
  is_deleted: 0 | 1
}

export interface TelemetrySampleRow {
  network: string
  node_id: string
  gpu_uuid: string
  time: string
  /** Seconds this sample stands for (the sampling interval), used for GPU-seconds. */
  interval_s: number
  gpu_model: string
  gpu_name: string
  vram_mib: number | null
  utilization_pct: number | null
  memory_used_mib: number | null
  power_w: number | null
  temperature_c: number | null
  job_id: string
  provenance: Exclude<Provenance, 'onchain' | 'none'>
  batch_id: string
}

export interface ListingRow {
  network: string
  node_id: string
  observed_at: string
  listed_at: string
  gpu_model: string
  gpu_count: number
  region: string
  source: string
}

export interface PriceRow {
  token: string
  time: string
  usd: number
  source: string
}

export interface CheckpointRow {
  source_id: string
  cursor: string
  block_number: number
  block_hash: string
  head_number: number
  updated_at: string
}

/** A node's signing key and the last sequence number stored for it (telemetry ingest). */
export interface TelemetryNodeRow {
  network: string
  node_id: string
  key_type: 'ed25519' | 'secp256k1'
  public_key: string
  last_seq: number
  last_digest: string
  updated_at: string
}

export interface RejectionRow {
  time: string
  endpoint: string
  status: number
  reason: string
  path: string
  network: string
  node_id: string
  samples: number
}
