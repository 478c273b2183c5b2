/**
 * Issue #8, part 4: hostile query strings on /export/<name>.csv|parquet (server/export): every
 * export name and every argument of exportArgsSchema, well-formed or hostile, repeated, unknown,
 * in bracket notation, and hostile names. Answers are a file (200, read to its end without the
 * stream breaking) or 4xx with a JSON reason; never 5xx, never ClickHouse's text or a stack
 * trace, nothing written.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportService } from '../../server/export/export.service.js'
import { exportArgsSchema } from '../../server/export/export-args.js'
import type { TestApp } from '../support/test-app.js'
import { context, cursorArb, cursorOf, NETWORK_IDS, startHostileApp } from './graphql-harness.js'
import { SEEDED } from './seed.js'
import { hostileString, LEAK, NASTY_STRINGS, SEED, show, tableCounts, type TableCounts } from './support.js'

const RUNS = 120

let t: TestApp
let before: TableCounts
let names: string[] = []

beforeAll(async () => {
  t = await startHostileApp()
  names = t.app.get(ExportService).names()
  before = await tableCounts(t.db.reader)
}, 120_000)
afterAll(() => t?.close())

const ARGS = Object.keys(exportArgsSchema.shape)

const HOUR_MS = 3_600_000
const SEED_DAY = Date.UTC(2026, 0, 5)

/** Well-formed values of each query-string argument (of export `name`, for lists). */
function validValue(key: string, name = ''): fc.Arbitrary<string> {
  switch (key) {
    case 'network':
      return fc.constantFrom(...NETWORK_IDS)
    case 'preset':
      return fc.constantFrom('D7', 'D30', 'D90', 'Y1')
    case 'from':
    case 'to':
      return fc
        .integer({ min: -24 * 30, max: 24 * 30 })
        .map((h) => new Date(SEED_DAY + h * HOUR_MS).toISOString())
    case 'granularity':
      return fc.constantFrom('HOUR', 'DAY', 'WEEK', 'MONTH')
    case 'kind':
      return fc.constantFrom('TIME', 'ALLOCATION', 'COMPUTE')
    case 'cohort':
      return fc.constantFrom('MONTH', 'WEEK')
    case 'gpuModel':
      return fc.constantFrom(...SEEDED.gpuModels)
    case 'node':
      return fc.constantFrom(...SEEDED.nodes)
    case 'customer':
      return fc.constantFrom(...SEEDED.customers)
    case 'status':
      return name === 'nodes'
        ? fc.constantFrom('verified', 'mismatch', 'unverified')
        : fc.constantFrom('succeeded', 'failed', 'queued')
    case 'orderBy':
      return name === 'nodes'
        ? fc.constantFrom('NODE_ID', 'LAST_SEEN', 'UPTIME')
        : fc.constantFrom('NEWEST', 'OLDEST')
    case 'first':
      return fc.integer({ min: 1, max: 1000 }).map(String)
    case 'perBucket':
      return fc.integer({ min: 1, max: 100 }).map(String)
    case 'after':
      return fc.constantFrom(...(context.cursors[name] ?? Object.values(context.cursors).flat()))
    default:
      return fc.constant('x')
  }
}

const numberText = fc.constantFrom(
  '-1',
  '0',
  '1.5',
  '1e3',
  '1e309',
  'NaN',
  'Infinity',
  '0x10',
  ' 5',
  '5 ',
  '',
  '9007199254740993',
  '1000001',
  '101',
)
const dateText = fc.constantFrom(
  '2026-02-30T00:00:00Z',
  '2026-01-01T00:30:00Z',
  '1969-12-31T23:00:00Z',
  '1970-01-01T00:00:00Z',
  '2106-02-07T06:00:00Z',
  '9999-12-31T23:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2026-01-01',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00-12:00',
)
const forgedCursor = fc
  .array(fc.oneof(fc.constantFrom(1e300, -1, 1.5, 2 ** 63, 1e18, 0), hostileString), { maxLength: 4 })
  .map(cursorOf)
const hostileValue = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: numberText },
  { weight: 2, arbitrary: dateText },
  { weight: 1, arbitrary: forgedCursor },
)

/** Arguments every export takes; lists (jobs, nodes) take orderBy, status and after as well. */
const COMMON = ['granularity', 'gpuModel', 'node', 'customer', 'first', 'perBucket', 'cohort', 'kind']
const LIST_ONLY = ['status', 'orderBy', 'after']

/**
 * A query string for export `name`: a network, a few well-formed pairs, a preset or a range, up to
 * two hostile pairs (none now and then, so that files come back too), and sometimes a repeated,
 * unknown or bracketed key.
 */
