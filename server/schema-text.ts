import type { INestApplication } from '@nestjs/common'
import { GraphQLSchemaHost } from '@nestjs/graphql'
import { lexicographicSortSchema, printSchema } from 'graphql'

export const SCHEMA_HEADER = '# Generated from the code-first resolvers by `npm run schema`. Do not edit.\n\n'

/** The GraphQL schema of an initialised app, as committed in schema.graphql. */
export function schemaText(app: INestApplication): string {
  const { schema } = app.get(GraphQLSchemaHost)
  return `${SCHEMA_HEADER}${printSchema(lexicographicSortSchema(schema))}\n`
}
