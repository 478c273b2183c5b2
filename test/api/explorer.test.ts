import { GraphQLSchemaHost } from '@nestjs/graphql'
import {
  getVariableValues,
  Kind,
  parse,
  validate,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPLORER_NOT_BUILT } from '../../server/explorer/explorer.plugin.js'
import { EXAMPLES, NEW_TAB_QUERY } from '../../web/explorer/examples.js'
import { openDemoDb } from '../support/demo-db.js'
import type { TempDb } from '../support/temp-db.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

/** The explorer's example queries against the schema and the server, and how /graphql is served. */

let temp: TempDb
let t: TestApp
let schema: GraphQLSchema

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

interface FlowsPage {
  tokenFlows: {
    edges: { cursor: string }[]
    pageInfo: { hasNextPage: boolean; endCursor: string | null }
  }
}

function onlyOperation(query: string): OperationDefinitionNode {
  const operations = parse(query).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )
  expect(operations).toHaveLength(1)
  const [operation] = operations
  if (!operation) throw new Error('no operation')
  return operation
}

beforeAll(async () => {
  temp = await openDemoDb({ days: 7 })
  t = await startTestApp({}, { temp })
  schema = t.app.get(GraphQLSchemaHost).schema
}, 600_000)
afterAll(async () => {
  await t?.close()
  await temp?.dispose()
})

describe('explorer examples', () => {
  it('cover the API the issue asks for, each in its own named operation', () => {
    expect(EXAMPLES.map((e) => e.name)).toEqual([
      'CompareNetworks',
      'Economics',
      'Reliability',
      'TokenFlows',
      'MetricDefinitions',
      'Meta',
    ])
    for (const example of EXAMPLES) expect(onlyOperation(example.query).name?.value).toBe(example.name)
  })

  it.each(EXAMPLES.map((e) => [e.name, e] as const))('%s is valid against the schema', (_, example) => {
    expect(validate(schema, parse(example.query)).map((e) => e.message)).toEqual([])
    const operation = onlyOperation(example.query)
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], example.variables ?? {})
    expect(coerced.errors?.map((e) => e.message)).toBeUndefined()
  })

  it('a new tab opens with a valid query that needs no variables', async () => {
    expect(validate(schema, parse(NEW_TAB_QUERY)).map((e) => e.message)).toEqual([])
    const res = await t.graphql<{ networks: unknown[] }>(NEW_TAB_QUERY)
    expect(res.errors).toBeUndefined()
    expect(res.data?.networks.length).toBeGreaterThan(0)
  })

  it.each(EXAMPLES.map((e) => [e.name, e] as const))('%s runs without errors', async (_, example) => {
    const res = await t.graphql<Record<string, unknown>>(example.query, example.variables)
    expect(res.errors).toBeUndefined()
    const fields = Object.values(res.data ?? {})
    expect(fields.length).toBeGreaterThan(0)
    for (const value of fields) expect(value).not.toBeNull()
  })

  it('TokenFlows pages on with pageInfo.endCursor', async () => {
    const example = EXAMPLES.find((e) => e.name === 'TokenFlows')
    if (!example) throw new Error('no TokenFlows example')
    const first = await t.graphql<FlowsPage>(example.query, example.variables)
    const page1 = first.data?.tokenFlows
    expect(page1?.edges).toHaveLength(20)
    expect(page1?.pageInfo.hasNextPage).toBe(true)
    const next = await t.graphql<FlowsPage>(example.query, {
      ...example.variables,
      after: page1?.pageInfo.endCursor,
    })
    expect(next.errors).toBeUndefined()
    const page2 = next.data?.tokenFlows.edges.map((e) => e.cursor) ?? []
    expect(page2.length).toBeGreaterThan(0)
    const seen = new Set(page1?.edges.map((e) => e.cursor))
    expect(page2.filter((c) => seen.has(c))).toEqual([])
  })
})

describe('GET /graphql', () => {
  it('answers a browser with the bundled explorer, whose assets the server serves itself', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).not.toBe(EXPLORER_NOT_BUILT)
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
    expect(assets.length).toBeGreaterThan(0)
    for (const asset of assets) {
      expect(asset, 'no other host').toMatch(/^\/explorer\/assets\//)
      const file = await fetch(`${t.url}${asset}`)
      expect(file.status, asset).toBe(200)
      expect(file.headers.get('content-type'), asset).toMatch(/javascript|css/)
    }
  })

  it('still answers a JSON client with JSON, as POST does', async () => {
    const query = encodeURIComponent('{ networks { id } }')
    const get = await fetch(`${t.url}/graphql?query=${query}`, {
      headers: { accept: 'application/json', 'content-type': 'application/json' },
    })
    expect(get.status).toBe(200)
    expect(get.headers.get('content-type')).toContain('application/json')
    const body = (await get.json()) as { data?: { networks: { id: string }[] } }
    expect(body.data?.networks.map((n) => n.id)).toContain('render')
    const post = await t.graphql<{ networks: { id: string }[] }>('{ networks { id } }')
    expect(post.data).toEqual(body.data)
  })
})
