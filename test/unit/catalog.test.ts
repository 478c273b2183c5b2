import { describe, expect, it } from 'vitest'
import { CATALOG_ENTRIES, CatalogError, loadCatalog, validateCatalog } from '../../ingest/networks/index.js'
import type { NetworkInput } from '../../ingest/networks/schema.js'

const render = CATALOG_ENTRIES.find((n) => n.id === 'render') as NetworkInput

function rejection(entry: unknown): CatalogError {
  try {
    validateCatalog([entry as NetworkInput])
  } catch (error) {
    if (error instanceof CatalogError) return error
    throw error
  }
  throw new Error('the entry was accepted')
}

describe('network catalog', () => {
  it('holds the five networks with the facts of NETWORKS.md', () => {
    const catalog = loadCatalog()
    expect(catalog.map((n) => n.id)).toEqual(['render', 'ionet', 'aethir', 'nosana', 'akash'])
    const token = (id: string, symbol: string) =>
      catalog.find((n) => n.id === id)?.tokens.find((t) => t.symbol === symbol)
    expect(token('render', 'RENDER')).toMatchObject({
      address: 'rndrizKT3MK1iimdxRdWabcF7Zg7AR5T4nud4EkHBof',
      decimals: 8,
      unconfirmed: false,
    })
    expect(token('ionet', 'IO')).toMatchObject({ decimals: null, unconfirmed: true })
    expect(token('aethir', 'ATH')).toMatchObject({ decimals: 18, unconfirmed: true })
    expect(token('nosana', 'NOS')).toMatchObject({
      address: 'nosXBVoaCTtYdLvKY6Csb4AC8JCdQKKAaWYtx2ZMoo7',
      decimals: 6,
    })
    const jobs = catalog.find((n) => n.id === 'nosana')?.accounts.find((a) => a.role === 'jobs_program')
    expect(jobs?.address).toBe('nosJhNRqr2bc9g1nfGDcXXTXvYUmxD4cVwy2pMWhrYM')
  })

  it('rejects a wrong type, naming the field', () => {
    const broken = { ...render, tokens: [{ ...render.tokens[0], decimals: 'eight' }] }
    const error = rejection(broken)
    expect(error.network).toBe('render')
    expect(error.field).toBe('tokens.0.decimals')
    expect(error.message).toMatch(/expected number/)
  })

  it('rejects a missing disclosure, naming the metric', () => {
    const { job_success: _dropped, ...disclosure } = render.disclosure
    expect(rejection({ ...render, disclosure }).field).toBe('disclosure.job_success')
  })

  it('rejects a classification rule on a token the network does not have', () => {
    const rule = { token: 'NOPE', movement: 'burn', kind: 'burn', note: 'x' }
    expect(rejection({ ...render, classification: [rule] }).field).toBe('classification.0.token')
  })

  it('rejects unknown fields and duplicate ids', () => {
    expect(rejection({ ...render, gpuCount: 1_000_000 }).message).toMatch(/gpuCount/)
    expect(() => validateCatalog([render, render])).toThrow(/duplicate network id/)
  })
})
