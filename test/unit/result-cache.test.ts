import { describe, expect, it } from 'vitest'
import { ResultCache, tablesRead, type TableVersions } from '../../server/core/result-cache.js'

const SQL = 'WITH x AS (SELECT * FROM token_flows) SELECT * FROM x JOIN listings AS l ON 1 = 1'

const settle = () => new Promise((resolve) => setImmediate(resolve))

/** A cache over versions the test sets, counting the computations and version reads. */
function harness(options: { maxEntries?: number; maxStaleMs?: number } = {}) {
  const state = { versions: new Map([['token_flows', 'a']]) as Map<string, string>, reads: 0, now: 0 }
  const cache = new ResultCache({
    maxEntries: options.maxEntries ?? 10,
    maxRows: 100,
    maxStaleMs: options.maxStaleMs ?? 0,
    versions: async (): Promise<TableVersions> => {
      state.reads++
      return new Map(state.versions)
    },
    now: () => state.now,
  })
  let computed = 0
  const compute = async () => [{ n: ++computed }]
  return { state, cache, compute, computed: () => computed }
}

describe('tablesRead', () => {
  it('names the tables after FROM and JOIN, not table functions or subqueries', () => {
    expect(tablesRead(SQL)).toEqual(['listings', 'token_flows', 'x'])
    expect(tablesRead('SELECT * FROM numbers(10) JOIN (SELECT 1) AS s ON 1')).toBeNull()
    expect(tablesRead('SELECT b FROM t ARRAY JOIN arr AS b -- from the comment')).toEqual(['t'])
    expect(tablesRead('SELECT * FROM other.t')).toBeNull()
  })

  it('does not cache what reads system tables, unless it names the tables whose parts it reads', () => {
    expect(tablesRead('SELECT max(max_time) FROM system.parts JOIN token_flows ON 1')).toBeNull()
    const latest = '-- Versioned by: job_events, token_flows\nSELECT max(max_time) FROM system.parts'
    expect(tablesRead(latest)).toEqual(['job_events', 'token_flows'])
  })
})

describe('ResultCache', () => {
  it('serves a result while the tables it read are unchanged, and recomputes once they change', async () => {
    const h = harness()
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 1 }])
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 1 }])
    h.state.versions.set('listings', 'b') // a table it reads gets its first part
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 2 }])
    h.state.versions.set('telemetry_samples', 'c') // a table it does not read
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 2 }])
    expect(h.computed()).toBe(2)
  })

  it('keeps results apart by key', async () => {
    const h = harness()
    await h.cache.rows('k1', SQL, h.compute)
    expect(await h.cache.rows('k2', SQL, h.compute)).toEqual([{ n: 2 }])
  })

  it('computes once for concurrent requests, which share their reads of the versions', async () => {
    const h = harness()
    const all = await Promise.all(Array.from({ length: 20 }, () => h.cache.rows('k', SQL, h.compute)))
    expect(all.every((r) => r === all[0])).toBe(true)
    expect(h.computed()).toBe(1)
    // Not one read each: the first request's; one after it for the 19 that came while it ran (it may
    // have started before their data was committed); one confirming the result's label, which may
    // share the second.
    expect(h.state.reads).toBeGreaterThanOrEqual(2)
    expect(h.state.reads).toBeLessThanOrEqual(3)
  })

  it('keeps a result whose tables changed while it ran as a stale answer only', async () => {
    const h = harness()
    await h.cache.rows('k', SQL, async () => {
      h.state.versions.set('token_flows', 'b') // an insert lands while the query runs
      return [{ n: 0 }]
    })
    // Back to the version the result was labelled with (as a table emptied again would be): its
    // rows, which saw the insert, are not that version's.
    h.state.versions.set('token_flows', 'a')
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 1 }])
  })

  it('freezes what it shares', async () => {
    const h = harness()
    const rows = await h.cache.rows('k', SQL, h.compute)
    expect(Object.isFrozen(rows) && Object.isFrozen(rows[0])).toBe(true)
  })

  it('within maxStaleMs, answers from the versions it knows and catches up in the background', async () => {
    const h = harness({ maxStaleMs: 5_000 })
    await h.cache.rows('k', SQL, h.compute) // a read, and one confirming the result's label
    h.state.versions.set('token_flows', 'changed')
    h.state.now = 1_000 // a fifth of the allowance: the versions read at 0 are used as they are
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 1 }])
    expect(h.state.reads).toBe(2)
    h.state.now = 2_000 // past a quarter: still used, and read again in the background
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 1 }])
    await settle()
    expect(h.state.reads).toBe(3)
    // The change is known; the result of time 0 is within the allowance: served while recomputed.
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 1 }])
    await settle()
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 2 }])
    // Beyond the allowance, it waits for both the versions and the result.
    h.state.versions.set('token_flows', 'again')
    h.state.now = 20_000
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 3 }])
  })

  it('with maxStaleMs 0, reads the versions for every answer', async () => {
    const h = harness()
    for (let i = 0; i < 3; i++) await h.cache.rows('k', SQL, h.compute)
    expect(h.state.reads).toBe(3 + 1) // and one confirming the result's label
    expect(h.computed()).toBe(1)
  })

  it('computes every time when turned off or when the query reads system tables', async () => {
    const off = harness({ maxEntries: 0 })
    await off.cache.rows('k', SQL, off.compute)
    await off.cache.rows('k', SQL, off.compute)
    expect(off.computed()).toBe(2)
    const system = harness()
    await system.cache.rows('k', 'SELECT 1 FROM system.parts', system.compute)
    await system.cache.rows('k', 'SELECT 1 FROM system.parts', system.compute)
    expect(system.computed()).toBe(2)
    expect(system.state.reads).toBe(0)
  })

  it('does not keep a result larger than its row bound', async () => {
    const h = harness()
    let runs = 0
    const big = async () => Array.from({ length: 100 + runs++ }, (_, i) => ({ i }))
    await h.cache.rows('k', SQL, big)
    await h.cache.rows('k', SQL, big)
    expect(runs).toBe(2)
  })

  it('keeps nothing of a failed computation', async () => {
    const h = harness()
    await expect(h.cache.rows('k', SQL, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await h.cache.rows('k', SQL, h.compute)).toEqual([{ n: 1 }])
  })
})
