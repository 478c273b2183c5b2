import type { SourceStatus } from './batch.js'

/** Chain sources running in this process, so `_meta` and `/healthz` can show their lag and errors. */
const running = new Map<string, () => SourceStatus>()

export function registerSource(source: { status(): SourceStatus }): void {
  running.set(source.status().sourceId, () => source.status())
}

export function runningSourceStatuses(): SourceStatus[] {
  return [...running.values()].map((status) => status())
}
