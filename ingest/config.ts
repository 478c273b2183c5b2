import { resolve } from 'node:path'
import { z } from 'zod'

/** Every environment variable Plumb reads, with its default. README.md lists the same table. */
const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^\w+$/, 'letters, digits and _ only').default('default'),
  PLUMB_DATA_DIR: z.string().default('./.plumb'),
  PLUMB_QUERY_TIMEOUT_S: z.coerce.number().positive().default(10),
  PLUMB_QUERY_MAX_MEMORY: z.coerce.number().int().positive().default(2_000_000_000),
  PLUMB_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  PLUMB_CORS_ORIGINS: z.string().default(''),
  PLUMB_LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
  PLUMB_API_RATE_LIMIT: z.coerce.number().int().positive().default(600),
  PLUMB_API_CACHE_ENTRIES: z.coerce.number().int().min(0).default(2000),
  PLUMB_API_MAX_STALE_S: z.coerce.number().min(0).default(0),
  SOLANA_RPC_URL: z.url().optional(),
  ETHEREUM_RPC_URL: z.url().optional(),
  ARBITRUM_RPC_URL: z.url().optional(),
  PLUMB_PRICE_URL: z
    .string()
    .regex(/^https?:\/\/.*\{token\}/, 'an http(s) URL template containing {token}')
    .optional(),
  PLUMB_INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  PLUMB_INGEST_TOKENS: z.string().default(''),
  PLUMB_INGEST_NODE_RATE: z.coerce.number().positive().default(2),
  PLUMB_INGEST_NODE_BURST: z.coerce.number().int().positive().default(30),
  PLUMB_INGEST_MAX_BACKLOG_MB: z.coerce.number().positive().default(64),
  PLUMB_INGEST_MAX_AGE_H: z.coerce.number().positive().default(168),
})

export type PlumbConfig = z.infer<typeof envSchema> & { dataDir: string }

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlumbConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`)
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.PLUMB_DATA_DIR) }
}
