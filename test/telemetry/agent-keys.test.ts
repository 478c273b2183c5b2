import { ed25519 } from '@noble/curves/ed25519.js'
import { getBase58Decoder } from '@solana/kit'
import { Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import { KeyFileError, parseKeyFile } from '../../ingest/agent/keys.js'

describe('agent key files', () => {
  it('reads a Solana id.json: the node key is the base58 public key', () => {
    const seed = ed25519.utils.randomSecretKey()
    const publicKey = ed25519.getPublicKey(seed)
    const signer = parseKeyFile(JSON.stringify([...seed, ...publicKey]))
    expect(signer.keyType).toBe('ed25519')
    expect(signer.publicKey).toBe(getBase58Decoder().decode(publicKey))
  })

  it('reads an EVM private key, with or without 0x: the node key is the address', () => {
    const wallet = Wallet.createRandom()
    for (const text of [wallet.privateKey, wallet.privateKey.slice(2), `${wallet.privateKey}\n`]) {
      const signer = parseKeyFile(text)
      expect(signer).toMatchObject({ keyType: 'secp256k1', publicKey: wallet.address.toLowerCase() })
    }
  })

  it('refuses anything else without repeating the file’s contents', () => {
    const seed = [...ed25519.utils.randomSecretKey()]
    const inconsistent = JSON.stringify([...seed, ...new Array<number>(32).fill(7)])
    const cases = [inconsistent, JSON.stringify(seed), 'ab'.repeat(31), 'not a key', '[1,2,']
    for (const text of cases) {
      let error: unknown
      try {
        parseKeyFile(text)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(KeyFileError)
      expect(String((error as Error).message)).not.toContain(text.slice(1, 20))
    }
  })
})
