import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import type { NestExpressApplication } from '@nestjs/platform-express'
import type { LogLevel } from '@nestjs/common'
import { MAX_BODY_BYTES } from '../ingest/telemetry/limits.js'
import { AppModule } from './app.module.js'
import type { CoreDeps } from './core/core.module.js'

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug']

/** The NestJS application on top of an open database and a validated catalog. */
export async function createApp(deps: CoreDeps): Promise<NestExpressApplication> {
  const level = LEVELS.indexOf(deps.config.PLUMB_LOG_LEVEL)
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps), {
    logger: LEVELS.slice(0, level + 1),
  })
  const origins = deps.config.PLUMB_CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  if (origins.length > 0) app.enableCors({ origin: origins })
  app.disable('x-powered-by')
  // Telemetry batches and OTLP JSON are larger than body-parser's 100 kB default; Prometheus text
  // is read as text. Over the limit: 413, answered by the telemetry module.
  app.useBodyParser('json', { limit: MAX_BODY_BYTES })
  app.useBodyParser('text', { limit: MAX_BODY_BYTES, type: ['text/plain', 'application/openmetrics-text'] })
  return app
}
