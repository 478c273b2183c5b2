import type { SignatureEntry } from './decode-signatures.js'
import type { AddressCursor } from './source-state.js'

/** One `getSignaturesForAddress` call: entries strictly older than `before`, newest first. */
export type FetchSignaturePage = (before: string | undefined) => Promise<SignatureEntry[]>

export interface ListingOptions {
  /** Entries at or below this slot are already indexed: paging stops at the first one. */
  low: number
  /** Entries above this slot are left for a later listing. */
  high: number
  /** The `limit` the pages were asked with; a shorter page is the last one. */
  pageSize: number
  /** Keep at most about this many entries (plus one page); older ones win, newer pages are dropped. */
  cap: number
  /**
   * `before` bounds of pages dropped by earlier listings, newest first; the listing starts from
   * the oldest ones and pushes the bounds of the pages it drops. Owned by the caller, mutated here.
   */
  resume: AddressCursor[]
}

export interface Listing {
  /** Newest first, all in (low, min(high, ceiling - 1)]. */
  entries: SignatureEntry[]
  /** Entries at or above this slot were not all listed (dropped pages or a resumed start); null: none. */
  ceiling: number | null
}

interface Page {
  /** The bound it was asked with (undefined: from the newest). */
  before: AddressCursor | undefined
  entries: SignatureEntry[]
}

/**
 * Pages one address's signatures back (newest first, as the node answers) down to `low`, keeping
 * at most about `cap` of the oldest ones in memory. A backfill over millions of signatures then
 * runs in windows: each window is indexed in slot order, and the next listing starts from the
 * remembered page bounds instead of from the newest signature again.
 */
export async function listSignatures(
  fetchPage: FetchSignaturePage,
  options: ListingOptions,
): Promise<Listing> {
  const start = takeResumePoint(options)
  let ceiling: number | null = start ? start.slot : null
  const pages: Page[] = []
  let total = 0
  let before = start
  for (;;) {
    const raw = await fetchPage(before?.signature)
    const last = raw.at(-1)
    const below = raw.findIndex((e) => e.slot <= options.low)
    const inRange = (below < 0 ? raw : raw.slice(0, below)).filter(
      (e) => e.slot <= options.high && (ceiling === null || e.slot < ceiling),
    )
    // a page with nothing in range (all above `high`) holds nothing this window needs
    if (inRange.length > 0) pages.push({ before, entries: inRange })
    total += inRange.length
    while (canDrop(pages, total, options.cap)) {
      const dropped = pages.shift() as Page
      total -= dropped.entries.length
      ceiling = (dropped.entries.at(-1) as SignatureEntry).slot
      if (dropped.before) options.resume.push(dropped.before)
    }
    if (below >= 0 || raw.length < options.pageSize || !last) break
    before = { signature: last.signature, slot: last.slot }
  }
  const entries = pages.flatMap((p) => p.entries).filter((e) => ceiling === null || e.slot < ceiling)
  return { entries, ceiling }
}

/**
 * The oldest remembered bounds that cover about `cap` entries, skipping bounds too close to `low`
 * to let the window make progress (a bound's own slot is excluded from the window).
 */
function takeResumePoint(options: ListingOptions): AddressCursor | undefined {
  const { resume } = options
  if (resume.length === 0) return undefined
  let index = Math.max(0, resume.length - Math.max(1, Math.floor(options.cap / options.pageSize)))
  while (index >= 0 && (resume[index] as AddressCursor).slot <= options.low + 1) index--
  const start = index >= 0 ? resume[index] : undefined
  resume.splice(Math.max(0, index))
  return start
}

/** Drop the newest page only when at least `cap` entries remain and some remain below its last slot. */
function canDrop(pages: readonly Page[], total: number, cap: number): boolean {
  const newest = pages[0]
  const oldestKept = pages.at(-1)?.entries.at(-1)
  const boundary = newest?.entries.at(-1)
  if (pages.length < 2 || !newest || !oldestKept || !boundary) return false
  return total - newest.entries.length >= cap && oldestKept.slot < boundary.slot
}

/** A transaction to index, once, whichever followed addresses list it. */
export interface PlannedTransaction {
  signature: string
  slot: number
  failed: boolean
}

export interface MergedListings {
  /** Ascending slot, de-duplicated by signature. */
  transactions: PlannedTransaction[]
  /** Per address, its entries at or below `top`, ascending (oldest first), for its cursor. */
  byAddress: Map<string, AddressCursor[]>
}

/** Merges the listings of all addresses up to slot `top`, each transaction once, in slot order. */
export function mergeListings(
  listings: ReadonlyMap<string, readonly SignatureEntry[]>,
  top: number,
): MergedListings {
  const seen = new Set<string>()
  const transactions: PlannedTransaction[] = []
  const byAddress = new Map<string, AddressCursor[]>()
  for (const [address, entries] of listings) {
    const oldestFirst: AddressCursor[] = []
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as SignatureEntry
      if (entry.slot > top) continue
      oldestFirst.push({ signature: entry.signature, slot: entry.slot })
      if (seen.has(entry.signature)) continue
      seen.add(entry.signature)
      transactions.push({ signature: entry.signature, slot: entry.slot, failed: entry.failed })
    }
    byAddress.set(address, oldestFirst)
  }
  // stable: within a slot, the node's order (oldest first) of the first address that listed it
  transactions.sort((a, b) => a.slot - b.slot)
  return { transactions, byAddress }
}
