/**
 * The GraphQL side of the hostile-input tests: the query fields, their arguments and selections read
 * from schema.graphql, arbitraries of hostile and of well-formed values for each argument, the
 * documents that carry them (as variables or as inline literals) and the checks of every answer.
 *
 * Because everything is read from the schema, a field or argument added later is covered without
 * touching the tests; only plausible values (network ids, node ids, cursors) are chosen by name.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql'
import { expect } from 'vitest'
import { loadCatalog } from '../../ingest/networks/index.js'
import { METRIC_IDS } from '../../ingest/networks/schema.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { SEEDED, seed } from './seed.js'
import { hostileJson, hostileNumber, hostileString, LEAK, parseJson, show } from './support.js'

export const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'))
const query = schema.getQueryType()
if (!query) throw new Error('schema.graphql has no Query type')
export const queryType = query

/**
 * Series and totals over a range, in two files of about equal cost: graphql-metrics-1.test.ts and
 * graphql-metrics-2.test.ts. Every other field: graphql-lists.test.ts.
 */
export const METRIC_FIELDS_1 = ['compare', 'economics', 'supply', 'utilization']
export const METRIC_FIELDS_2 = ['reliability', 'retention', 'hardwareMix', 'prices']
export const METRIC_FIELDS = [...METRIC_FIELDS_1, ...METRIC_FIELDS_2]

/** Codes of errors a client caused (server/safety/format-error.ts); anything else is a failure. */
export const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COSTLY',
  'TOO_MANY_ALIASES',
  'QUERY_TOO_LONG',
  'TOO_MANY_DIRECTIVES',
])

export const NETWORK_IDS = loadCatalog().map((n) => n.id)

/** What the arbitraries draw on: filled by startHostileApp. */
export const context = {
  url: '',
  /** The endCursor of a first page of each list field, to mutate. */
  cursors: {} as Record<string, string[]>,
  metricIds: [...METRIC_IDS] as string[],
}

/** The real server on a fresh database with the seed, no rate limit in the way, and real cursors. */
export async function startHostileApp(): Promise<TestApp> {
  const t = await startTestApp({ PLUMB_API_RATE_LIMIT: '1000000' })
  await seed(t)
  context.url = t.url
  for (const [field, first] of [
    ['jobs', 1],
    ['nodes', 1],
    ['tokenFlows', 2],
  ] as const) {
    const res = await t.graphql<Record<string, { pageInfo: { endCursor: string | null } }>>(
      `{ ${field}(first: ${first}) { pageInfo { endCursor } } }`,
    )
    const cursor = res.data?.[field]?.pageInfo.endCursor
    if (!cursor) throw new Error(`no ${field} cursor: ${JSON.stringify(res)}`)
    context.cursors[field] = [cursor]
  }
  const defs = await t.graphql<{ metricDefinitions: { id: string }[] }>('{ metricDefinitions { id } }')
  context.metricIds = defs.data?.metricDefinitions.map((d) => d.id) ?? context.metricIds
  return t
}

// ---------------------------------------------------------------------------------------------
// Selections and argument slots, from the schema

export interface Selection {
  name: string
  /** 'Query.jobs', 'EconomicsPoint.transactions' */
  owner: string
  args: readonly GraphQLArgument[]
  children: Selection[]
}

/** Every field of an object type, recursively (the schema has no cycles within the depth limit). */
export function selectionsOf(type: GraphQLOutputType, seen: readonly string[] = []): Selection[] {
  const named = getNamedType(type)
  if (!isObjectType(named)) return []
  return Object.values(named.getFields()).map((f) => {
    const inner = getNamedType(f.type)
    const children =
      isLeafType(inner) || seen.includes(inner.name) ? [] : selectionsOf(f.type, [...seen, named.name])
    return { name: f.name, owner: `${named.name}.${f.name}`, args: f.args, children }
  })
}

export function rootSelection(name: string): Selection {
  const root = selectionsOf(queryType).find((s) => s.name === name)
  if (!root) throw new Error(`no query field ${name}`)
  return root
}

