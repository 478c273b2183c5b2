/**
 * A few rows in every table the API reads, so that hostile arguments meet real data: flows, jobs,
 * listings, telemetry and prices of two networks around 2026-01-06.
 */
import type { JobEventRow, ListingRow, TelemetrySampleRow, TokenFlowRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import type { TempDb } from '../support/temp-db.js'

export const SEEDED = {
  networks: ['nosana', 'ionet'],
  /**
   * 003 and 005 are listed and never seen, 004 and ionet 002 seen and never listed: the NULL cases of
   * the LAST_SEEN and UPTIME orders, twice each so that a page ends on one.
   */
  nodes: [
    'nosana-node-001',
    'nosana-node-002',
    'nosana-node-003',
    'nosana-node-004',
    'nosana-node-005',
    'ionet-node-001',
    'ionet-node-002',
  ],
  customers: ['nosana-customer', 'ionet-customer'],
  gpuModels: ['rtx-4090', 'h100-sxm-80gb'],
  jobs: ['nosana-job-0', 'nosana-job-1', 'ionet-job-0'],
} as const

const hour = (h: number): string => {
  const d = new Date(Date.UTC(2026, 0, 5) + h * 3_600_000)
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

function flow(network: string, i: number, kind: TokenFlowRow['kind']): TokenFlowRow {
  return {
    network,
    chain: 'solana',
    block_number: 100 + i,
    block_hash: `h${i}`,
    block_time: hour(i * 3),
    tx_id: `${network}-tx-${i}`,
    event_index: i % 3,
    token: 'T',
    token_symbol: 'NOS',
    amount: String(10 + i),
    amount_usd: i % 4 === 0 ? null : 10 + i,
    kind,
    payer: `${network}-customer`,
    payee: 'vault',
    job_id: `${network}-job-${i % 2}`,
    finality: 'finalized',
    version: 1,
    is_deleted: 0,
  }
}

function job(
  network: string,
  i: number,
  event: JobEventRow['event'],
  status: JobEventRow['status'],
): JobEventRow {
  return {
    network,
    chain: 'solana',
    job_id: `${network}-job-${i}`,
    event,
    time: hour(i * 5 + (event === 'posted' ? 0 : 2)),
    block_number: 100 + i,
    tx_id: `${network}-jtx-${i}-${event}`,
    event_index: 0,
    customer: `${network}-customer`,
    node_id: `${network}-node-00${i + 1}`,
    gpu_model: i % 2 === 0 ? 'rtx-4090' : 'h100-sxm-80gb',
    gpu_count: 1,
    status,
    price: '10',
    price_token: 'NOS',
    price_usd: 10,
    source: 'onchain',
    version: 1,
    is_deleted: 0,
  }
}

function listing(network: string, node: string, model: string): ListingRow {
  return {
    network,
    node_id: node,
    observed_at: hour(0),
    listed_at: hour(0),
    gpu_model: model,
    gpu_count: 2,
    region: 'eu',
    source: 'test',
  }
}

function sample(
  network: string,
  node: string,
  h: number,
  provenance: 'signed' | 'reported',
): TelemetrySampleRow {
  return {
    network,
    node_id: node,
    gpu_uuid: `GPU-${node}`,
    time: `${hour(h)}.000`,
    interval_s: 3600,
    gpu_model: 'rtx-4090',
    gpu_name: 'NVIDIA GeForce RTX 4090',
    vram_mib: 24564,
    utilization_pct: (h * 7) % 100,
    memory_used_mib: 1000,
    power_w: 300,
    temperature_c: 60,
    job_id: h % 2 === 0 ? `${network}-job-0` : '',
    provenance,
    batch_id: String(h + 1),
  }
}

export async function seed(temp: TempDb): Promise<void> {
  const store = new Store(temp.db.writer)
  const kinds: TokenFlowRow['kind'][] = [
    'customer_payment',
    'reward_emission',
    'burn',
    'fee',
    'provider_payout',
  ]
  await store.insert(
    'token_flows',
    SEEDED.networks.flatMap((n) =>
      Array.from({ length: 12 }, (_, i) => flow(n, i, kinds[i % kinds.length] ?? 'other')),
    ),
  )
  await store.insert('job_events', [
    job('nosana', 0, 'posted', 'queued'),
    job('nosana', 0, 'finished', 'succeeded'),
    job('nosana', 1, 'posted', 'queued'),
    job('nosana', 1, 'finished', 'failed'),
    job('ionet', 0, 'posted', 'queued'),
  ])
  await store.insert('listings', [
    listing('nosana', 'nosana-node-001', 'NVIDIA GeForce RTX 4090'),
    listing('nosana', 'nosana-node-002', 'NVIDIA H100 80GB HBM3'),
    listing('nosana', 'nosana-node-003', 'NVIDIA GeForce RTX 4090'),
    listing('nosana', 'nosana-node-005', 'NVIDIA H100 80GB HBM3'),
    listing('ionet', 'ionet-node-001', 'RTX 4090'),
  ])
  await store.insert('telemetry_samples', [
    ...Array.from({ length: 24 }, (_, h) => sample('nosana', 'nosana-node-001', h, 'signed')),
    ...Array.from({ length: 12 }, (_, h) => sample('nosana', 'nosana-node-002', h, 'reported')),
    ...Array.from({ length: 6 }, (_, h) => sample('ionet', 'ionet-node-001', h, 'reported')),
    ...Array.from({ length: 3 }, (_, h) => sample('nosana', 'nosana-node-004', h, 'signed')),
    ...Array.from({ length: 2 }, (_, h) => sample('ionet', 'ionet-node-002', h, 'reported')),
  ])
  await store.insert('prices', [
    { token: 'NOS', time: hour(0), usd: 1.5, source: 'test' },
    { token: 'NOS', time: hour(24), usd: 1.6, source: 'test' },
  ])
}
