/** Limits on what one GraphQL request may ask (graphql-armor), documented in README.md (API). */
export const QUERY_LIMITS = {
  /** Nesting depth of a selection; the deepest the schema allows is 5 (compare.networks.network.tokens.symbol). */
  maxDepth: 8,
  /**
   * Static cost (graphql-armor's model: objects 2, scalars 1, times 1.5 per level of depth). The compare
   * page's query costs about 100, a full economics query with its transactions about 1,400.
   */
  maxCost: 10_000,
  /** Aliases per request (an alias bomb asks the same costly field many times). */
  maxAliases: 30,
  /** Lexer tokens per document (an over-long query). */
  maxTokens: 2_000,
  maxDirectives: 20,
}

/** Error codes of the refusals (extensions.code). */
export const LIMIT_CODES = {
  maxDepth: 'QUERY_TOO_DEEP',
  maxCost: 'QUERY_TOO_COSTLY',
  maxAliases: 'TOO_MANY_ALIASES',
  maxTokens: 'QUERY_TOO_LONG',
  maxDirectives: 'TOO_MANY_DIRECTIVES',
} as const