/** One argument of one field of the selection tree. */
export interface Slot {
  id: string
  owner: string
  arg: GraphQLArgument
}

export function slotsOf(selection: Selection): Slot[] {
  const own = selection.args.map((arg) => ({
    id: `${selection.owner}.${arg.name}`,
    owner: selection.owner,
    arg,
  }))
  return [...own, ...selection.children.flatMap(slotsOf)]
}

// ---------------------------------------------------------------------------------------------
// Values

const HOUR_MS = 3_600_000
const SEED_DAY = Date.UTC(2026, 0, 5)
const iso = (ms: number): string => new Date(ms).toISOString()

const dateArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.integer({ min: -24 * 90, max: 24 * 90 }).map((h) => iso(SEED_DAY + h * HOUR_MS)),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: Date.UTC(2105, 11, 31) / HOUR_MS }).map((h) => iso(h * HOUR_MS)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: HOUR_MS - 1 }).map((ms) => iso(SEED_DAY + ms)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '0000-01-01T00:00:00Z',
      '1969-12-31T23:00:00Z',
      '1970-01-01T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '+275760-09-13T00:00:00.001Z',
      '9999-12-31T23:00:00Z',
      '2106-02-07T06:00:00Z',
      '2105-12-31T23:00:00Z',
      '2026-01-01',
      '2026-01-01T00:00:00',
      '2026-01-01T00:00:00+14:00',
      '2026-01-01T00:30:00+00:30',
      '2026-W01',
      'now',
      'Invalid Date',
      '1767225600000',
    ),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
)

/**
 * An explicit range that passes the checks, or nearly: whole hours, from < to; mostly days or
 * weeks, sometimes up to the ten-year limit (a giant range), starting as early as 1970.
 */
const plausibleRange = fc
  .record({
    from: fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: -24 * 60, max: 24 * 30 }) },
      { weight: 1, arbitrary: fc.constant(-SEED_DAY / HOUR_MS) },
    ),
    hours: fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: 1, max: 24 * 40 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 24 * 3_661 }) },
    ),
  })
  .map(({ from, hours }) => ({
    from: iso(SEED_DAY + from * HOUR_MS),
    to: iso(SEED_DAY + (from + hours) * HOUR_MS),
  }))

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  hostileNumber,
  fc.boolean(),
  hostileString,
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileJson, { maxKeys: 3 }),
)

export const cursorOf = (value: unknown): string =>
  Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')
const decode = (cursor: string): unknown[] =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[]

const cursorPart = fc.oneof(
  hostileNumber,
  hostileString,
  fc.constantFrom(...NETWORK_IDS, ...SEEDED.nodes, ...SEEDED.jobs, 'solana', 'nosana-tx-3'),
  fc.constantFrom(
    '2026-01-05 03:00:00',
    '2026-99-99 99:99:99',
    '0000-00-00 00:00:00',
    '1969-12-31 23:59:59',
    '2106-02-07 06:28:16',
    '9999-12-31 23:59:59',
  ),
  hostileJson,
)

/** Cursors: real ones, real ones with one part replaced (numbers by hostile numbers), forged, junk. */
export function cursorArb(field: string): fc.Arbitrary<unknown> {
  const real = context.cursors[field] ?? []
  if (real.length === 0)
    return fc.oneof(
      cursorPart.map((p) => cursorOf([p])),
      hostileString,
    )
  const mutate = (part: fc.Arbitrary<unknown>, numbersOnly: boolean): fc.Arbitrary<string> =>
    fc.tuple(fc.constantFrom(...real), fc.nat(), part).map(([cursor, i, value]) => {
      const parts = decode(cursor)
      const positions = parts
        .map((p, j) => (!numbersOnly || typeof p === 'number' ? j : -1))
        .filter((j) => j >= 0)
      parts[positions[i % positions.length] ?? 0] = value
      return cursorOf(parts)
    })
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...real) },
    { weight: 3, arbitrary: mutate(hostileNumber, true) },
    { weight: 3, arbitrary: mutate(cursorPart, false) },
    { weight: 1, arbitrary: fc.array(cursorPart, { maxLength: 5 }).map(cursorOf) },
    { weight: 1, arbitrary: hostileJson.map(cursorOf) },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: wrongType },
  )
}

