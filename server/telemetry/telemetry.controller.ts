import type { IncomingMessage, ServerResponse } from 'node:http'
import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common'
import { handleIngest, queryOf, sendReply, type IngestRoute } from '../../ingest/telemetry/http.js'
import { TelemetryIngest, type IngestStats } from '../../ingest/telemetry/service.js'

type ParsedRequest = IncomingMessage & { body?: unknown }

/**
 * The telemetry ingest routes. Bodies come parsed by the app's body parsers (JSON, and text for
 * Prometheus; limits in app.ts); the handlers answer with their own status and body.
 */
@Controller()
export class TelemetryController {
  constructor(@Inject(TelemetryIngest) private readonly ingest: TelemetryIngest) {}

  @Post('ingest/v1/telemetry')
  async signed(@Req() req: ParsedRequest, @Res() res: ServerResponse): Promise<void> {
    await this.handle('telemetry', req, res)
  }

  @Post('ingest/v1/prometheus')
  async prometheus(@Req() req: ParsedRequest, @Res() res: ServerResponse): Promise<void> {
    await this.handle('prometheus', req, res)
  }

  @Post('v1/metrics')
  async otlp(@Req() req: ParsedRequest, @Res() res: ServerResponse): Promise<void> {
    await this.handle('otlp', req, res)
  }

  /** Counters: accepted and rejected per endpoint and reason, backlog, WAL; no keys or tokens. */
  @Get('ingest/v1/stats')
  stats(): IngestStats {
    return this.ingest.stats()
  }

  private async handle(route: IngestRoute, req: ParsedRequest, res: ServerResponse): Promise<void> {
    const reply = await handleIngest(this.ingest, route, {
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      query: queryOf(req.url),
      body: req.body,
    })
    sendReply(res, reply)
  }
}
