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

/**
 * One line per row, the columns in the given order. Joined from an array: one flat string, where
 * `+=` would build a rope of thousands of pieces that every young garbage collection copies while
 * the text waits for its insert.
 */
export function encodeTsv<T extends { [K in C]: Cell }, C extends keyof T & string>(
  rows: readonly T[],
  columns: readonly C[],
): string {
  const lines: string[] = new Array<string>(rows.length + 1)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as T
    let line = cell(row[columns[0] as C])
    for (let i = 1; i < columns.length; i++) line += `\t${cell(row[columns[i] as C])}`
    lines[r] = line
  }
  lines[rows.length] = ''
  return lines.join('\n')
}