/** Values that name real things, by argument name (and field, for `id`). */
function plausible(field: string, arg: string): fc.Arbitrary<unknown> | null {
  switch (arg) {
    case 'network':
    case 'networks':
      return fc.constantFrom(...NETWORK_IDS)
    case 'id':
      if (field === 'Query.network') return fc.constantFrom(...NETWORK_IDS)
      if (field === 'Query.metricDefinition') return fc.constantFrom(...context.metricIds)
      return fc.constantFrom(...SEEDED.nodes)
    case 'node':
      return fc.constantFrom(...SEEDED.nodes)
    case 'customer':
      return fc.constantFrom(...SEEDED.customers)
    case 'gpuModel':
      return fc.constantFrom(...SEEDED.gpuModels)
    case 'after':
      return cursorArb(field.replace('Query.', ''))
    case 'first':
      return fc.constantFrom(1, 2, 10, 50, 100, 1000)
    default:
      return null
  }
}

/** Hostile values for an argument of `type`: wrong types, out of range, malformed, injections. */
export function hostileArb(type: GraphQLInputType, field: string, arg: string): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return fc.oneof(
      { weight: 19, arbitrary: hostileArb(type.ofType, field, arg) },
      { weight: 1, arbitrary: fc.constant(null) },
    )
  }
  if (isListType(type)) {
    const item = hostileArb(type.ofType, field, arg)
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { maxLength: 6 }) },
      { weight: 1, arbitrary: fc.array(item, { minLength: 30, maxLength: 300 }) },
      { weight: 1, arbitrary: item },
      { weight: 1, arbitrary: wrongType },
    )
  }
  if (isEnumType(type)) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) },
      { weight: 1, arbitrary: fc.constantFrom(...type.getValues().map((v) => `${v.name.toLowerCase()} `)) },
      { weight: 1, arbitrary: hostileString },
      { weight: 1, arbitrary: wrongType },
    )
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields())
    const record = fc.record(
      Object.fromEntries(fields.map((f) => [f.name, hostileArb(f.type, field, f.name)])),
      { requiredKeys: [] },
    )
    return fc.oneof(
      { weight: 4, arbitrary: record },
      { weight: 3, arbitrary: type.name === 'RangeInput' ? plausibleRange : record },
      { weight: 1, arbitrary: fc.tuple(record, hostileJson).map(([r, extra]) => ({ ...r, extra })) },
      { weight: 1, arbitrary: wrongType },
    )
  }
  const near = plausible(field, arg)
  const anyOf = (main: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 3, arbitrary: near ?? main },
      { weight: 3, arbitrary: main },
      { weight: 1, arbitrary: wrongType },
    )
  switch (type.name) {
    case 'Int':
    case 'Float':
      return anyOf(hostileNumber)
    case 'Boolean':
      return anyOf(fc.boolean())
    case 'DateTime':
      return dateArb
    default:
      return anyOf(hostileString)
  }
}

/** Values that pass the schema and, mostly, the resolvers' checks: the background of hostile ones. */
export function validArb(type: GraphQLInputType, field: string, arg: string): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return validArb(type.ofType, field, arg)
  if (isListType(type)) return fc.array(validArb(type.ofType, field, arg), { minLength: 1, maxLength: 3 })
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name))
  if (isInputObjectType(type)) {
    return type.name === 'RangeInput'
      ? fc.oneof(
          fc.constantFrom('D7', 'D30', 'D90', 'Y1').map((preset) => ({ preset })),
          plausibleRange,
        )
      : fc.constant({})
  }
  if (field === 'EconomicsPoint.transactions') return fc.integer({ min: 1, max: 100 })
  if (arg === 'after') return fc.constantFrom(...(context.cursors[field.replace('Query.', '')] ?? ['']))
  const near = plausible(field, arg)
  if (near) return near
  switch (type.name) {
    case 'Int':
      return fc.integer({ min: 1, max: 100 })
    case 'Boolean':
      return fc.boolean()
    default:
      return fc.constant('x')
  }
}

