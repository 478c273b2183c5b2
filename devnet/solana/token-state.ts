// SPL Token account and mint layouts, and the UiTokenAmount form mainnet RPC prints them in.
import type { Address } from '@solana/kit'
import { addressFromBytes } from './base58.js'
import { MINT_SIZE, TOKEN_2022_PROGRAM, TOKEN_ACCOUNT_SIZE, TOKEN_PROGRAM } from './programs.js'

export interface UiTokenAmount {
  amount: string
  decimals: number
  uiAmount: number | null
  uiAmountString: string
}

export interface TokenAccountState {
  mint: Address
  owner: Address
  amount: bigint
  delegate: Address | null
  state: 'uninitialized' | 'initialized' | 'frozen'
  isNative: boolean
  delegatedAmount: bigint
  closeAuthority: Address | null
}

export interface MintState {
  mintAuthority: Address | null
  supply: bigint
  decimals: number
  isInitialized: boolean
  freezeAuthority: Address | null
}

export function isTokenProgram(owner: Address): boolean {
  return owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM
}

function readU64(data: Uint8Array, offset: number): bigint {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(offset, true)
}

function readAddress(data: Uint8Array, offset: number): Address {
  return addressFromBytes(data.subarray(offset, offset + 32))
}

function readOptionalAddress(data: Uint8Array, offset: number): Address | null {
  return data[offset] === 1 ? readAddress(data, offset + 4) : null
}

/** Token-2022 accounts carry extensions after the base layout; byte 165 tells an account (2) from a mint (1). */
function isTokenAccountData(data: Uint8Array): boolean {
  return (
    data.length === TOKEN_ACCOUNT_SIZE || (data.length > TOKEN_ACCOUNT_SIZE && data[TOKEN_ACCOUNT_SIZE] === 2)
  )
}

export function unpackTokenAccount(data: Uint8Array): TokenAccountState | null {
  if (!isTokenAccountData(data)) return null
  const stateByte = data[108]
  if (stateByte === undefined || stateByte === 0) return null
  return {
    mint: readAddress(data, 0),
    owner: readAddress(data, 32),
    amount: readU64(data, 64),
    delegate: readOptionalAddress(data, 72),
    state: stateByte === 2 ? 'frozen' : 'initialized',
    isNative: data[109] === 1,
    delegatedAmount: readU64(data, 121),
    closeAuthority: readOptionalAddress(data, 129),
  }
}

export function unpackMint(data: Uint8Array): MintState | null {
  if (data.length < MINT_SIZE || isTokenAccountData(data)) return null
  if (data.length > MINT_SIZE && data[TOKEN_ACCOUNT_SIZE] !== 1) return null
  const decimals = data[44]
  if (decimals === undefined || data[45] !== 1) return null
  return {
    mintAuthority: readOptionalAddress(data, 0),
    supply: readU64(data, 36),
    decimals,
    isInitialized: true,
    freezeAuthority: readOptionalAddress(data, 46),
  }
}

/** agave `real_number_string_trimmed`: the amount as a decimal string without trailing zeros. */
export function realNumberStringTrimmed(amount: bigint, decimals: number): string {
  if (decimals === 0) return amount.toString()
  const padded = amount.toString().padStart(decimals + 1, '0')
  const whole = padded.slice(0, padded.length - decimals)
  const fraction = padded.slice(padded.length - decimals).replace(/0+$/, '')
  return fraction === '' ? whole : `${whole}.${fraction}`
}

/** agave `token_amount_to_ui_amount_v3`, as instruction parsing and getTokenSupply print it. */
export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  return {
    amount: amount.toString(),
    decimals,
    uiAmount: Number(amount) / 10 ** decimals,
    uiAmountString: realNumberStringTrimmed(amount, decimals),
  }
}

/**
 * Token balances in transaction metadata go through the blockstore's protobuf, which stores
 * uiAmount as a plain f64 and reads 0.0 back as None: mainnet prints `uiAmount: null` for zero.
 */
export function storedUiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const ui = uiTokenAmount(amount, decimals)
  return ui.uiAmount === 0 ? { ...ui, uiAmount: null } : ui
}
