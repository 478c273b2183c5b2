/** The dashboard's only way to the server: POST /graphql. */
export class GraphQLRequestError extends Error {}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  const body = (await res.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null
  if (!body) throw new GraphQLRequestError(`GraphQL request failed: HTTP ${res.status}`)
  if (body.errors?.length) throw new GraphQLRequestError(body.errors.map((e) => e.message).join('; '))
  if (!body.data) throw new GraphQLRequestError('GraphQL response without data')
  return body.data
}
