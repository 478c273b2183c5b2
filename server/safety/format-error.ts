import { HttpException, Logger } from '@nestjs/common'
import { unwrapResolverError } from '@apollo/server/errors'
import { GraphQLError, type GraphQLFormattedError } from 'graphql'
import { LIMIT_CODES } from './limits.js'

/** Codes whose message is written for the client and safe to show as it is. */
const CLIENT_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'TOO_MANY_REQUESTS',
  ...Object.values(LIMIT_CODES),
])

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  429: 'TOO_MANY_REQUESTS',
}

const logger = new Logger('GraphQL')
const LIMITS = new Set<string>(Object.values(LIMIT_CODES))

/** The code of a refused limit: armor's extensions.limit, or graphql-js's token limit while parsing. */
function limitCode(formatted: GraphQLFormattedError): string | null {
  const limit = formatted.extensions?.limit
  if (typeof limit === 'string' && LIMITS.has(limit)) return limit
  const parseFailed = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED'
  // graphql-js 16 words it 'more that N tokens'.
  return parseFailed && /Document contains more tha[nt] \d+ tokens/.test(formatted.message)
    ? LIMIT_CODES.maxTokens
    : null
}

/**
 * Client errors pass as they are; anything else (a ClickHouse error, a bug) becomes
 * INTERNAL_SERVER_ERROR with a generic message, and the original is logged here, never sent.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error)
  if (original instanceof HttpException && HTTP_CODES[original.getStatus()]) {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: HTTP_CODES[original.getStatus()] },
    }
  }
  const limit = limitCode(formatted)
  if (limit)
    return { message: formatted.message, locations: formatted.locations, extensions: { code: limit } }
  const code = formatted.extensions?.code
  const isClientError =
    typeof code === 'string' &&
    CLIENT_CODES.has(code) &&
    (original instanceof GraphQLError || original === error)
  if (isClientError) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {}
    return { ...formatted, extensions }
  }
  logger.error(
    `${formatted.path ? `${formatted.path.join('.')}: ` : ''}${original instanceof Error ? (original.stack ?? original.message) : String(original)}`,
  )
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  }
}
