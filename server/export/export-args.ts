import { z } from 'zod'
import { badInput } from '../core/errors.js'
import { Granularity, RangePreset, type RangeInput } from '../core/range.js'

/** A query string as express parses it: a value, repeated values, or nothing. */
export type QueryString = Record<string, unknown>

const text = z.string().max(200)

/** The arguments of a GraphQL field, read from a query string (enum values by their GraphQL names). */
export const exportArgsSchema = z.strictObject({
  network: z.union([text, z.array(text).max(20)]).optional(),
  preset: z.enum(Object.keys(RangePreset) as [keyof typeof RangePreset]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  granularity: z.enum(['HOUR', 'DAY', 'WEEK', 'MONTH']).default('DAY'),
  kind: z.enum(['TIME', 'ALLOCATION', 'COMPUTE']).optional(),
  cohort: z.enum(['MONTH', 'WEEK']).default('MONTH'),
  gpuModel: text.optional(),
  node: text.optional(),
  customer: text.optional(),
  status: text.optional(),
  orderBy: text.optional(),
  first: z.coerce.number().int().min(1).optional(),
  after: z.string().max(1000).optional(),
  perBucket: z.coerce.number().int().min(1).max(100).default(10),
})
export type ExportArgs = z.infer<typeof exportArgsSchema>

export function parseExportArgs(query: QueryString): ExportArgs {
  const parsed = exportArgsSchema.safeParse(query)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw badInput(issue?.path.join('.') || 'query', issue?.message ?? 'invalid')
  }
  return parsed.data
}

export function networksOf(args: ExportArgs): string[] {
  return args.network === undefined ? [] : Array.isArray(args.network) ? args.network : [args.network]
}

export function rangeOf(args: ExportArgs): RangeInput | null {
  if (!args.preset && !args.from && !args.to) return null
  return {
    preset: args.preset ? RangePreset[args.preset] : null,
    from: args.from ? new Date(args.from) : null,
    to: args.to ? new Date(args.to) : null,
  }
}

export function granularityOf(args: ExportArgs): Granularity {
  return Granularity[args.granularity]
}

/** An enum value given by its GraphQL name, checked against the enum. */
export function enumOf<E extends Record<string, string>>(
  e: E,
  name: string | undefined,
  field: string,
): E[keyof E] | null {
  if (name === undefined) return null
  if (!Object.hasOwn(e, name)) throw badInput(field, `one of ${Object.keys(e).join(', ')}`)
  return e[name as keyof E]
}
