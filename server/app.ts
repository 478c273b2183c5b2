import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import type { IncomingMessage } from 'node:http'
import type { NestExpressApplication } from '@nestjs/platform-express'
import type { LogLevel } from '@nestjs/common'
import { INGEST_ROUTES } from '../ingest/telemetry/http.js'
import { MAX_BODY_BYTES } from '../ingest/telemetry/limits.js'
import { AppModule } from './app.module.js'
import type { CoreDeps } from './core/core.module.js'

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug']
const TEXT_TYPES = ['text/plain', 'application/openmetrics-text']

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/**
 * A signed telemetry batch: read as text, parsed by the ingest (see below). Another charset than
 * UTF-8 is left to the JSON parser, which refuses it (415), as JSON must be UTF-8.
 */
function isBatch(req: IncomingMessage): boolean {
  const charset = /;\s*charset\s*=\s*"?([\w-]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase()
  return (
    req.url?.split('?')[0] === INGEST_ROUTES.telemetry &&
    mediaType(req) === 'application/json' &&
    (charset === undefined || charset === 'utf-8' || charset === 'utf8')
  )
}

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
  // is read as text. Over the limit: 413, answered by the telemetry module. A signed batch is read
  // as text too: the ingest parses it, and a request waiting for the WAL then holds one string, not
  // thousands of sample objects that the garbage collector would copy at every young collection.
  app.useBodyParser('json', {
    limit: MAX_BODY_BYTES,
    type: (req: IncomingMessage) => mediaType(req) === 'application/json' && !isBatch(req),
  })
  app.useBodyParser('text', {
    limit: MAX_BODY_BYTES,
    type: (req: IncomingMessage) => TEXT_TYPES.includes(mediaType(req)) || isBatch(req),
  })
  return app
}
