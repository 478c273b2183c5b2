/**
 * Headline figures of the benchmarks, for the one summary table of `npm run bench`.
 *
 * Each benchmark keeps its own detailed printout and calls `report()` once per headline figure.
 * Under bench/run.ts the environment variable PLUMB_BENCH_REPORT names a file: each figure is
 * appended to it as one JSON line, and run.ts prints them all at the end and writes them to
 * bench/results/. Run alone, a benchmark reports nothing more than its own printout.
 */
import { appendFileSync } from 'node:fs'
import { basename } from 'node:path'

export const REPORT_ENV = 'PLUMB_BENCH_REPORT'

export type Op = '<' | '<=' | '>' | '>=' | '='

export interface Target {
  op: Op
  value: number
}

export interface Figure {
  /** The benchmark's file name without .ts. */
  bench: string
  name: string
  /** null or NaN: not measured. */
  value: number | null
  unit: string
  /** What the value is compared with (e.g. the raw ClickHouse time); null: none. */
  baseline: number | null
  /** value / baseline, or a ratio of its own; null: none. */
  ratio: number | null
  /** null: the issue sets no target for this figure (shown as '-'). */
  target: Target | null
  /** null when there is no target. */
  met: boolean | null
  note?: string
}

export interface FigureInput {
  name: string
  value: number | null
  unit: string
  baseline?: number | null
  ratio?: number | null
  target?: Target | null
  note?: string
}

function isNumber(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x)
}

export function meets(value: number | null, target: Target): boolean {
  if (!isNumber(value)) return false
  switch (target.op) {
    case '<':
      return value < target.value
    case '<=':
      return value <= target.value
    case '>':
      return value > target.value
    case '>=':
      return value >= target.value
    case '=':
      return value === target.value
  }
}

/** Records one headline figure (see the file comment); returns it as recorded. */
export function report(input: FigureInput, bench = basename(process.argv[1] ?? 'bench', '.ts')): Figure {
  const target = input.target ?? null
  const value = isNumber(input.value) ? input.value : null
  const baseline = isNumber(input.baseline) ? input.baseline : null
  const ratio = isNumber(input.ratio) ? input.ratio : null
  const figure: Figure = {
    bench,
    name: input.name,
    value,
    unit: input.unit,
    baseline,
    ratio,
    target,
    met: target ? meets(value, target) : null,
    ...(input.note ? { note: input.note } : {}),
  }
  const file = process.env[REPORT_ENV]
  if (file) appendFileSync(file, JSON.stringify(figure) + '\n')
  return figure
}

/** A number for people: thousands separated, 2 significant decimals below 10, 1 below 100. */
export function formatNumber(x: number | null): string {
  if (!isNumber(x)) return 'n/a'
  const digits = Math.abs(x) >= 100 || Number.isInteger(x) ? 0 : Math.abs(x) >= 10 ? 1 : 2
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

const OPS: Record<Op, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '=': '=' }

export function formatTarget(target: Target | null, unit: string): string {
  if (!target) return '-'
  return `${OPS[target.op]} ${formatNumber(target.value)}${unit ? ` ${unit}` : ''}`
}

export function formatMet(met: boolean | null): string {
  return met === null ? '-' : met ? 'yes' : 'NO'
}

export const SUMMARY_HEAD = ['bench', 'figure', 'value', 'baseline', 'ratio', 'target', 'met']

/** The summary's cells, one row per figure. */
export function summaryRows(figures: readonly Figure[]): string[][] {
  return figures.map((f) => [
    f.bench,
    f.note ? `${f.name} (${f.note})` : f.name,
    `${formatNumber(f.value)}${f.unit && f.value !== null ? ` ${f.unit}` : ''}`,
    f.baseline === null ? '-' : `${formatNumber(f.baseline)}${f.unit ? ` ${f.unit}` : ''}`,
    f.ratio === null ? '-' : formatNumber(f.ratio),
    formatTarget(f.target, f.unit),
    formatMet(f.met),
  ])
}

/** A plain-text table: first column left-aligned, numbers right-aligned. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const left = new Set([0, 1])
  const line = (r: string[]) =>
    r
      .map((c, i) => (left.has(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** A Markdown table (cells with | escaped). */
export function markdownTable(head: string[], rows: string[][]): string {
  const cell = (c: string) => c.replace(/\|/g, '\\|')
  const align = head.map((_, i) => (i < 2 ? '---' : '---:'))
  return [head, align, ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n')
}
