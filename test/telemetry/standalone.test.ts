import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../ingest/networks/index.js'
import { telemetryIngestFromConfig } from '../../ingest/telemetry/factory.js'
import type { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { createIngestServer } from '../../ingest/telemetry/standalone.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'
import { count, ed25519Key, fixture, h100Batch, post, secondsAgo, signed } from './support.js'

const TOKEN = 'standalone-token-0123456789'
let temp: TempDb
let ingest: TelemetryIngest
let server: Server
let url: string

beforeAll(async () => {
  temp = await openTempDb({ PLUMB_INGEST_TOKENS: `${TOKEN}=aethir:edge-1` })
  ingest = telemetryIngestFromConfig(
    temp.db,
    temp.config,
    loadCatalog().map((n) => n.id),
    () => undefined,
  )
  server = createIngestServer(ingest)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await ingest.start()
})
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  await ingest?.stop()
  await temp?.dispose()
})

describe('the standalone ingest process (node:http, no NestJS)', () => {
  it('takes a gzip-encoded signed batch and a Prometheus scrape', async () => {
    const key = ed25519Key()
    const body = gzipSync(
      JSON.stringify(await signed(h100Batch(key, 7, [secondsAgo(20), secondsAgo(10)]), key)),
    )
    const reply = await post(`${url}/ingest/v1/telemetry`, body, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    })
    expect(reply).toMatchObject({ status: 200, body: { accepted: 2, seq: 7 } })
    const prom = await post(
      `${url}/ingest/v1/prometheus`,
      fixture('gpu/dcgm-exporter/l4_aws-kops_full-scrape.prom'),
      {
        'content-type': 'text/plain',
        authorization: `Bearer ${TOKEN}`,
      },
    )
    expect(prom).toMatchObject({ status: 200, body: { accepted: 1 } })
    await ingest.drain()
    expect(
      await count(
        temp.db.reader,
        `SELECT count() AS n FROM telemetry_samples WHERE node_id = {n:String} AND provenance = 'signed'`,
        {
          n: key.publicKey,
        },
      ),
    ).toBe(2)
    expect(
      await count(
        temp.db.reader,
        `SELECT count() AS n FROM telemetry_samples WHERE network = 'aethir' AND node_id = 'edge-1' AND provenance = 'reported'`,
      ),
    ).toBe(1)
  })

  it('answers an oversized body with 413 and malformed JSON with 400, in the same format', async () => {
    const big = await post(`${url}/ingest/v1/telemetry`, 'x'.repeat(8 * 1024 * 1024 + 1))
    expect(big).toMatchObject({ status: 413, body: { error: 'too_large', path: '' } })
    // A small gzip body that inflates past the limit is refused as well.
    const bomb = gzipSync(Buffer.alloc(9 * 1024 * 1024, 0x20))
    const inflated = await post(`${url}/ingest/v1/telemetry`, bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    })
    expect(inflated).toMatchObject({ status: 413, body: { error: 'too_large' } })
    expect(await post(`${url}/ingest/v1/telemetry`, '{')).toMatchObject({
      status: 400,
      body: { error: 'malformed_json' },
    })
    await ingest.rejections.flush()
    expect(
      await count(temp.db.reader, `SELECT count() AS n FROM ingest_rejections WHERE reason = 'too_large'`),
    ).toBe(2)
  })

  it('serves health and stats, and 404 elsewhere', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    const stats = (await (await fetch(`${url}/ingest/v1/stats`)).json()) as {
      ready: boolean
      storedSamples: number
    }
    expect(stats).toMatchObject({ ready: true, storedSamples: 3 })
    expect((await fetch(`${url}/graphql`)).status).toBe(404)
  })
})
