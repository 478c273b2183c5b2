import type { AddressInfo } from 'node:net'
import type { NestExpressApplication } from '@nestjs/platform-express'
import { loadCatalog } from '../../ingest/networks/index.js'
import { createApp } from '../../server/app.js'
import { openTempDb, type TempDb } from './temp-db.js'

export interface TestApp extends TempDb {
  app: NestExpressApplication
  url: string
  graphql<T>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: T; errors?: GraphQLErrorBody[] }>
  close(): Promise<void>
}

export interface GraphQLErrorBody {
  message: string
  extensions?: Record<string, unknown>
}

/** The real server on 127.0.0.1 and a free port, over a fresh embedded database. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const temp = await openTempDb(env)
  const app = await createApp({ config: temp.config, db: temp.db, catalog: loadCatalog() })
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    ...temp,
    app,
    url,
    async graphql<T>(query: string, variables?: Record<string, unknown>) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      })
      return (await res.json()) as { data?: T; errors?: GraphQLErrorBody[] }
    },
    async close() {
      await app.close()
      await temp.dispose()
    },
  }
}
