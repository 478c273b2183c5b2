import type { SourceStatus } from './batch.js'

/** What the runner needs of any chain source (EVM, Solana). */
export interface ChainSource {
  step(signal?: AbortSignal): Promise<{ advanced: boolean }>
  /** Loops until aborted; never throws (errors go to `status().lastError`). */
  run(signal: AbortSignal): Promise<void>
  status(): SourceStatus
}

/** Steps a source until it has nothing more to index (the head is reached). */
export async function indexUntilCaughtUp(source: ChainSource, signal?: AbortSignal): Promise<void> {
  while (!signal?.aborted && (await source.step(signal)).advanced) {
    // each step indexes one range and checkpoints it
  }
}
