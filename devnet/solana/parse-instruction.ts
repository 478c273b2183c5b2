// The jsonParsed decoding of instructions, following agave's transaction-status parsers
// (parse_token.rs, parse_system.rs, parse_associated_token.rs, parse_instruction.rs):
// same `type` names, same `info` keys, u64 token amounts as strings, lamports as numbers.
// Programs or instructions it does not know come back null, and the caller prints them
// partially decoded ({ programId, accounts, data }), as agave does.
import type { Address } from '@solana/kit'
import { addressFromBytes } from './base58.js'
import type { Json, JsonObject } from './json.js'
import {
  ASSOCIATED_TOKEN_PROGRAM,
  MEMO_PROGRAM,
  MEMO_V1_PROGRAM,
  SYSTEM_PROGRAM,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from './programs.js'
import { uiTokenAmount } from './token-state.js'

export interface ParsedInstruction {
  program: string
  parsed: Json
}

interface Parsed {
  type: string
  info: JsonObject
}

/** Reads an instruction's data; every read past the end throws, which turns into "not parsable". */
class Reader {
  private offset = 0
  constructor(private readonly data: Uint8Array) {}

  private take(length: number): Uint8Array {
    if (this.offset + length > this.data.length) throw new RangeError('instruction data too short')
    const bytes = this.data.subarray(this.offset, this.offset + length)
    this.offset += length
    return bytes
  }

  u8(): number {
    return this.take(1)[0] ?? 0
  }

  u32(): number {
    const b = this.take(4)
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)
  }

  u64(): bigint {
    const b = this.take(8)
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true)
  }

  address(): Address {
    return addressFromBytes(this.take(32))
  }

  /** COption<Pubkey> in the token program's instruction packing: a 1-byte tag, then 32 bytes if set. */
  optionalAddress(): Address | null {
    return this.u8() === 1 ? this.address() : null
  }

  rest(): Uint8Array {
    return this.take(this.data.length - this.offset)
  }
}

/** The instruction's accounts by position; a missing one makes the instruction unparsable. */
class Accounts {
  constructor(readonly keys: readonly Address[]) {}

  at(position: number): Address {
    const key = this.keys[position]
    if (key === undefined) throw new RangeError(`instruction has no account ${position}`)
    return key
  }

  require(count: number): void {
    if (this.keys.length < count) throw new RangeError(`instruction needs ${count} accounts`)
  }
}

/** agave `parse_signers`: a single authority, or a multisig account followed by its signers. */
function withSigners(
  info: Record<string, Json>,
  accounts: Accounts,
  lastNonSigner: number,
  ownerField: string,
  multisigField: string,
): JsonObject {
  if (accounts.keys.length > lastNonSigner + 1) {
    info[multisigField] = accounts.at(lastNonSigner)
    info.signers = accounts.keys.slice(lastNonSigner + 1)
  } else {
    info[ownerField] = accounts.at(lastNonSigner)
  }
  return info
}

const AUTHORITY_TYPES = ['mintTokens', 'freezeAccount', 'accountOwner', 'closeAccount']

