// Compiles instructions into a Solana message (legacy or v0, no lookup tables), signs it and lays out
// the wire transaction. Account order follows the runtime's rules: fee payer, writable signers,
// readonly signers, writable non-signers, readonly non-signers (first appearance within a group).
import type { Address } from '@solana/kit'
import { addressToBytes, base58Decode, base58Encode } from './base58.js'
import type { DevnetInstruction } from './programs.js'
import { signMessage, type Signer } from './signer.js'

export type TxVersion = 'legacy' | 0

export interface CompiledInstruction {
  programIdIndex: number
  accounts: number[]
  data: Uint8Array
}

export interface MessageHeader {
  numRequiredSignatures: number
  numReadonlySignedAccounts: number
  numReadonlyUnsignedAccounts: number
}

export interface CompiledMessage {
  version: TxVersion
  header: MessageHeader
  accountKeys: Address[]
  recentBlockhash: string
  instructions: CompiledInstruction[]
}

export interface SignedTransaction {
  message: CompiledMessage
  signatures: string[]
  messageBytes: Uint8Array
  wireBytes: Uint8Array
}

interface KeyEntry {
  address: Address
  signer: boolean
  writable: boolean
  order: number
}

function collectKeys(instructions: readonly DevnetInstruction[], feePayer: Signer): KeyEntry[] {
  const keys = new Map<Address, KeyEntry>()
  const add = (address: Address, signer: boolean, writable: boolean): void => {
    const entry = keys.get(address)
    if (entry === undefined) keys.set(address, { address, signer, writable, order: keys.size })
    else {
      entry.signer ||= signer
      entry.writable ||= writable
    }
  }
  add(feePayer.address, true, true)
  for (const ix of instructions) {
    for (const meta of ix.accounts) add(meta.address, meta.signer !== undefined, meta.writable)
    add(ix.programId, false, false)
  }
  const group = (e: KeyEntry): number => (e.signer ? 0 : 2) + (e.writable ? 0 : 1)
  return [...keys.values()].sort((a, b) =>
    a.address === feePayer.address
      ? -1
      : b.address === feePayer.address
        ? 1
        : group(a) - group(b) || a.order - b.order,
  )
}

function compactU16(value: number): number[] {
  const out: number[] = []
  let rest = value
  for (;;) {
    const byte = rest & 0x7f
    rest >>= 7
    if (rest === 0) {
      out.push(byte)
      return out
    }
    out.push(byte | 0x80)
  }
}

class ByteWriter {
  private readonly chunks: (Uint8Array | number[])[] = []
  private size = 0

  push(bytes: Uint8Array | number[]): void {
    this.chunks.push(bytes)
    this.size += bytes.length
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size)
    let offset = 0
    for (const chunk of this.chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }
}

export function compileMessage(
  instructions: readonly DevnetInstruction[],
  feePayer: Signer,
  recentBlockhash: string,
  version: TxVersion,
): CompiledMessage {
  const keys = collectKeys(instructions, feePayer)
  const index = new Map(keys.map((k, i) => [k.address, i]))
  const indexOf = (address: Address): number => index.get(address) ?? -1
  return {
    version,
    header: {
      numRequiredSignatures: keys.filter((k) => k.signer).length,
      numReadonlySignedAccounts: keys.filter((k) => k.signer && !k.writable).length,
      numReadonlyUnsignedAccounts: keys.filter((k) => !k.signer && !k.writable).length,
    },
    accountKeys: keys.map((k) => k.address),
    recentBlockhash,
    instructions: instructions.map((ix) => ({
      programIdIndex: indexOf(ix.programId),
      accounts: ix.accounts.map((meta) => indexOf(meta.address)),
      data: ix.data,
    })),
  }
}

export function serializeMessage(message: CompiledMessage): Uint8Array {
  const w = new ByteWriter()
  if (message.version === 0) w.push([0x80])
  const h = message.header
  w.push([h.numRequiredSignatures, h.numReadonlySignedAccounts, h.numReadonlyUnsignedAccounts])
  w.push(compactU16(message.accountKeys.length))
  for (const key of message.accountKeys) w.push(addressToBytes(key))
  w.push(base58Decode(message.recentBlockhash))
  w.push(compactU16(message.instructions.length))
  for (const ix of message.instructions) {
    w.push([ix.programIdIndex])
    w.push(compactU16(ix.accounts.length))
    w.push(ix.accounts)
    w.push(compactU16(ix.data.length))
    w.push(ix.data)
  }
  if (message.version === 0) w.push(compactU16(0))
  return w.finish()
}

/** Signs with every signer the message needs; throws when one is missing. */
export function signTransaction(message: CompiledMessage, signers: readonly Signer[]): SignedTransaction {
  const messageBytes = serializeMessage(message)
  const byAddress = new Map(signers.map((s) => [s.address, s]))
  const signatureBytes = message.accountKeys.slice(0, message.header.numRequiredSignatures).map((key) => {
    const signer = byAddress.get(key)
    if (signer === undefined) throw new Error(`missing signer for ${key}`)
    return signMessage(signer, messageBytes)
  })
  const w = new ByteWriter()
  w.push(compactU16(signatureBytes.length))
  for (const signature of signatureBytes) w.push(signature)
  w.push(messageBytes)
  return { message, signatures: signatureBytes.map(base58Encode), messageBytes, wireBytes: w.finish() }
}

/** Every signer the instructions name, fee payer first, without duplicates. */
export function signersOf(instructions: readonly DevnetInstruction[], feePayer: Signer): Signer[] {
  const out = new Map<Address, Signer>([[feePayer.address, feePayer]])
  for (const ix of instructions) {
    for (const meta of ix.accounts) if (meta.signer !== undefined) out.set(meta.address, meta.signer)
  }
  return [...out.values()]
}
