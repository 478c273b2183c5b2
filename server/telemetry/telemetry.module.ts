import type { IncomingMessage, ServerResponse } from 'node:http'
import { Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common'
import { HttpAdapterHost } from '@nestjs/core'
import type { PlumbConfig } from '../../ingest/config.js'
import type { Network } from '../../ingest/networks/index.js'
import type { Db } from '../../ingest/store/db.js'
import { telemetryIngestFromConfig } from '../../ingest/telemetry/factory.js'
import { bodyErrorReply, ingestRouteOf, sendReply } from '../../ingest/telemetry/http.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { CATALOG, CONFIG, DB } from '../core/tokens.js'
import { TelemetryController } from './telemetry.controller.js'

/** How long start-up waits for the WAL replay before serving (the routes answer 503 until it ends). */
const START_WAIT_MS = 5_000

type ErrorMiddleware = (
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next: (e?: unknown) => void,
) => void

@Module({
  controllers: [TelemetryController],
  providers: [
    {
      provide: TelemetryIngest,
      inject: [DB, CONFIG, CATALOG],
      useFactory: (db: Db, config: PlumbConfig, catalog: Network[]): TelemetryIngest => {
        const logger = new Logger('Telemetry')
        return telemetryIngestFromConfig(
          db,
          config,
          catalog.map((n) => n.id),
          (level, text) => logger[level](text),
        )
      },
    },
  ],
})
export class TelemetryModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Telemetry')

  constructor(
    @Inject(TelemetryIngest) private readonly ingest: TelemetryIngest,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onModuleInit(): Promise<void> {
    // Runs after the routes are registered and before NestJS's own error handler: body parser
    // failures on the ingest routes (413, malformed JSON) get the ingest's body and are counted.
    this.adapterHost.httpAdapter.use(this.bodyErrors())
    await Promise.race([
      this.ingest.start(),
      new Promise((resolve) => setTimeout(resolve, START_WAIT_MS).unref()),
    ])
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ingest.stop()
  }

  private bodyErrors(): ErrorMiddleware {
    return (error, req, res, next) => {
      const route = ingestRouteOf(req.url)
      if (route === null || typeof error !== 'object' || error === null) return next(error)
      sendReply(res, bodyErrorReply(this.ingest, route, error))
    }
  }
}
