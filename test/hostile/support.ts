/**
 * Shared pieces of the hostile-input property tests: hostile values, the leak checks every answer
 * must pass, and row counts of every table (to prove a refused request wrote nothing).
 */
import type { ClickHouseClient } from '@clickhouse/client'
import fc from 'fast-check'

/** Fixed seeds: a failure names its seed and path, and a rerun replays it. */
export const SEED = 0x8_4a11

/** ClickHouse's error text and stack traces: never in an answer to a client. */
export const LEAK =
  /DB::Exception|Code: \d+\.|Syntax error: failed at position|clickhouse|chdb|(^|\n)\s+at \S|\bat [\w$.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules/i

/** True when a generated text would itself trip LEAK when echoed back in a validation message. */
export const looksLikeLeak = (s: string): boolean => LEAK.test(s)

/** SQL injection fragments, parameter syntax, control characters and number-ish text. */
export const NASTY_STRINGS = [
  "' OR 1=1 --",
  "nosana' OR 1=1 --",
  "x'); DROP TABLE token_flows; --",
  "' UNION ALL SELECT name, name, name FROM system.tables --",
  '{network:String}',
  '{networks:Array(String)}',
  "\\' OR \\'1\\'=\\'1",
  '1; SELECT sleep(3)',
  '`',
  '"',
  '\\',
  "'",
  '%',
  '_',
  '\u0000',
  'nosana\u0000',
  "nosana\u0000' OR network != '",
  '\t\n\r',
  '\u202enosana',
  '\ud800',
  '🚀🔥',
  'ñøsåñå',
  '../../etc/passwd',
  '$(reboot)',
  '<script>alert(1)</script>',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '-0',
  '0',
  '1e309',
  '0x7fffffff',
  '9223372036854775808',
  '18446744073709551616',
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
]

/** Strings a client could send: the list above, arbitrary unicode, and very long ones. */
export const hostileString: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...NASTY_STRINGS), fc.integer({ min: 1_000, max: 60_000 }))
        .map(([s, n]) => (s === '' ? 'x' : s).repeat(Math.ceil(n / Math.max(1, s.length)))),
    },
  )
  .filter((s) => !looksLikeLeak(s))

/** Numbers of every awkward kind (as JSON can carry them: NaN and Infinity turn into null). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    1.5,
    50,
    1000,
    1001,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 53,
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    1e21,
    1e300,
    -1e300,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)

/** Any JSON value, hostile strings and numbers included, with limited depth. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value

/** `n` arrays nested: a stack-depth attack. */
export const deepNesting = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`

export interface TableCounts {
  [table: string]: number
}

/** Rows of every table of the database (views excepted). */
export async function tableCounts(client: ClickHouseClient): Promise<TableCounts> {
  const tables = await (
    await client.query({
      query: `SELECT name FROM system.tables
              WHERE database = currentDatabase() AND engine NOT IN ('View', 'MaterializedView', 'LiveView')
              ORDER BY name`,
      format: 'JSONEachRow',
    })
  ).json<{ name: string }>()
  const counts: TableCounts = {}
  for (const { name } of tables) {
    const [row] = await (
      await client.query({
        query: 'SELECT count() AS n FROM {table:Identifier}',
        query_params: { table: name },
        format: 'JSONEachRow',
      })
    ).json<{ n: string }>()
    counts[name] = Number(row?.n ?? 0)
  }
  return counts
}

/** A short description of a generated value for failure messages (long strings cut). */
export function show(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
  )
  return text === undefined ? String(value) : text.length > 600 ? `${text.slice(0, 600)}…` : text
}

/** The JSON object a text holds, or null. */
export function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
