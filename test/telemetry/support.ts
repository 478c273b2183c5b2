/**
 * Test keys and signing done with other libraries than the server's (noble ed25519 instead of
 * node:crypto, ethers' signMessage instead of noble secp256k1), so a test signature checks the
 * server against independent implementations of the two schemes.
 */
import { readFileSync } from 'node:fs'
import { ed25519 } from '@noble/curves/ed25519.js'
import { getBase58Decoder } from '@solana/kit'
import { Wallet } from 'ethers'
import type { ClickHouseClient } from '@clickhouse/client'
import { canonicalJson, type TelemetryBatch, type UnsignedBatch } from '../../ingest/telemetry/batch.js'

export const DOMAIN = 'plumb-telemetry-v1\n'

export interface TestKey {
  keyType: 'ed25519' | 'secp256k1'
  publicKey: string
  /** What an operator's key file holds. */
  keyFile: string
  sign(message: Uint8Array): Promise<string>
}

export function ed25519Key(): TestKey {
  const seed = ed25519.utils.randomSecretKey()
  const publicKey = ed25519.getPublicKey(seed)
  const base58 = (bytes: Uint8Array): string => getBase58Decoder().decode(bytes)
  return {
    keyType: 'ed25519',
    publicKey: base58(publicKey),
    keyFile: JSON.stringify([...seed, ...publicKey]),
    sign: async (message) => base58(ed25519.sign(message, seed)),
  }
}

export function evmKey(): TestKey {
  const wallet = Wallet.createRandom()
  return {
    keyType: 'secp256k1',
    publicKey: wallet.address,
    keyFile: wallet.privateKey,
    sign: (message) => wallet.signMessage(message),
  }
}

export function signingBytes(batch: UnsignedBatch): Buffer {
  return Buffer.from(DOMAIN + canonicalJson(batch), 'utf8')
}

export async function signed(batch: UnsignedBatch, key: TestKey): Promise<TelemetryBatch> {
  return { ...batch, signature: await key.sign(signingBytes(batch)) }
}

export interface SampleValues {
  utilizationPct: number | null
  memoryUsedMiB: number | null
  powerW: number | null
  temperatureC: number | null
}

/** One H100 with `values` at each of `times`. */
export function h100Batch(
  key: TestKey,
  seq: number,
  times: Date[],
  values: SampleValues = { utilizationPct: 97, memoryUsedMiB: 40_000, powerW: 631.95, temperatureC: 59 },
  nodeId = key.publicKey,
): UnsignedBatch {
  return {
    version: 1,
    network: 'nosana',
    nodeId,
    keyType: key.keyType,
    publicKey: key.publicKey,
    seq,
    intervalS: 10,
    gpus: [
      {
        uuid: 'GPU-8b7f3c9e-0000-4a1b-9c2d-000000000001',
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        pciDeviceId: '10de:2330',
        memoryTotalMiB: 81559,
      },
    ],
    samples: times.map((t) => ({ gpu: 0, time: t.toISOString(), ...values, jobId: null })),
  }
}

export interface Reply {
  status: number
  retryAfter: string | null
  body: Record<string, unknown>
}

export async function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Reply> {
  const res = await fetch(url, { method: 'POST', headers, body })
  const text = await res.text()
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(text) as Record<string, unknown>
  } catch {
    parsed = { text }
  }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: parsed }
}

export async function rows<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

export async function count(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown> = {},
): Promise<number> {
  const [row] = await rows<{ n: string }>(client, query, params)
  return Number(row?.n ?? 0)
}

/** /work/shared/fixtures, beside the repository. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../../../shared/fixtures/${path}`, import.meta.url), 'utf8')
}

export function secondsAgo(s: number): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - s * 1000)
}
