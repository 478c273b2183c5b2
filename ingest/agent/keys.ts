/** The operator's key file: a Solana `id.json` (JSON array of 64 bytes) or an EVM private key in hex. */
import { readFile, stat } from 'node:fs/promises'
import { ed25519Signer, secp256k1Signer, type NodeSigner } from '../telemetry/signature.js'

export class KeyFileError extends Error {}

const HEX_KEY = /^(?:0x)?([0-9a-fA-F]{64})$/

/** Never puts key material in an error message. */
export function parseKeyFile(text: string): NodeSigner {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    let bytes: unknown
    try {
      bytes = JSON.parse(trimmed)
    } catch {
      throw new KeyFileError('the key file starts with [ but is not a JSON array')
    }
    const valid =
      Array.isArray(bytes) &&
      bytes.length === 64 &&
      bytes.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)
    if (!valid) throw new KeyFileError('a Solana id.json key file is a JSON array of 64 integers 0..255')
    try {
      return ed25519Signer(Uint8Array.from(bytes as number[]))
    } catch (error) {
      throw new KeyFileError(`unusable ed25519 keypair: ${(error as Error).message}`)
    }
  }
  const hex = HEX_KEY.exec(trimmed)?.[1]
  if (hex) {
    try {
      return secp256k1Signer(Uint8Array.from(Buffer.from(hex, 'hex')))
    } catch (error) {
      throw new KeyFileError(`unusable EVM private key: ${(error as Error).message}`)
    }
  }
  throw new KeyFileError(
    'the key file must be a Solana id.json (JSON array of 64 bytes) or an EVM private key (64 hex digits, 0x optional)',
  )
}

export async function loadKeyFile(
  path: string,
  warn: (message: string) => void = () => undefined,
): Promise<NodeSigner> {
  const info = await stat(path)
  if ((info.mode & 0o077) !== 0) warn(`key file ${path} is readable by other users; chmod 600 it`)
  return parseKeyFile(await readFile(path, 'utf8'))
}
