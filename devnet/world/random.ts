import { createPrng } from '../faults/prng.js'

/** Seeded randomness with the few distributions the world needs. */
export class Random {
  private readonly next: () => number

  constructor(seed: number) {
    this.next = createPrng(seed)
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next()
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0)
    let x = this.next() * total
    for (const [item, w] of items) {
      x -= w
      if (x < 0) return item
    }
    return this.pick(items.map(([item]) => item))
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /** Poisson-distributed count (Knuth; the world's rates are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean)
    let k = 0
    let p = this.next()
    while (p > limit) {
      k++
      p *= this.next()
    }
    return k
  }

  /** Derives an independent stream, so adding draws in one part of the world does not shift another. */
  fork(label: string): Random {
    let h = 2166136261
    for (const ch of `${this.int(0, 2 ** 31)}:${label}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
    return new Random(h >>> 0)
  }
}
