// Ed25519 signers backed by node:crypto KeyObjects, so transactions sign synchronously.
// @solana/kit KeyPairSigners convert with `fromKitSigner`.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
} from 'node:crypto'
import type { Address, KeyPairSigner } from '@solana/kit'
import { addressFromBytes } from './base58.js'

export interface Signer {
  readonly address: Address
  readonly privateKey: KeyObject
}

// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

function signerFromPrivateKey(privateKey: KeyObject): Signer {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return { address: addressFromBytes(new Uint8Array(spki.subarray(spki.length - 32))), privateKey }
}

/** The signer whose 32-byte Ed25519 seed is `seed`. */
export function signerFromSecretSeed(seed: Uint8Array): Signer {
  if (seed.length !== 32) throw new Error(`an Ed25519 seed has 32 bytes, got ${seed.length}`)
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed])
  return signerFromPrivateKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }))
}

/** A deterministic signer: the same text always gives the same keypair. */
export function signerFromSeed(seed: string): Signer {
  return signerFromSecretSeed(new Uint8Array(createHash('sha256').update(`plumb-devnet:${seed}`).digest()))
}

export function randomSigner(): Signer {
  return signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey)
}

export function fromKitSigner(signer: KeyPairSigner): Signer {
  return { address: signer.address, privateKey: KeyObject.from(signer.keyPair.privateKey) }
}

export function signMessage(signer: Signer, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, signer.privateKey))
}
