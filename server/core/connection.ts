import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql'
import { badInput } from './errors.js'

export const DEFAULT_PAGE = 50
export const MAX_PAGE = 1000

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field() hasNextPage!: boolean
  @Field(() => String, { nullable: true }) endCursor!: string | null
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE, description: `At most ${MAX_PAGE}.` })
  first: number = DEFAULT_PAGE

  @Field(() => String, { nullable: true, description: 'Opaque cursor: the endCursor of the previous page.' })
  after?: string | null
}

/** `first`, checked against the page limits. */
export function pageSize(first: number): number {
  if (first < 1 || first > MAX_PAGE) throw badInput('first', `must be between 1 and ${MAX_PAGE}`)
  return first
}

/** Opaque cursors: base64url of a JSON tuple. */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}

export function decodeCursor(cursor: string): unknown[] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    return Array.isArray(value) ? value : null
  } catch {
    return null
  }
}
