/**
 * Issue #8, part 4: hostile values in every argument of the list and lookup fields of schema.graphql
 * (jobs, nodes, node, tokenFlows, network, metricDefinition, and any field added later that is not
 * a metric field): first/after cursors (real ones, tampered ones, forged and junk), orderBy, filters,
 * node and job ids, over HTTP to the real server on a fresh embedded database with a few rows; and
 * raw request bodies to /graphql. Never 5xx, never INTERNAL_SERVER_ERROR, never ClickHouse's text
 * or a stack trace, nothing written. The metric fields: graphql-metrics-1/2.test.ts.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/test-app.js'
import {
  checkAnswer,
  cursorArb,
  cursorOf,
  documentOf,
  enumSweep,
  literal,
  METRIC_FIELDS,
  METRIC_FIELDS_1,
  METRIC_FIELDS_2,
  queryType,
  rootSelection,
  schema,
  selectionsOf,
  send,
  slotsOf,
  startHostileApp,
  valuesArb,
  wellFormedValues,
} from './graphql-harness.js'
import {
  deepNesting,
  hostileJson,
  hostileString,
  SEED,
  show,
  tableCounts,
  type TableCounts,
} from './support.js'

/** Runs per field and mode. */
const RUNS = 8
const LIST_FIELDS = Object.keys(queryType.getFields()).filter((f) => !METRIC_FIELDS.includes(f))
const WITH_ARGS = LIST_FIELDS.filter((f) => slotsOf(rootSelection(f)).length > 0)
const WITHOUT_ARGS = LIST_FIELDS.filter((f) => !WITH_ARGS.includes(f))

let t: TestApp
let before: TableCounts

beforeAll(async () => {
  t = await startHostileApp()
  before = await tableCounts(t.db.reader)
}, 120_000)
afterAll(() => t?.close())

describe('the three files cover every field and argument of schema.graphql', () => {
  it('splits the query fields between the metric and the list files, nested arguments included', () => {
    expect(METRIC_FIELDS).toEqual([...METRIC_FIELDS_1, ...METRIC_FIELDS_2])
    expect([...METRIC_FIELDS, ...LIST_FIELDS].sort()).toEqual(Object.keys(queryType.getFields()).sort())
    expect(METRIC_FIELDS.every((f) => f in queryType.getFields())).toBe(true)
    const ids = new Set(
      selectionsOf(queryType)
        .flatMap(slotsOf)
        .map((s) => s.id),
    )
    for (const id of [
      'Query.compare.networks',
      'Query.compare.range',
      'Query.compare.previous',
      'Query.economics.granularity',
      'Query.retention.cohort',
      'Query.jobs.after',
      'Query.jobs.orderBy',
      'Query.jobs.status',
      'Query.nodes.after',
      'Query.node.id',
      'Query.tokenFlows.kind',
      'Query.utilization.kind',
      'Query.metricDefinition.id',
      'EconomicsPoint.transactions.first',
      'Node.history.granularity',
      'Supply.series.byModel',
    ]) {
      expect(ids, id).toContain(id)
    }
  })
})

