/**
 * The ingest routes on a plain node:http server, for deployments that run ingest apart from the
 * API (server mode, CLICKHOUSE_URL). Same handlers, same limits, same replies as the NestJS routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import {
  bodyErrorReply,
  handleIngest,
  ingestRouteOf,
  problemReply,
  queryOf,
  sendReply,
  type IngestRoute,
} from './http.js'
import { MAX_BODY_BYTES } from './limits.js'
import { problem } from './problem.js'
import type { TelemetryIngest } from './service.js'

type BodyResult = { ok: true; text: string } | { ok: false; type: string; message: string }

function decoded(req: IncomingMessage): Readable | null {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
  switch (encoding) {
    case 'identity':
      return req
    case 'gzip':
    case 'x-gzip':
      return req.pipe(createGunzip())
    case 'deflate':
      return req.pipe(createInflate())
    case 'br':
      return req.pipe(createBrotliDecompress())
    default:
      return null
  }
}

/** The body as text, at most `limit` bytes after decoding (what body-parser does in the API server). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const tooLarge: BodyResult = { ok: false, type: 'entity.too.large', message: 'request entity too large' }
  if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge
  const stream = decoded(req)
  if (!stream) {
    const message = `unsupported content encoding '${req.headers['content-encoding']}'`
    return { ok: false, type: 'encoding.unsupported', message }
  }
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer
      size += buffer.length
      if (size > limit) return tooLarge
      chunks.push(buffer)
    }
  } catch (error) {
    return { ok: false, type: 'request.invalid', message: `unreadable body: ${(error as Error).message}` }
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') }
}

async function route(ingest: TelemetryIngest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/'
  const path = url.split('?')[0]
  if (req.method === 'GET' && path === '/ingest/v1/stats') {
    return sendReply(res, { status: 200, headers: {}, body: ingest.stats() })
  }
  if (req.method === 'GET' && path === '/healthz') {
    return sendReply(res, { status: ingest.ready ? 200 : 503, headers: {}, body: { ok: ingest.ready } })
  }
  const ingestRoute: IngestRoute | null = ingestRouteOf(url)
  if (ingestRoute === null || req.method !== 'POST') {
    const status = ingestRoute === null ? 404 : 405
    return sendReply(res, {
      status,
      headers: {},
      body: { error: status === 404 ? 'not_found' : 'method_not_allowed' },
    })
  }
  const body = await readBody(req)
  if (!body.ok) {
    // Stop reading what is left of a refused body; the client gets the reply, then the connection ends.
    res.setHeader('connection', 'close')
    sendReply(res, bodyErrorReply(ingest, ingestRoute, body))
    req.resume()
    return
  }
  const reply = await handleIngest(ingest, ingestRoute, {
    contentType: req.headers['content-type'],
    authorization: req.headers.authorization,
    query: queryOf(url),
    body: body.text,
  })
  sendReply(res, reply)
}

export function createIngestServer(ingest: TelemetryIngest): Server {
  return createServer((req, res) => {
    route(ingest, req, res).catch((error: unknown) => {
      console.error(`plumb telemetry: ${error instanceof Error ? error.message : String(error)}`)
      if (!res.headersSent)
        sendReply(
          res,
          problemReply(problem(503, 'internal', 'the ingest failed; retry', '', { retryAfterS: 5 })),
        )
      else res.destroy()
    })
  })
}
