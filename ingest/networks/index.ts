import { aethir } from './aethir.js'
import { akash } from './akash.js'
import { ionet } from './ionet.js'
import { nosana } from './nosana.js'
import { render } from './render.js'
import { networkSchema, type Network, type NetworkInput } from './schema.js'

export class CatalogError extends Error {
  constructor(
    readonly network: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`catalog entry "${network}": ${field}: ${reason}`)
  }
}

/** Validates entries and returns them parsed; the first bad field is reported by name. */
export function validateCatalog(entries: readonly NetworkInput[]): Network[] {
  const seen = new Set<string>()
  return entries.map((entry, i) => {
    const label = typeof entry.id === 'string' ? entry.id : `#${i}`
    const parsed = networkSchema.safeParse(entry)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new CatalogError(label, issue?.path.join('.') || '(entry)', issue?.message ?? 'invalid')
    }
    if (seen.has(parsed.data.id)) throw new CatalogError(label, 'id', 'duplicate network id')
    seen.add(parsed.data.id)
    return parsed.data
  })
}

export const CATALOG_ENTRIES: readonly NetworkInput[] = [render, ionet, aethir, nosana, akash]

export function loadCatalog(): Network[] {
  return validateCatalog(CATALOG_ENTRIES)
}

export type { Network } from './schema.js'
