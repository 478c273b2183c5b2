/**
 * Job references carried in SPL memos: `<network>:<verb>:<jobId>[:<details>]`. The devnet's
 * Solana-settled markets write them (standing in for their job programs' instructions); a memo
 * in any other form is not a job reference.
 *   nosana:post:<job>:<gpuModel>:<gpuCount>:<node>   nosana:start:<job>:<node>
 *   nosana:finish:<job>:<status>                     render:job:<job>:<operator>
 *   ionet:booking:<job>   ionet:settle:<job>
 */
export interface MemoJobRef {
  network: string
  verb: string
  jobId: string
  details: string[]
}

const PATTERN = /^([a-z][a-z0-9]*):([a-z]+):([A-Za-z0-9_.-]+)((?::[^:\s]*)*)$/

/** RPC nodes print a memo as `[length] text`; instruction data holds the bare text. */
function bareMemo(memo: string): string {
  return memo.replace(/^\[\d+\]\s*/, '').trim()
}

export function parseJobMemo(memo: string | undefined | null): MemoJobRef | null {
  if (!memo) return null
  for (const line of memo.split('\n')) {
    const match = PATTERN.exec(bareMemo(line))
    if (!match) continue
    const [, network = '', verb = '', jobId = '', rest = ''] = match
    return { network, verb, jobId, details: rest ? rest.slice(1).split(':') : [] }
  }
  return null
}
