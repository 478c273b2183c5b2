import { readFile } from 'node:fs/promises'
import type { ApolloServerPlugin } from '@apollo/server'

/** Served instead when web/dist has not been built. */
export const EXPLORER_NOT_BUILT =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Plumb · GraphQL explorer</title>' +
  '<p>The GraphQL explorer is not built: run <code>npm run build:web</code>.</p></html>'

async function explorerHtml(indexPath: string): Promise<string> {
  try {
    return await readFile(indexPath, 'utf8')
  } catch {
    return EXPLORER_NOT_BUILT
  }
}

/**
 * The explorer (web/explorer, built to web/dist/explorer) as Apollo's landing page: Apollo answers a
 * GET /graphql that prefers text/html with it, and every JSON request (POST, or GET with a query
 * string) as before. The file is read per request, so a rebuild shows without a restart.
 */
export function explorerLandingPage(indexPath: string): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: () => explorerHtml(indexPath) }
        },
      }
    },
  }
}