function parseToken(data: Uint8Array, accounts: Accounts): Parsed | null {
  const r = new Reader(data)
  const tag = r.u8()
  const a = (i: number): Address => accounts.at(i)
  switch (tag) {
    case 0: {
      accounts.require(2)
      const decimals = r.u8()
      const mintAuthority = r.address()
      const freeze = r.optionalAddress()
      const info: Record<string, Json> = { mint: a(0), decimals, mintAuthority, rentSysvar: a(1) }
      if (freeze !== null) info.freezeAuthority = freeze
      return { type: 'initializeMint', info }
    }
    case 1:
      accounts.require(4)
      return { type: 'initializeAccount', info: { account: a(0), mint: a(1), owner: a(2), rentSysvar: a(3) } }
    case 2:
      accounts.require(3)
      return {
        type: 'initializeMultisig',
        info: { multisig: a(0), rentSysvar: a(1), signers: accounts.keys.slice(2), m: r.u8() },
      }
    case 3: {
      accounts.require(3)
      const info = { source: a(0), destination: a(1), amount: r.u64().toString() }
      return { type: 'transfer', info: withSigners(info, accounts, 2, 'authority', 'multisigAuthority') }
    }
    case 4: {
      accounts.require(3)
      const info = { source: a(0), delegate: a(1), amount: r.u64().toString() }
      return { type: 'approve', info: withSigners(info, accounts, 2, 'owner', 'multisigOwner') }
    }
    case 5:
      accounts.require(2)
      return { type: 'revoke', info: withSigners({ source: a(0) }, accounts, 1, 'owner', 'multisigOwner') }
    case 6: {
      accounts.require(2)
      const authorityType = AUTHORITY_TYPES[r.u8()]
      if (authorityType === undefined) return null
      const newAuthority = r.optionalAddress()
      const owned = authorityType === 'accountOwner' || authorityType === 'closeAccount' ? 'account' : 'mint'
      const info = { [owned]: a(0), authorityType, newAuthority }
      return { type: 'setAuthority', info: withSigners(info, accounts, 1, 'authority', 'multisigAuthority') }
    }
    case 7: {
      accounts.require(3)
      const info = { mint: a(0), account: a(1), amount: r.u64().toString() }
      return {
        type: 'mintTo',
        info: withSigners(info, accounts, 2, 'mintAuthority', 'multisigMintAuthority'),
      }
    }
    case 8: {
      accounts.require(3)
      const info = { account: a(0), mint: a(1), amount: r.u64().toString() }
      return { type: 'burn', info: withSigners(info, accounts, 2, 'authority', 'multisigAuthority') }
    }
    case 9:
      accounts.require(3)
      return {
        type: 'closeAccount',
        info: withSigners({ account: a(0), destination: a(1) }, accounts, 2, 'owner', 'multisigOwner'),
      }
    case 10:
    case 11: {
      accounts.require(3)
      const info = withSigners(
        { account: a(0), mint: a(1) },
        accounts,
        2,
        'freezeAuthority',
        'multisigFreezeAuthority',
      )
      return { type: tag === 10 ? 'freezeAccount' : 'thawAccount', info }
    }
    case 12: {
      accounts.require(4)
      const tokenAmount = checkedAmount(r)
      const info = { source: a(0), mint: a(1), destination: a(2), tokenAmount }
      return {
        type: 'transferChecked',
        info: withSigners(info, accounts, 3, 'authority', 'multisigAuthority'),
      }
    }
    case 13: {
      accounts.require(4)
      const tokenAmount = checkedAmount(r)
      const info = { source: a(0), mint: a(1), delegate: a(2), tokenAmount }
      return { type: 'approveChecked', info: withSigners(info, accounts, 3, 'owner', 'multisigOwner') }
    }
    case 14: {
      accounts.require(3)
      const info = { mint: a(0), account: a(1), tokenAmount: checkedAmount(r) }
      return {
        type: 'mintToChecked',
        info: withSigners(info, accounts, 2, 'mintAuthority', 'multisigMintAuthority'),
      }
    }
    case 15: {
      accounts.require(3)
      const info = { account: a(0), mint: a(1), tokenAmount: checkedAmount(r) }
      return { type: 'burnChecked', info: withSigners(info, accounts, 2, 'authority', 'multisigAuthority') }
    }
    case 16:
      accounts.require(3)
      return {
        type: 'initializeAccount2',
        info: { account: a(0), mint: a(1), owner: r.address(), rentSysvar: a(2) },
      }
    case 17:
      accounts.require(1)
      return { type: 'syncNative', info: { account: a(0) } }
    case 18:
      accounts.require(2)
      return { type: 'initializeAccount3', info: { account: a(0), mint: a(1), owner: r.address() } }
    case 19:
      accounts.require(2)
      return {
        type: 'initializeMultisig2',
        info: { multisig: a(0), signers: accounts.keys.slice(1), m: r.u8() },
      }
    case 20: {
      accounts.require(1)
      const decimals = r.u8()
      const mintAuthority = r.address()
      const freeze = r.optionalAddress()
      const info: Record<string, Json> = { mint: a(0), decimals, mintAuthority }
      if (freeze !== null) info.freezeAuthority = freeze
      return { type: 'initializeMint2', info }
    }
    case 21: {
      accounts.require(1)
      const extensionTypes = extensionTypeNames(r.rest())
      if (extensionTypes === null) return null
      const info: Record<string, Json> = { mint: a(0) }
      if (extensionTypes.length > 0) info.extensionTypes = extensionTypes
      return { type: 'getAccountDataSize', info }
    }
    case 22:
      accounts.require(1)
      return { type: 'initializeImmutableOwner', info: { account: a(0) } }
    case 23:
      accounts.require(1)
      return { type: 'amountToUiAmount', info: { mint: a(0), amount: r.u64().toString() } }
    case 24:
      accounts.require(1)
      return {
        type: 'uiAmountToAmount',
        info: { mint: a(0), uiAmount: new TextDecoder('utf-8', { fatal: true }).decode(r.rest()) },
      }
    default:
      // Token-2022 extension instructions (25 and up) are not decoded here.
      return null
  }
}

// agave UiExtensionType names, indexed by spl-token-2022's ExtensionType (u16).
const EXTENSION_TYPES = [
  'uninitialized',
  'transferFeeConfig',
  'transferFeeAmount',
  'mintCloseAuthority',
  'confidentialTransferMint',
  'confidentialTransferAccount',
  'defaultAccountState',
  'immutableOwner',
  'memoTransfer',
  'nonTransferable',
  'interestBearingConfig',
  'cpiGuard',
  'permanentDelegate',
  'nonTransferableAccount',
  'transferHook',
  'transferHookAccount',
  'confidentialTransferFeeConfig',
  'confidentialTransferFeeAmount',
  'metadataPointer',
  'tokenMetadata',
  'groupPointer',
  'tokenGroup',
  'groupMemberPointer',
  'tokenGroupMember',
]