describe('list and lookup fields: hostile arguments get data or a client error, never a server error', () => {
  it('answers each field with data for well-formed arguments (the selections reach the resolvers)', async () => {
    for (const name of LIST_FIELDS) {
      const root = rootSelection(name)
      const answer = await send(documentOf(root, wellFormedValues(root), 'inline'))
      checkAnswer(answer, name)
      expect(answer.body?.errors, `${name}: ${answer.text.slice(0, 500)}`).toBeUndefined()
      expect(answer.body?.data?.[name], name).toBeTruthy()
    }
  })

  it('answers every value of every enum, Boolean and preset argument, spread over the fields', async () => {
    for (const { root, values } of enumSweep(LIST_FIELDS.map(rootSelection))) {
      const answer = await send(documentOf(root, values, 'inline'))
      const what = `${root.name} ${show(Object.fromEntries(values))}`
      checkAnswer(answer, what)
      expect(answer.body?.errors, `${what}: ${answer.text.slice(0, 300)}`).toBeUndefined()
    }
  })

  const cases = WITH_ARGS.flatMap((name) =>
    (['variables', 'inline'] as const).map((mode) => [name, mode] as const),
  )
  it.each(cases)('%s, values as %s', async (name, mode) => {
    const root = rootSelection(name)
    await fc.assert(
      fc.asyncProperty(valuesArb(slotsOf(root)), async (values) => {
        const answer = await send(documentOf(root, values, mode))
        checkAnswer(answer, `${name} ${mode} ${show(Object.fromEntries(values))}`)
      }),
      { seed: mode === 'inline' ? SEED + 1 : SEED, numRuns: RUNS },
    )
  })

  it.each(['jobs', 'nodes', 'tokenFlows'])('%s: tampered, forged and junk cursors', async (name) => {
    const orders =
      name === 'jobs' ? ['NEWEST', 'OLDEST'] : name === 'nodes' ? ['NODE_ID', 'LAST_SEEN', 'UPTIME'] : ['']
    await fc.assert(
      fc.asyncProperty(cursorArb(name), fc.constantFrom(...orders), async (after, order) => {
        const orderBy = order ? `, orderBy: ${order}` : ''
        const answer = await send({
          query: `query($after: String) { ${name}(first: 2, after: $after${orderBy}) { edges { cursor } pageInfo { endCursor } } }`,
          variables: { after },
        })
        checkAnswer(answer, `${name}${orderBy} after ${show(after)}`)
      }),
      { seed: SEED, numRuns: 20 },
    )
  })

  it.each(WITHOUT_ARGS)('%s: unknown arguments with hostile literals', async (name) => {
    await fc.assert(
      fc.asyncProperty(hostileJson, async (value) => {
        const query = `{ ${name}(bogus: ${literal(value, schema.getType('String') as never)}) { __typename } }`
        checkAnswer(await send({ query, variables: {} }), query.slice(0, 300))
      }),
      { seed: SEED, numRuns: 3 },
    )
  })

  it('refuses cursor numbers their ClickHouse parameter cannot hold: BAD_USER_INPUT on after', async () => {
    const flow = ['2026-01-05 03:00:00', 'solana', 'nosana-tx-1']
    const cases: [string, unknown[]][] = [
      ['jobs', [1e300, 'nosana', 'nosana-job-0']],
      ['jobs', [2 ** 63, 'nosana', 'nosana-job-0']],
      ['jobs', [-(2 ** 70), 'nosana', 'nosana-job-0']],
      ['tokenFlows', [...flow, -1]],
      ['tokenFlows', [...flow, 1.5]],
      ['tokenFlows', [...flow, 2 ** 32]],
      ['tokenFlows', [...flow, 1e300]],
    ]
    for (const [field, parts] of cases) {
      const answer = await send({
        query: `query($after: String) { ${field}(after: $after) { edges { cursor } } }`,
        variables: { after: cursorOf(parts) },
      })
      checkAnswer(answer, `${field} ${show(parts)}`)
      expect(answer.body?.errors?.[0]?.extensions, `${field} ${show(parts)}`).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      })
    }
  })

  it('pages through every list in every order with first: 1, each endCursor accepted', async () => {
    const lists: [string, string[]][] = [
      ['jobs', ['NEWEST', 'OLDEST']],
      ['nodes', ['NODE_ID', 'LAST_SEEN', 'UPTIME']],
      ['tokenFlows', ['']],
    ]
    for (const [field, orders] of lists) {
      for (const order of orders) {
        const orderBy = order ? `, orderBy: ${order}` : ''
        let after: string | null = null
        let pages = 0
        for (;;) {
          const answer = await send({
            query: `query($after: String) { ${field}(first: 1, after: $after${orderBy}) { pageInfo { hasNextPage endCursor } } }`,
            variables: { after },
          })
          const what = `${field}${orderBy} page ${pages + 1}`
          checkAnswer(answer, what)
          expect(answer.body?.errors, `${what}: ${answer.text}`).toBeUndefined()
          const page = answer.body?.data?.[field] as { pageInfo: { hasNextPage: boolean; endCursor: string } }
          pages++
          if (!page.pageInfo.hasNextPage) break
          after = page.pageInfo.endCursor
          expect(pages, what).toBeLessThan(100)
        }
        expect(pages, `${field}${orderBy}`).toBeGreaterThan(1)
      }
    }
  })
})

describe('raw requests to /graphql', () => {
  const contentTypes = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-16',
    'application/graphql',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
  )
  const bodies = fc.oneof(
    hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
    fc
      .record({ query: hostileString, variables: hostileJson, operationName: hostileJson })
      .map((v) => JSON.stringify(v)),
    fc
      .array(fc.constant({ query: '{ networks { id } }' }), { minLength: 2, maxLength: 40 })
      .map((v) => JSON.stringify(v)),
    hostileString,
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.integer({ min: 1_000, max: 200_000 }).map((n) =>
      JSON.stringify({
        query: `{ networks ${deepNesting(n).replace(/\[/g, '{ id ').replace(/\]/g, '}')} }`,
      }),
    ),
  )

  it('answers any body with a client error or data, never 5xx or a leak', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, async (body, type) => {
        const answer = await send(body, { 'content-type': type, 'apollo-require-preflight': '1' })
        const what = `${type} ${show(body)}`
        expect(answer.status, what).toBeLessThan(500)
        expect(answer.text, what).not.toMatch(/DB::Exception|Code: \d+\.|\n\s+at \S/)
        if (answer.body && Array.isArray(answer.body.errors)) checkAnswer(answer, what)
      }),
      { seed: SEED, numRuns: 40 },
    )
  })
})

describe('nothing written', () => {
  it('every table has the rows it had before', async () => {
    expect(await tableCounts(t.db.reader)).toEqual(before)
  })
})
