import type { SourceStatus } from './batch.js'
import { retryDelayMs, sleep } from './rpc-retry.js'

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

export interface RunLoopOptions {
  /** Pause when caught up (default 2 s). */
  pollIntervalMs?: number
  /** Backoff after a failed step: base and cap (default 1 s, 60 s). */
  errorBackoffMs?: { base: number; max: number }
}

/** A source's `run`: steps until `signal` fires; sleeps when caught up, backs off after errors; never throws. */
export async function runLoop(
  step: (signal: AbortSignal) => Promise<{ advanced: boolean }>,
  signal: AbortSignal,
  options: RunLoopOptions = {},
): Promise<void> {
  const backoff = options.errorBackoffMs ?? { base: 1_000, max: 60_000 }
  const policy = { maxAttempts: 1, baseDelayMs: backoff.base, maxDelayMs: backoff.max, maxRetryAfterMs: 0 }
  let failures = 0
  while (!signal.aborted) {
    let pause = 0
    try {
      const { advanced } = await step(signal)
      failures = 0
      if (!advanced) pause = options.pollIntervalMs ?? 2_000
    } catch {
      failures++
      pause = retryDelayMs(failures, null, policy)
    }
    if (pause > 0) await sleep(pause, signal)
  }
}
