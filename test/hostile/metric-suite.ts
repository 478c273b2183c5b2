/**
 * The tests of the metric fields (graphql-metrics-1.test.ts, graphql-metrics-2.test.ts): hostile
 * values in every argument (network ids, ranges with presets and explicit from/to, giant and
 * inverted ranges, granularity, kinds, GPU models, cohorts, nested arguments such as
 * transactions(first)), over HTTP to the real server on a fresh embedded database with a few rows.
 * Whatever comes in, the answer is data or a client error: never 5xx, never INTERNAL_SERVER_ERROR,
 * never ClickHouse's text or a stack trace, and nothing is written.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/test-app.js'
import {
  checkAnswer,
  documentOf,
  enumSweep,
  rootSelection,
  send,
  slotsOf,
  startHostileApp,
  valuesArb,
  wellFormedValues,
} from './graphql-harness.js'
import { SEED, show, tableCounts, type TableCounts } from './support.js'

export function metricSuite(fields: readonly string[], runs: number): void {
  let t: TestApp
  let before: TableCounts

  beforeAll(async () => {
    t = await startHostileApp()
    before = await tableCounts(t.db.reader)
  }, 120_000)
  afterAll(() => t?.close())

  describe(`${fields.join(', ')}: hostile arguments get data or a client error, never a server error`, () => {
    it('answers each field with data for well-formed arguments (the selections reach the resolvers)', async () => {
      for (const name of fields) {
        const root = rootSelection(name)
        const answer = await send(documentOf(root, wellFormedValues(root), 'inline'))
        checkAnswer(answer, name)
        expect(answer.body?.errors, `${name}: ${answer.text.slice(0, 500)}`).toBeUndefined()
        expect(answer.body?.data?.[name], name).toBeTypeOf('object')
      }
    })

    it('answers every value of every enum, Boolean and preset argument, spread over the fields', async () => {
      for (const { root, values } of enumSweep(fields.map(rootSelection))) {
        const answer = await send(documentOf(root, values, 'inline'))
        const what = `${root.name} ${show(Object.fromEntries(values))}`
        checkAnswer(answer, what)
        expect(answer.body?.errors, `${what}: ${answer.text.slice(0, 300)}`).toBeUndefined()
      }
    })

    const cases = fields.flatMap((name) =>
      (['variables', 'inline'] as const).map((mode) => [name, mode] as const),
    )
    it.each(cases)('%s, values as %s', async (name, mode) => {
      const root = rootSelection(name)
      await fc.assert(
        fc.asyncProperty(valuesArb(slotsOf(root)), async (values) => {
          const answer = await send(documentOf(root, values, mode))
          checkAnswer(answer, `${name} ${mode} ${show(Object.fromEntries(values))}`)
        }),
        // Another seed per mode: the two modes see different values.
        { seed: mode === 'inline' ? SEED + 1 : SEED, numRuns: runs },
      )
    })

    it('wrote nothing: every table has the rows it had before', async () => {
      expect(await tableCounts(t.db.reader)).toEqual(before)
    })
  })
}
