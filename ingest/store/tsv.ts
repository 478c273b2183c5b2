/**
 * Rows as ClickHouse TabSeparated text: the insert format the embedded engine parses fastest (it
 * hands the bytes to its own parser; JSONEachRow parses several times slower, bench/telemetry.ts).
 * Strings escape backslash, tab and newline; null is \N.
 */
type Cell = string | number | null

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const HAS_SPECIAL = /[\\\t\n\r]/
const SPECIALS = /[\\\t\n\r]/g

function cell(value: Cell): string {
  if (value === null) return '\\N'
  if (typeof value === 'number') return String(value)
  return HAS_SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c] ?? c) : value
}

/** One line per row, the columns in the given order. */
export function encodeTsv<T extends { [K in C]: Cell }, C extends keyof T & string>(
  rows: readonly T[],
  columns: readonly C[],
): string {
  let text = ''
  for (const row of rows) {
    let line = ''
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += '\t'
      line += cell(row[columns[i] as C])
    }
    text += `${line}\n`
  }
  return text
}