/**
 * Up to `maxHostile` arguments hostile, the others left out or well-formed: a request full of bad
 * values stops at the first, so most requests carry few, and reach the resolvers.
 */
export function valuesArb(slots: readonly Slot[], maxHostile = 2): fc.Arbitrary<Map<string, unknown>> {
  const perSlot = slots.map((s) => {
    const required = isNonNullType(s.arg.type) && s.arg.defaultValue === undefined
    return fc.record({
      present: fc.oneof(
        { weight: required ? 19 : 3, arbitrary: fc.constant(true) },
        { weight: required ? 1 : 2, arbitrary: fc.constant(false) },
      ),
      valid: validArb(s.arg.type, s.owner, s.arg.name),
      hostile: hostileArb(s.arg.type, s.owner, s.arg.name),
    })
  })
  const hostileSlots = fc.uniqueArray(fc.nat(slots.length - 1), { minLength: 1, maxLength: maxHostile })
  return fc.tuple(fc.tuple(...perSlot), hostileSlots).map(([values, hostile]) => {
    const map = new Map<string, unknown>()
    values.forEach((v, i) => {
      const id = (slots[i] as Slot).id
      if (hostile.includes(i)) map.set(id, v.hostile)
      else if (v.present) map.set(id, v.valid)
    })
    return map
  })
}

// ---------------------------------------------------------------------------------------------
// Documents

export type Mode = 'variables' | 'inline'
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/

/** A GraphQL literal of `value` for an argument of `type` (enum names bare; anything else as JSON says). */
export function literal(value: unknown, type: GraphQLInputType): string {
  const named = getNamedType(type)
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) {
    const list = isNonNullType(type) ? type.ofType : type
    const item = isListType(list) ? list.ofType : type
    return `[${value.map((v) => literal(v, item)).join(', ')}]`
  }
  if (typeof value === 'string') return isEnumType(named) && NAME.test(value) ? value : JSON.stringify(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'boolean') return String(value)
  const fields = isInputObjectType(named) ? named.getFields() : {}
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    const fieldType = fields[k]?.type ?? named
    return `${NAME.test(k) ? k : '_bad'}: ${literal(v, fieldType as GraphQLInputType)}`
  })
  return `{${entries.join(', ')}}`
}

export interface GraphQLRequest {
  query: string
  variables: Record<string, unknown>
}

/** The whole selection of `root`, with the arguments in `values` as variables or inline literals. */
export function documentOf(
  root: Selection,
  values: ReadonlyMap<string, unknown>,
  mode: Mode,
): GraphQLRequest {
  const definitions: string[] = []
  const variables: Record<string, unknown> = {}
  const render = (sel: Selection, indent: string): string => {
    const args = sel.args.flatMap((arg) => {
      const id = `${sel.owner}.${arg.name}`
      if (!values.has(id)) return []
      const value = values.get(id)
      if (mode === 'inline') return [`${arg.name}: ${literal(value, arg.type)}`]
      const name = `v${definitions.length}`
      definitions.push(`$${name}: ${String(arg.type)}`)
      variables[name] = value
      return [`${arg.name}: $${name}`]
    })
    const head = args.length > 0 ? `${sel.name}(${args.join(', ')})` : sel.name
    if (sel.children.length === 0) return `${indent}${head}`
    return `${indent}${head} {\n${sel.children.map((c) => render(c, `${indent}  `)).join('\n')}\n${indent}}`
  }
  const body = render(root, '  ')
  const head = definitions.length > 0 ? `query Hostile(${definitions.join(', ')})` : 'query Hostile'
  return { query: `${head} {\n${body}\n}`, variables }
}

// ---------------------------------------------------------------------------------------------
// Answers

