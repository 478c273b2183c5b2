import type { ServerResponse } from 'node:http'
import { Controller, Get, Inject, Logger, Param, Query, Res } from '@nestjs/common'
import { GraphQLError } from 'graphql'
import type { Db } from '../../ingest/store/db.js'
import { DB } from '../core/tokens.js'
import { parseExportArgs, type QueryString } from './export-args.js'
import { ExportService } from './export.service.js'

/** The parts of express's response used here (express ships no types in this project). */
type Response = ServerResponse & { status(code: number): Response; json(body: unknown): void }

const FORMATS = {
  csv: { clickhouse: 'CSVWithNames', contentType: 'text/csv; charset=utf-8' },
  parquet: { clickhouse: 'Parquet', contentType: 'application/vnd.apache.parquet' },
} as const

@Controller('export')
export class ExportController {
  private readonly logger = new Logger('Export')

  constructor(
    private readonly exports: ExportService,
    @Inject(DB) private readonly db: Db,
  ) {}

  /** Streams ClickHouse's own CSVWithNames or Parquet output of the field's SQL, as a download. */
  @Get(':file')
  async export(
    @Param('file') file: string,
    @Query() query: QueryString,
    @Res() res: Response,
  ): Promise<void> {
    const match = /^([A-Za-z]+)\.(csv|parquet)$/.exec(file)
    const name = match?.[1]
    const ext = match?.[2] as keyof typeof FORMATS | undefined
    if (!name || !ext) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'use /export/<field>.csv or .parquet' } })
      return
    }
    try {
      const bound = await this.exports.build(name, parseExportArgs(query))
      const format = FORMATS[ext]
      // The format name comes from the fixed table above, never from the request.
      const result = await this.db.reader.exec({
        query: `${this.exports.text(bound)}\nFORMAT ${format.clickhouse}`,
        query_params: bound.params,
      })
      res.status(200)
      res.setHeader('content-type', format.contentType)
      res.setHeader('content-disposition', `attachment; filename="${name}.${ext}"`)
      result.stream.on('error', (error: Error) => {
        this.logger.error(`${file}: ${error.message}`)
        res.destroy(error)
      })
      result.stream.pipe(res)
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') {
        res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: error.message } })
        return
      }
      this.logger.error(`${file}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } })
    }
  }
}
