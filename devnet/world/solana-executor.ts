import type { Address } from '@solana/kit'
import { SolanaLedger } from '../solana/ledger.js'
import {
  burnInstruction,
  mintToInstruction,
  transferCheckedInstruction,
  type DevnetInstruction,
} from '../solana/programs.js'
import type { Signer } from '../solana/signer.js'
import type { SolanaAction, TokenOp, World } from './model.js'
import { WORLD_TOKENS } from './networks.js'

const SOL = 1_000_000_000n

/**
 * Replays the world's Solana transactions on the litesvm ledger: real signed SPL Token
 * instructions (mintTo, transferChecked, burn) with SPL memos, each in the slot of its time.
 * Wallets are deterministic keypairs derived from their labels; token accounts are the
 * associated ones, created (idempotently) the first time a wallet receives a token.
 */
export class SolanaExecutor {
  readonly ledger: SolanaLedger
  readonly mints = new Map<string, Address>()
  private readonly signers = new Map<string, Signer>()
  private readonly accounts = new Set<string>()
  private readonly relayer: Signer
  private executed = 0

  constructor(world: World) {
    this.ledger = new SolanaLedger({
      genesisUnixTimestamp: Math.floor(world.config.start.getTime() / 1000) - 86_400,
    })
    this.relayer = this.wallet('world-relayer')
    for (const token of WORLD_TOKENS.filter((t) => t.chain === 'solana')) {
      const { mint } = this.ledger.createMint({
        payer: this.relayer,
        decimals: token.decimals,
        mintAuthority: this.wallet(`${token.symbol}-mint-authority`).address,
        mint: this.ledger.signer(`${token.symbol}-mint`),
      })
      this.mints.set(token.symbol, mint)
    }
  }

  /** The keypair of a world wallet, funded with SOL for fees on first use. */
  wallet(label: string): Signer {
    let signer = this.signers.get(label)
    if (!signer) {
      signer = this.ledger.signer(`world:${label}`)
      this.signers.set(label, signer)
      this.ledger.airdrop(signer.address, 10n * SOL)
    }
    return signer
  }

  address(label: string): string {
    return this.wallet(label).address
  }

  private mint(symbol: string): Address {
    const mint = this.mints.get(symbol)
    if (!mint) throw new Error(`no devnet mint for ${symbol}`)
    return mint
  }

  private tokenAccount(owner: string, symbol: string): Address {
    const mint = this.mint(symbol)
    const ownerAddress = this.wallet(owner).address
    const account = this.ledger.associatedTokenAddress(ownerAddress, mint)
    if (!this.accounts.has(account)) {
      this.ledger.createAssociatedTokenAccount({
        payer: this.relayer,
        owner: ownerAddress,
        mint,
        idempotent: true,
      })
      this.accounts.add(account)
    }
    return account
  }

  private instruction(op: TokenOp): { ix: DevnetInstruction; signer: Signer } {
    const mint = this.mint(op.token)
    const decimals = WORLD_TOKENS.find((t) => t.symbol === op.token)?.decimals ?? 0
    switch (op.op) {
      case 'mintTo': {
        const authority = this.wallet(`${op.token}-mint-authority`)
        const destination = this.tokenAccount(op.to, op.token)
        return { ix: mintToInstruction({ mint, destination, authority, amount: op.raw }), signer: authority }
      }
      case 'transfer': {
        const authority = this.wallet(op.from)
        const source = this.tokenAccount(op.from, op.token)
        const destination = this.tokenAccount(op.to, op.token)
        const ix = transferCheckedInstruction({
          source,
          mint,
          destination,
          authority,
          amount: op.raw,
          decimals,
        })
        return { ix, signer: authority }
      }
      case 'burn': {
        const authority = this.wallet(op.from)
        const account = this.tokenAccount(op.from, op.token)
        return { ix: burnInstruction({ account, mint, authority, amount: op.raw }), signer: authority }
      }
    }
  }

  async execute(action: SolanaAction): Promise<void> {
    const unix = Math.floor(action.time.getTime() / 1000)
    if (unix > this.ledger.currentUnixTimestamp) this.ledger.warpToTime(unix)
    const built = action.ops.map((op) => this.instruction(op))
    const payer = built[0]?.signer ?? (action.signer ? this.wallet(action.signer) : this.relayer)
    this.ledger.send(
      built.map((b) => b.ix),
      payer,
      action.memo === null ? {} : { memo: action.memo },
    )
    // litesvm frees its native objects only when the event loop turns.
    if (++this.executed % 200 === 0) await new Promise((resolve) => setImmediate(resolve))
  }

  /** Seals the last slot so its transactions are visible at `confirmed`. */
  finish(): void {
    this.ledger.advanceSlot()
  }
}
