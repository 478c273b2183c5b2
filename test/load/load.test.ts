/**
 * bench/load.ts at CI size: the dashboard's queries on 10 connections for 10 s while signed
 * telemetry arrives at 5,000 samples/s, over the demo world of 3 days. Correctness only (this
 * machine's speed is not under test): no error of any kind, and every acknowledged sample stored
 * exactly once after the drain. The GraphQL timeout is longer than the run, so a slow, loaded
 * machine makes fewer requests, never failed ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoad, type LoadResult } from '../../bench/load-run.js'
import { openDemoDb } from '../support/demo-db.js'
import type { TempDb } from '../support/temp-db.js'

const BATCH = 400

describe('the dashboard under load while telemetry is ingested (CI size)', () => {
  let temp: Promise<TempDb> | undefined
  let result: LoadResult

  beforeAll(async () => {
    temp = openDemoDb({ days: 3 })
    result = await runLoad({
      temp, // prepared while the load's worker threads start
      connections: 10,
      durationS: 10,
      rate: 5_000,
      batch: BATCH,
      timeoutS: 30,
      parseEvery: 1,
      // The run itself sends every query: connection c starts with the c-th of the 10.
      warmUp: false,
    })
  }, 180_000)

  afterAll(async () => {
    await (await temp)?.dispose()
  })

  it('answers every GraphQL request with 200 and data, without errors', () => {
    const { api } = result
    const problems = [...api.errorSamples, ...api.non2xxSamples, ...api.graphqlErrorSamples].join('\n')
    expect(api.requests).toBeGreaterThan(0)
    expect(api.errors, problems).toBe(0)
    expect(api.timeouts, problems).toBe(0)
    expect(api.non2xx, problems).toBe(0)
    expect(Object.keys(api.statuses)).toEqual(['200'])
    expect(api.graphqlErrors, problems).toBe(0)
    // Every body was parsed (parseEvery: 1) and held data in every top-level field.
    expect(api.bodiesParsed).toBe(api.requests)
    expect(api.bodiesWithoutData, problems).toBe(0)
    expect(result.errors).toBe(0)
  })

  it('acknowledges every batch sent during the run', () => {
    const { ingest } = result
    expect(ingest.failed, ingest.failures.join('\n')).toBe(0)
    expect(ingest.scheduledBatches).toBeGreaterThan(0)
    expect(ingest.acknowledgedBatches).toBe(ingest.scheduledBatches)
    expect(ingest.acknowledgedSamples).toBe(ingest.acknowledgedBatches * BATCH)
  })

  it('stores each acknowledged sample exactly once, and the ingest is drained', () => {
    expect(result.storedSamples).toBe(result.ingest.acknowledgedSamples)
    expect(result.distinctSamples).toBe(result.storedSamples)
    expect(Number.isFinite(result.lagMs)).toBe(true)
    expect(result.stats).toMatchObject({ backlogBytes: 0, walGroups: 0, flushFailures: 0 })
    expect(result.stats.storedSamples).toBe(result.ingest.acknowledgedSamples)
  })
})
