/**
 * Node keys: ed25519 (Solana keypairs; keys and signatures in base58) and secp256k1 (EVM keys;
 * EIP-191 personal_sign over the signing bytes, the node identified by its address).
 * ed25519 goes through node:crypto (OpenSSL, ~20x faster than pure JS); secp256k1 public-key
 * recovery and keccak through @noble/curves and @noble/hashes.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { getBase58Decoder, getBase58Encoder } from '@solana/kit'
import type { KeyType } from './batch.js'

export type KeyProblem = { field: 'publicKey' | 'signature'; reason: string }

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/
const EVM_SIGNATURE = /^0x[0-9a-fA-F]{130}$/

export function base58Encode(bytes: Uint8Array): string {
  return getBase58Decoder().decode(bytes)
}

export function base58Decode(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(getBase58Encoder().encode(text))
  } catch {
    return null
  }
}

/** Null when the public key is well-formed for its type, else why not. */
export function checkPublicKey(keyType: KeyType, publicKey: string): string | null {
  if (keyType === 'secp256k1') {
    return EVM_ADDRESS.test(publicKey) ? null : "must be a 0x-prefixed 20-byte EVM address ('0x' + 40 hex)"
  }
  return base58Decode(publicKey)?.length === 32 ? null : 'must be the base58 of a 32-byte ed25519 key'
}

/** The node identity a public key stands for: EVM addresses compare in lower case. */
export function canonicalPublicKey(keyType: KeyType, publicKey: string): string {
  return keyType === 'secp256k1' ? publicKey.toLowerCase() : publicKey
}

const ED25519_KEYS = new Map<string, KeyObject>()
const MAX_CACHED_KEYS = 50_000

function ed25519PublicKey(raw: Uint8Array, base58: string): KeyObject {
  let key = ED25519_KEYS.get(base58)
  if (!key) {
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
      format: 'jwk',
    })
    if (ED25519_KEYS.size >= MAX_CACHED_KEYS) ED25519_KEYS.clear()
    ED25519_KEYS.set(base58, key)
  }
  return key
}

/** keccak256("\x19Ethereum Signed Message:\n" + length + message), as personal_sign hashes it. */
export function eip191Hash(message: Uint8Array): Uint8Array {
  const prefix = Buffer.from(`\x19Ethereum Signed Message:\n${message.length}`, 'utf8')
  return keccak_256(Buffer.concat([prefix, message]))
}

export function evmAddress(uncompressedPublicKey: Uint8Array): string {
  const hash = keccak_256(uncompressedPublicKey.subarray(1))
  return `0x${Buffer.from(hash.subarray(12)).toString('hex')}`
}

/** True when `signature` is `publicKey`'s signature of `message`. Never throws on bad input. */
export function verifySignature(
  keyType: KeyType,
  publicKey: string,
  message: Uint8Array,
  signature: string,
): boolean {
  return keyType === 'ed25519'
    ? verifyEd25519(publicKey, message, signature)
    : verifySecp256k1(publicKey, message, signature)
}

function verifyEd25519(publicKey: string, message: Uint8Array, signature: string): boolean {
  const raw = base58Decode(publicKey)
  const sig = base58Decode(signature)
  if (raw?.length !== 32 || sig?.length !== 64) return false
  try {
    return verify(null, message, ed25519PublicKey(raw, publicKey), sig)
  } catch {
    return false
  }
}

function verifySecp256k1(address: string, message: Uint8Array, signature: string): boolean {
  if (!EVM_ADDRESS.test(address) || !EVM_SIGNATURE.test(signature)) return false
  const bytes = Buffer.from(signature.slice(2), 'hex')
  const v = bytes[64] ?? -1
  const recovery = v >= 27 ? v - 27 : v
  if (recovery !== 0 && recovery !== 1) return false
  try {
    const sig = secp256k1.Signature.fromBytes(
      Buffer.concat([Buffer.of(recovery), bytes.subarray(0, 64)]),
      'recovered',
    )
    // EIP-2: a high-s signature is the malleated twin of a valid one.
    if (sig.hasHighS()) return false
    const point = sig.recoverPublicKey(eip191Hash(message))
    return evmAddress(point.toBytes(false)) === address.toLowerCase()
  } catch {
    return false
  }
}

/** A node's signing key, as the agent loads it from the operator's key file. */
export interface NodeSigner {
  keyType: KeyType
  publicKey: string
  sign(message: Uint8Array): string
}

/** Solana `id.json`: the 64 bytes of the secret seed then the public key. */
export function ed25519Signer(keypair: Uint8Array): NodeSigner {
  if (keypair.length !== 64) throw new Error('an ed25519 keypair has 64 bytes (seed then public key)')
  const seed = keypair.subarray(0, 32)
  const publicRaw = keypair.subarray(32)
  const privateKey = createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(seed).toString('base64url'),
      x: Buffer.from(publicRaw).toString('base64url'),
    },
    format: 'jwk',
  })
  const derived = createPublicKey(privateKey).export({ format: 'jwk' }).x
  if (derived !== Buffer.from(publicRaw).toString('base64url')) {
    throw new Error('the keypair is inconsistent: its public half is not the seed’s public key')
  }
  return {
    keyType: 'ed25519',
    publicKey: base58Encode(publicRaw),
    sign: (message) => base58Encode(sign(null, message, privateKey)),
  }
}

/** An EVM private key (32 bytes): EIP-191 personal_sign, r ‖ s ‖ v with v = 27 or 28. */
export function secp256k1Signer(privateKey: Uint8Array): NodeSigner {
  if (!secp256k1.utils.isValidSecretKey(privateKey)) throw new Error('not a valid secp256k1 private key')
  const address = evmAddress(secp256k1.getPublicKey(privateKey, false))
  return {
    keyType: 'secp256k1',
    publicKey: address,
    sign(message) {
      const recovered = secp256k1.sign(eip191Hash(message), privateKey, {
        prehash: false,
        format: 'recovered',
      })
      const rs = Buffer.from(recovered.subarray(1))
      return `0x${Buffer.concat([rs, Buffer.of(27 + (recovered[0] ?? 0))]).toString('hex')}`
    },
  }
}
