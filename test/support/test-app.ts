import type { AddressInfo } from 'node:net'
import type { NestExpressApplication } from '@nestjs/platform-express'
import { loadConfig } from '../../ingest/config.js'
import { loadCatalog, type Network } from '../../ingest/networks/index.js'
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

export interface TestAppOptions {
  /** A database already prepared (e.g. test/support/world-db.ts); the caller disposes it. */
  temp?: TempDb
  catalog?: Network[]
}

/** The real server on 127.0.0.1 and a free port, over a fresh embedded database (or a prepared one). */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const temp = options.temp ?? (await openTempDb(env))
  const config = options.temp
    ? loadConfig({ PLUMB_DATA_DIR: temp.config.dataDir, PLUMB_LOG_LEVEL: 'warn', PORT: '0', ...env })
    : temp.config
  const app = await createApp({ config, db: temp.db, catalog: options.catalog ?? loadCatalog() })
  await app.listen(0, '127.0.0.1')
  const { port } = app.getHttpServer().address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    ...temp,
    config,
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
      if (!options.temp) await temp.dispose()
    },
  }
}
