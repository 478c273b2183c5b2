import { GraphiQL, type GraphiQLProps } from 'graphiql'
import 'graphiql/graphiql.css'
import type { ExecutionResult } from 'graphql'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { EXAMPLES, NEW_TAB_QUERY, type ExplorerExample } from './examples'

const GRAPHQL_URL = '/graphql'

type Fetcher = GraphiQLProps['fetcher']

interface Tab {
  query: string
  variables?: string
}

/** Plain JSON over POST: the API has no subscriptions, no @defer and no batching. */
const fetcher: Fetcher = async (params, options) => {
  const res = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { ...options?.headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
  })
  return (await res.json()) as ExecutionResult
}

function toTab(example: ExplorerExample): Tab {
  return {
    query: example.query,
    variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined,
  }
}

const TABS = EXAMPLES.map(toTab)

/** Tabs GraphiQL saved on an earlier visit, which it restores instead of the examples. */
function hasSavedTabs(): boolean {
  try {
    return localStorage.getItem('graphiql:tabState') !== null
  } catch {
    return false
  }
}

// GraphiQL 3 opens the first of its default tabs without that tab's variables: on a first visit the
// first tab's query and variables are passed as the editors' initial values too.
const FIRST = hasSavedTabs() ? undefined : TABS[0]

function Explorer() {
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={TABS}
      defaultQuery={NEW_TAB_QUERY}
      query={FIRST?.query}
      variables={FIRST?.variables}
      defaultEditorToolsVisibility="variables"
    >
      <GraphiQL.Logo>
        <a href="/">Plumb</a> GraphQL
      </GraphiQL.Logo>
    </GraphiQL>
  )
}

const mount = document.getElementById('explorer')
if (mount)
  createRoot(mount).render(
    <StrictMode>
      <Explorer />
    </StrictMode>,
  )
