// JSON with u64 values: Solana RPC prints u64 fields (lamports, rentEpoch, ...) as bare JSON numbers,
// some of them above 2^53, so they are carried as bigint and written out digit for digit.

export type Json =
  null | boolean | number | bigint | string | readonly Json[] | { readonly [key: string]: Json | undefined }

export type JsonObject = { readonly [key: string]: Json | undefined }

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Like JSON.stringify, but bigints become bare numbers and keys whose value is undefined are left out. */
export function stringifyJson(value: Json): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'bigint':
      return value.toString()
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null'
    case 'string':
    case 'boolean':
      return JSON.stringify(value)
  }
  if (isJsonArray(value)) return `[${value.map(stringifyJson).join(',')}]`
  const parts: string[] = []
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyJson(item)}`)
  }
  return `{${parts.join(',')}}`
}

function isJsonArray(value: Json): value is readonly Json[] {
  return Array.isArray(value)
}
