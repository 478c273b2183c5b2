import type { RpcTokenBalance } from './rpc-schemas.js'
import type { TokenAccountFact } from './spl-token.js'

export interface TokenAccountInfo {
  owner?: string
  mint?: string
}

/**
 * Token account → owner and mint (and mint → decimals), for one transaction. The pre/post token balances are
 * authoritative (post wins over pre: an owner changed by setAuthority is the one that holds the
 * balance at the end); facts read from instructions only fill what the balances do not say, e.g.
 * a temporary account created and closed within the transaction has no balance entry.
 */
export class TokenAccountIndex {
  private readonly accounts = new Map<string, TokenAccountInfo>()
  /** Decimals belong to the mint, so any balance of the mint gives them. */
  private readonly mintDecimals = new Map<string, number>()
  private readonly problems = new Set<string>()

  static fromBalances(
    accountKeys: string[],
    pre: readonly RpcTokenBalance[],
    post: readonly RpcTokenBalance[],
  ): TokenAccountIndex {
    const index = new TokenAccountIndex()
    for (const balance of [...pre, ...post]) {
      index.mintDecimals.set(balance.mint, balance.uiTokenAmount.decimals)
      const account = accountKeys[balance.accountIndex]
      if (account === undefined) {
        index.problems.add(
          `token balance accountIndex ${balance.accountIndex} is outside the ${accountKeys.length} account keys`,
        )
        continue
      }
      index.accounts.set(account, {
        mint: balance.mint,
        ...(balance.owner ? { owner: balance.owner } : {}),
      })
    }
    return index
  }

  /** Adds what an instruction says about an account, without overriding what is already known. */
  addFact(fact: TokenAccountFact): void {
    const known = this.accounts.get(fact.account) ?? {}
    this.accounts.set(fact.account, {
      ...(fact.owner !== undefined ? { owner: fact.owner } : {}),
      ...(fact.mint !== undefined ? { mint: fact.mint } : {}),
      ...known,
    })
  }

  get warnings(): string[] {
    return [...this.problems]
  }

  decimalsOf(mint: string): number | undefined {
    return this.mintDecimals.get(mint)
  }

  get(account: string | null): TokenAccountInfo | undefined {
    return account === null ? undefined : this.accounts.get(account)
  }
}
