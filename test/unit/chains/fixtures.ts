import { fixture } from '../../support/fixtures.js'

/**
 * Reads a fixture and returns the RPC `result`: some files are whole JSON-RPC envelopes
 * (`{ jsonrpc, id, result }`), some only the result. An envelope with `error` throws.
 */
export function loadRpcResult(relativePath: string): unknown {
  const json: unknown = JSON.parse(fixture(relativePath))
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('jsonrpc' in json)) return json
  if ('error' in json) throw new Error(`${relativePath}: JSON-RPC error ${JSON.stringify(json.error)}`)
  if (!('result' in json)) throw new Error(`${relativePath}: JSON-RPC envelope without result`)
  return json.result
}

/** A deep copy to derive a variant (failed, removed, tampered) without touching the fixture. */
export function derive<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value)
  change(copy)
  return copy
}

/** Narrows an unknown JSON value to a record, for the tests that derive variants. */
export function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object')
  return value as Record<string, unknown>
}
