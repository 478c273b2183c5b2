const RATE_WINDOW_MS = 30_000

/** Blocks (or slots) indexed per second over the last 30 s, falling to 0 when a source stalls. */
export class ProgressRate {
  private readonly samples: { at: number; position: number }[] = []

  record(position: number): void {
    this.samples.push({ at: Date.now(), position })
    this.dropOld()
  }

  perSecond(): number {
    this.dropOld()
    const first = this.samples[0]
    const last = this.samples.at(-1)
    const elapsed = first ? Date.now() - first.at : 0
    if (!first || !last || elapsed <= 0) return 0
    return ((last.position - first.position) * 1000) / elapsed
  }

  private dropOld(): void {
    const since = Date.now() - RATE_WINDOW_MS
    while ((this.samples[0]?.at ?? since) < since) this.samples.shift()
  }
}
