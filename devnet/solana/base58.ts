// Base58 (Bitcoin alphabet) for keys, signatures and instruction data. @solana/kit's codec goes through
// BigInt and costs ~50-150 µs per key, which dominated transaction throughput; this byte-wise
// version is a few µs for 32-64 bytes.
import type { Address } from '@solana/kit'

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0))
const ONE = 49
const INDEX = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  // log(256) / log(58) ≈ 1.366 digits per byte
  const digits = new Uint8Array(Math.ceil(((bytes.length - zeros) * 138) / 100) + 1)
  let length = 0
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i] ?? 0
    let j = 0
    for (let k = digits.length - 1; (carry !== 0 || j < length) && k >= 0; k--, j++) {
      carry += 256 * (digits[k] ?? 0)
      digits[k] = carry % 58
      carry = Math.floor(carry / 58)
    }
    length = j
  }
  let start = digits.length - length
  while (start < digits.length && digits[start] === 0) start++
  // Built from char codes in one go: `+=` per character leaves a rope of cons-strings in memory.
  const codes = new Array<number>(zeros + digits.length - start).fill(ONE)
  for (let i = start; i < digits.length; i++) codes[zeros + i - start] = CODES[digits[i] ?? 0] ?? ONE
  return String.fromCharCode(...codes)
}

export function base58Decode(text: string): Uint8Array {
  let zeros = 0
  while (zeros < text.length && text[zeros] === '1') zeros++
  const bytes = new Uint8Array(Math.ceil(((text.length - zeros) * 733) / 1000) + 1)
  let length = 0
  for (let i = zeros; i < text.length; i++) {
    const code = text.charCodeAt(i)
    let carry = code < 128 ? (INDEX[code] ?? -1) : -1
    if (carry < 0) throw new Error(`invalid base58 character ${JSON.stringify(text[i])}`)
    let j = 0
    for (let k = bytes.length - 1; (carry !== 0 || j < length) && k >= 0; k--, j++) {
      carry += 58 * (bytes[k] ?? 0)
      bytes[k] = carry % 256
      carry = Math.floor(carry / 256)
    }
    length = j
  }
  let start = bytes.length - length
  while (start < bytes.length && bytes[start] === 0) start++
  const out = new Uint8Array(zeros + bytes.length - start)
  out.set(bytes.subarray(start), zeros)
  return out
}

// Token accounts name the same mints and owners transaction after transaction: encoding a key
// costs ~15 µs, looking it up ~1 µs. Bounded, as the RPC server decodes whatever it is sent.
const addressCache = new Map<string, Address>()
const ADDRESS_CACHE_SIZE = 100_000

/** A 32-byte public key as an Address (base58), without kit's slower validation round trip. */
export function addressFromBytes(bytes: Uint8Array): Address {
  if (bytes.length !== 32) throw new Error(`an address has 32 bytes, got ${bytes.length}`)
  const key = String.fromCharCode(...bytes)
  let address = addressCache.get(key)
  if (address === undefined) {
    address = base58Encode(bytes) as Address
    if (addressCache.size >= ADDRESS_CACHE_SIZE) addressCache.clear()
    addressCache.set(key, address)
  }
  return address
}

// Addresses repeat across transactions (payers, mints, programs); decoding each once is enough.
const addressBytesCache = new Map<string, Uint8Array>()

/** The 32 bytes of an address. The returned array is shared: do not modify it. */
export function addressToBytes(address: Address): Uint8Array {
  let bytes = addressBytesCache.get(address)
  if (bytes === undefined) {
    bytes = base58Decode(address)
    if (bytes.length !== 32) throw new Error(`${address} is not a 32-byte address`)
    addressBytesCache.set(address, bytes)
  }
  return bytes
}

/** Parses untrusted text as an address; undefined when it is not 32 bytes of base58. */
export function parseAddress(text: string): Address | undefined {
  try {
    return base58Decode(text).length === 32 ? (text as Address) : undefined
  } catch {
    return undefined
  }
}