export interface Answer {
  status: number
  body: {
    data?: Record<string, unknown> | null
    errors?: { message?: unknown; extensions?: { code?: unknown; [key: string]: unknown } }[]
  } | null
  text: string
}

export async function send(
  request: GraphQLRequest | string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Answer> {
  const res = await fetch(`${context.url}/graphql`, {
    method: 'POST',
    headers,
    body: typeof request === 'string' ? request : JSON.stringify(request),
  })
  const text = await res.text()
  return { status: res.status, body: parseJson(text) as Answer['body'], text }
}

/** Every answer to a hostile request: no 5xx, data or errors, client codes only, no leaked text. */
export function checkAnswer(answer: Answer, what: string): void {
  expect(answer.status, what).toBeLessThan(500)
  expect(answer.body, `${what}: not JSON: ${answer.text.slice(0, 300)}`).toBeTypeOf('object')
  const body = answer.body ?? {}
  expect('data' in body || 'errors' in body, what).toBe(true)
  expect(answer.text, what).not.toMatch(/DB::Exception|Code: \d+\.|Syntax error: failed at position/)
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code
    expect(CLIENT_CODES.has(String(code)), `${what}: error code ${String(code)}: ${show(error)}`).toBe(true)
    expect(String(error.message), what).not.toMatch(LEAK)
    expect(JSON.stringify(error.extensions ?? {}), what).not.toMatch(LEAK)
  }
}

/** Arguments that make every field answer with data: the selections reach the resolvers. */
export const WELL_FORMED: Record<string, unknown> = {
  network: 'nosana',
  networks: ['nosana', 'ionet'],
  kind: 'TIME',
  id: 'nosana-node-001',
  range: { from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' },
}

export function wellFormedValues(root: Selection): Map<string, unknown> {
  const values = new Map<string, unknown>()
  for (const a of root.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)) {
    const id = root.name === 'metricDefinition' ? 'demand' : root.name === 'network' ? 'nosana' : undefined
    values.set(`${root.owner}.${a.name}`, a.name === 'id' && id ? id : WELL_FORMED[a.name])
  }
  return values
}

/**
 * Well-formed arguments with one enum (or Boolean, or range preset) argument set to one of its
 * values, for every value of every such argument of `roots` (nested ones included): each value is
 * sent once, by one field, spread over the fields (a request costs the same whatever the value).
 */
export function enumSweep(roots: readonly Selection[]): { root: Selection; values: Map<string, unknown> }[] {
  const used = new Map<string, number>(roots.map((r) => [r.name, 0]))
  const byValue = new Map<string, { root: Selection; values: Map<string, unknown> }[]>()
  for (const root of roots) {
    const base = wellFormedValues(root)
    const hasGranularity = root.args.some((a) => a.name === 'granularity')
    for (const slot of slotsOf(root)) {
      const named = getNamedType(slot.arg.type)
      const values: unknown[] = isEnumType(named)
        ? named.getValues().map((v) => v.name)
        : named.name === 'Boolean'
          ? [true, false]
          : named.name === 'RangeInput'
            ? ['D7', 'D30', 'D90', 'Y1'].map((preset) => ({ preset }))
            : []
      // A long preset in coarse buckets: the sweep is about the value, not the bucket count.
      const coarse: [string, unknown][] =
        named.name === 'RangeInput' && hasGranularity ? [[`${root.owner}.granularity`, 'MONTH']] : []
      for (const value of values) {
        const key = `${slot.owner === root.owner ? slot.arg.name : slot.id}=${JSON.stringify(value)}`
        const list = byValue.get(key) ?? []
        list.push({ root, values: new Map([...base, ...coarse, [slot.id, value]]) })
        byValue.set(key, list)
      }
    }
  }
  return [...byValue.values()].map((candidates) => {
    const pick = candidates.reduce((a, b) =>
      (used.get(b.root.name) ?? 0) < (used.get(a.root.name) ?? 0) ? b : a,
    )
    used.set(pick.root.name, (used.get(pick.root.name) ?? 0) + 1)
    return pick
  })
}
