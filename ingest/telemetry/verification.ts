/** Listings reconciled with signed telemetry, per node (sql/queries/node_verification.sql). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { SQL_DIR } from '../store/paths.js'
import { normalizeGpuModel } from './gpu-models.js'

export type VerificationStatus = 'verified' | 'mismatch' | 'unverified'

export interface NodeVerification {
  nodeId: string
  /** As the listing says it. */
  listedName: string
  /** Canonical id of the listed model; null when the listing names no single model. */
  listedModel: string | null
  listedCount: number
  /** Canonical ids of the GPUs in the node's signed telemetry ('unknown' for unidentified names). */
  signedModels: string[]
  signedGpus: number
  lastSignedAt: Date | null
  status: VerificationStatus
  reason:
    'no_signed_telemetry' | 'listed_model_unknown' | 'model_differs' | 'signed_model_unknown' | 'models_match'
}

interface Row {
  node_id: string
  listed_name: string
  listed_model: string
  listed_count: number
  signed_models: string[]
  signed_gpus: string | number
  last_signed_at: string | null
  reason: NodeVerification['reason']
  status: VerificationStatus
}

function sql(name: string): string {
  return readFileSync(join(SQL_DIR, 'queries', `${name}.sql`), 'utf8')
}

async function rows<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

export async function nodeVerification(
  client: ClickHouseClient,
  network: string,
): Promise<NodeVerification[]> {
  const names = (await rows<{ listed_name: string }>(client, sql('listed_gpu_models'), { network })).map(
    (r) => r.listed_name,
  )
  const ids = names.map((name) => normalizeGpuModel(name)?.id ?? '')
  const result = await rows<Row>(client, sql('node_verification'), {
    network,
    listed_names: names,
    listed_ids: ids,
  })
  return result.map((r) => ({
    nodeId: r.node_id,
    listedName: r.listed_name,
    listedModel: r.listed_model === '' ? null : r.listed_model,
    listedCount: Number(r.listed_count),
    signedModels: r.signed_models,
    signedGpus: Number(r.signed_gpus),
    lastSignedAt: r.last_signed_at === null ? null : new Date(`${r.last_signed_at.replace(' ', 'T')}Z`),
    status: r.status,
    reason: r.reason,
  }))
}