function queryArb(name: string): fc.Arbitrary<[string, string][]> {
  const keys = name === 'jobs' || name === 'nodes' ? [...COMMON, ...LIST_ONLY] : COMMON
  return fc
    .record({
      network: validValue('network'),
      validKeys: fc.uniqueArray(fc.constantFrom(...keys), { maxLength: 4 }),
      range: fc.oneof(
        fc.constant(null),
        validValue('preset'),
        fc.tuple(validValue('from'), fc.integer({ min: 1, max: 24 * 60 })),
      ),
      hostileKeys: fc.oneof(
        { weight: 2, arbitrary: fc.constant<string[]>([]) },
        { weight: 3, arbitrary: fc.uniqueArray(fc.constantFrom(...ARGS), { minLength: 1, maxLength: 2 }) },
      ),
      hostileValues: fc.array(hostileValue, { minLength: 2, maxLength: 2 }),
      oddKey: fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'network',
            'preset',
            'first',
            'after',
            'network[]',
            'network[0]',
            'extra',
            '__proto__',
            '',
          ),
        },
      ),
      oddValue: fc.constantFrom(...NASTY_STRINGS),
    })
    .chain((q) =>
      fc.tuple(...q.validKeys.map((k) => validValue(k, name))).map((validValues) => {
        const pairs: [string, string][] = [['network', q.network]]
        q.validKeys.forEach((k, i) => pairs.push([k, validValues[i] ?? '']))
        if (typeof q.range === 'string') pairs.push(['preset', q.range])
        else if (q.range) {
          const [from, hours] = q.range
          pairs.push(['from', from], ['to', new Date(Date.parse(from) + hours * HOUR_MS).toISOString()])
        }
        q.hostileKeys.forEach((k, i) => pairs.push([k, q.hostileValues[i] ?? '']))
        if (q.oddKey !== null) pairs.push([q.oddKey, q.oddValue])
        return pairs
      }),
    )
}

const nameArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...['economics', 'jobs', 'nodes']).chain(() => fc.constantFrom(...names)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'Economics',
      'x'.repeat(5000),
    ),
  },
  { weight: 1, arbitrary: hostileString },
)
const extArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('csv', 'parquet') },
  { weight: 1, arbitrary: fc.constantFrom('CSV', 'json', 'csv.parquet', '') },
)

const statuses: Record<number, number> = {}

async function exportOnce(name: string, ext: string, pairs: [string, string][]): Promise<void> {
  const query = new URLSearchParams(pairs).toString()
  const path = `/export/${encodeURIComponent(ext ? `${name}.${ext}` : name)}`
  const what = `${path.slice(0, 120)}?${query.slice(0, 500)}`
  const res = await fetch(`${t.url}${path}?${query}`)
  statuses[res.status] = (statuses[res.status] ?? 0) + 1
  // A ClickHouse error after the headers breaks the stream: reading to the end must not throw.
  const body = Buffer.from(await res.arrayBuffer())
  const text = body.toString('latin1')
  expect(res.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500)
  expect(text, what).not.toMatch(/DB::Exception|Code: \d+\.|\n\s+at \S/)
  if (res.status === 200) {
    expect(res.headers.get('content-type'), what).toMatch(/text\/csv|parquet/)
    return
  }
  expect([400, 404, 414, 431], what).toContain(res.status)
  if (res.status === 400 || res.status === 404) {
    const json = JSON.parse(body.toString('utf8')) as { error?: { code?: string; message?: string } }
    expect(json.error?.code, what).toMatch(/^(BAD_USER_INPUT|NOT_FOUND)$/)
    expect(String(json.error?.message), what).not.toMatch(LEAK)
    expect(String(json.error?.message).length, what).toBeGreaterThan(0)
  }
}

describe('/export/<name>.csv|parquet with hostile query strings', () => {
  it('knows the export names the README lists', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'economics',
        'economicsTransactions',
        'supply',
        'utilization',
        'jobSuccess',
        'uptime',
      ]),
    )
    expect(names).toEqual(
      expect.arrayContaining([
        'queueTime',
        'timeToFailure',
        'customers',
        'cohorts',
        'hardwareMix',
        'prices',
        'nodes',
        'jobs',
      ]),
    )
  })

  it('answers a file or a 4xx with a reason, never 5xx or a leak', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(nameArb, extArb)
          .chain(([name, ext]) => queryArb(name).map((pairs) => [name, ext, pairs] as const)),
        async ([name, ext, pairs]) => {
          await exportOnce(name, ext, pairs).catch((error: unknown) => {
            throw new Error(`${name}.${ext} ${show(pairs)}: ${String(error)}`, { cause: error })
          })
        },
      ),
      { seed: SEED, numRuns: RUNS },
    )
    // The runs reach ClickHouse: a good share of them are files.
    expect(statuses[200] ?? 0, JSON.stringify(statuses)).toBeGreaterThan(RUNS / 5)
  })

  it('every export name and every argument, one hostile argument at a time', async () => {
    const values = fc.sample(hostileValue, { seed: SEED, numRuns: Math.max(names.length, ARGS.length) })
    for (const [i, hostile] of values.entries()) {
      const name = names[i % names.length] as string
      const key = ARGS[i % ARGS.length] as string
      await exportOnce(name, i % 2 === 0 ? 'csv' : 'parquet', [
        ['network', 'nosana'],
        ['kind', 'TIME'],
        [key, hostile],
      ])
    }
  })

  it.each(['jobs', 'nodes'])('%s: tampered, forged and junk cursors in after', async (name) => {
    await fc.assert(
      fc.asyncProperty(cursorArb(name), fc.constantFrom('csv', 'parquet'), async (after, ext) => {
        const cursor = typeof after === 'string' ? after : JSON.stringify(after)
        await exportOnce(name, ext, [
          ['network', 'nosana'],
          ['after', cursor],
        ])
      }),
      { seed: SEED, numRuns: 25 },
    )
  })

  it('wrote nothing: every table has the rows it had before', async () => {
    expect(await tableCounts(t.db.reader)).toEqual(before)
  })
})
