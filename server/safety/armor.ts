import { ApolloArmor } from '@escape.tech/graphql-armor'
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types'
import { GraphQLError } from 'graphql'
import { LIMIT_CODES, QUERY_LIMITS } from './limits.js'

/**
 * Reports a refusal as a validation error naming its limit (extensions.limit): Apollo sets every
 * validation error's code to GRAPHQL_VALIDATION_FAILED, and formatError turns the limit into the code.
 */
function reject(limit: string): GraphQLArmorRejectCallback[] {
  return [
    (context, error) => context?.reportError(new GraphQLError(error.message, { extensions: { limit } })),
  ]
}

/**
 * graphql-armor as Apollo plugins and validation rules: depth, cost, aliases and directives. Field
 * suggestions are blocked so a refused query does not list the schema.
 */
export function armor(): Pick<ReturnType<ApolloArmor['protect']>, 'plugins' | 'validationRules'> {
  const protection = new ApolloArmor({
    maxDepth: {
      n: QUERY_LIMITS.maxDepth,
      propagateOnRejection: false,
      onReject: reject(LIMIT_CODES.maxDepth),
    },
    costLimit: {
      maxCost: QUERY_LIMITS.maxCost,
      propagateOnRejection: false,
      onReject: reject(LIMIT_CODES.maxCost),
    },
    maxAliases: {
      n: QUERY_LIMITS.maxAliases,
      propagateOnRejection: false,
      onReject: reject(LIMIT_CODES.maxAliases),
    },
    maxDirectives: {
      n: QUERY_LIMITS.maxDirectives,
      propagateOnRejection: false,
      onReject: reject(LIMIT_CODES.maxDirectives),
    },
    // Tokens are limited by the parser itself (parseOptions.maxTokens, see parseOptions below): a
    // refusal is then a parse error (HTTP 400), where graphql-armor's plugin answers 500.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect()
  return { plugins: protection.plugins, validationRules: protection.validationRules }
}

/** graphql-js parse options: documents longer than maxTokens are refused while parsing. */
export const parseOptions = { maxTokens: QUERY_LIMITS.maxTokens }
