import { GraphQLError } from 'graphql'

/** A client error the API reports as it is: code BAD_USER_INPUT, the field and the reason. */
export function badInput(field: string, reason: string): GraphQLError {
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code: 'BAD_USER_INPUT', field, reason } })
}