/** GetAccountDataSize's trailing u16 extension types (the ATA program asks for immutableOwner). */
function extensionTypeNames(bytes: Uint8Array): string[] | null {
  if (bytes.length % 2 !== 0) return null
  const names: string[] = []
  for (let i = 0; i < bytes.length; i += 2) {
    const name = EXTENSION_TYPES[(bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8)]
    if (name === undefined) return null
    names.push(name)
  }
  return names
}

function checkedAmount(r: Reader): Json {
  const amount = r.u64()
  const ui = uiTokenAmount(amount, r.u8())
  return { ...ui }
}

function parseSystem(data: Uint8Array, accounts: Accounts): Parsed | null {
  const r = new Reader(data)
  const a = (i: number): Address => accounts.at(i)
  switch (r.u32()) {
    case 0: {
      accounts.require(2)
      const lamports = r.u64()
      const space = r.u64()
      return {
        type: 'createAccount',
        info: { source: a(0), newAccount: a(1), lamports, space, owner: r.address() },
      }
    }
    case 1:
      accounts.require(1)
      return { type: 'assign', info: { account: a(0), owner: r.address() } }
    case 2:
      accounts.require(2)
      return { type: 'transfer', info: { source: a(0), destination: a(1), lamports: r.u64() } }
    case 4:
      accounts.require(3)
      return {
        type: 'advanceNonce',
        info: { nonceAccount: a(0), recentBlockhashesSysvar: a(1), nonceAuthority: a(2) },
      }
    case 5:
      accounts.require(5)
      return {
        type: 'withdrawFromNonce',
        info: {
          nonceAccount: a(0),
          destination: a(1),
          recentBlockhashesSysvar: a(2),
          rentSysvar: a(3),
          nonceAuthority: a(4),
          lamports: r.u64(),
        },
      }
    case 6:
      accounts.require(3)
      return {
        type: 'initializeNonce',
        info: {
          nonceAccount: a(0),
          recentBlockhashesSysvar: a(1),
          rentSysvar: a(2),
          nonceAuthority: r.address(),
        },
      }
    case 7:
      accounts.require(2)
      return {
        type: 'authorizeNonce',
        info: { nonceAccount: a(0), nonceAuthority: a(1), newAuthorized: r.address() },
      }
    case 8:
      accounts.require(1)
      return { type: 'allocate', info: { account: a(0), space: r.u64() } }
    case 12:
      accounts.require(1)
      return { type: 'upgradeNonce', info: { nonceAccount: a(0) } }
    default:
      // The *WithSeed variants and CreateAccountAllowPrefund are not decoded here.
      return null
  }
}

function parseAssociatedToken(data: Uint8Array, accounts: Accounts): Parsed | null {
  const kind = data.length === 0 ? 0 : data[0]
  if (kind === 0 || kind === 1) {
    accounts.require(6)
    const info = {
      source: accounts.at(0),
      account: accounts.at(1),
      wallet: accounts.at(2),
      mint: accounts.at(3),
      systemProgram: accounts.at(4),
      tokenProgram: accounts.at(5),
    }
    return { type: kind === 0 ? 'create' : 'createIdempotent', info }
  }
  if (kind === 2) {
    accounts.require(7)
    const [nestedSource, nestedMint, destination, nestedOwner, ownerMint, wallet, tokenProgram] = [
      0, 1, 2, 3, 4, 5, 6,
    ].map((i) => accounts.at(i))
    return {
      type: 'recoverNested',
      info: { nestedSource, nestedMint, destination, nestedOwner, ownerMint, wallet, tokenProgram },
    }
  }
  return null
}

function parseMemo(data: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(data)
}

/** agave builds `info` as a serde_json Map, which keeps its keys sorted. */
function asJson(parsed: Parsed | null): Json | null {
  if (parsed === null) return null
  const info = Object.fromEntries(
    Object.entries(parsed.info).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  )
  return { info, type: parsed.type }
}

/** The jsonParsed form of one instruction, or null when agave would print it partially decoded. */
export function parseInstruction(
  programId: Address,
  accountKeys: readonly Address[],
  data: Uint8Array,
): ParsedInstruction | null {
  const accounts = new Accounts(accountKeys)
  try {
    switch (programId) {
      case TOKEN_PROGRAM:
      case TOKEN_2022_PROGRAM:
        return wrap('spl-token', asJson(parseToken(data, accounts)))
      case SYSTEM_PROGRAM:
        return wrap('system', asJson(parseSystem(data, accounts)))
      case ASSOCIATED_TOKEN_PROGRAM:
        return wrap('spl-associated-token-account', asJson(parseAssociatedToken(data, accounts)))
      case MEMO_PROGRAM:
      case MEMO_V1_PROGRAM:
        return wrap('spl-memo', parseMemo(data))
      default:
        return null
    }
  } catch {
    return null
  }
}

function wrap(program: string, parsed: Json | null): ParsedInstruction | null {
  return parsed === null ? null : { program, parsed }
}

/** The memo programs whose top-level instructions getSignaturesForAddress reports in `memo` (v1 and v3). */
export function isMemoProgram(programId: Address): boolean {
  return programId === MEMO_PROGRAM || programId === MEMO_V1_PROGRAM
}
