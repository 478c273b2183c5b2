import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_DIR } from '../../ingest/store/paths.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { count, ed25519Key, evmKey, rows } from './support.js'

const FAKE_BIN = fileURLToPath(new URL('./fake-bin', import.meta.url))
const RTX_3090_XML = fileURLToPath(
  new URL('../../../shared/fixtures/gpu/nvidia-smi-xml/telegraf_rtx-3090-v12.xml', import.meta.url),
)

let t: TestApp
let ingest: TelemetryIngest

beforeAll(async () => {
  t = await startTestApp()
  ingest = t.app.get(TelemetryIngest)
})
afterAll(() => t?.close())

interface Running {
  child: ChildProcess
  stderr: () => string
  exited: Promise<number | null>
}

function startAgent(args: string[], env: Record<string, string>): Running {
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'ingest/agent/cli.ts', ...args],
    { cwd: ROOT_DIR, env: { ...process.env, ...env, PATH: `${FAKE_BIN}:${process.env.PATH ?? ''}` } },
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stderr: () => stderr, exited }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * The endpoint as the agent sees it: nothing listens until start(); then requests are forwarded to
 * the server, and the first `dropAcks` answers are lost (the server stored the batch, the agent
 * never hears so).
 */
class FlakyEndpoint {
  private server: Server | null = null
  forwarded = 0
  dropped = 0

  constructor(
    private readonly target: string,
    private dropAcks: number,
  ) {}

  async start(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        void (async () => {
          const upstream = await fetch(`${this.target}${req.url ?? ''}`, {
            method: req.method,
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
            body: Buffer.concat(chunks),
          })
          const body = Buffer.from(await upstream.arrayBuffer())
          this.forwarded++
          if (upstream.status === 200 && this.dropAcks > 0) {
            this.dropAcks--
            this.dropped++
            req.socket.destroy()
            return
          }
          res.writeHead(upstream.status, { 'content-type': 'application/json' })
          res.end(body)
        })()
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** 'YYYY/MM/DD hh:mm:ss.mmm' (UTC, as the fake prints it) to milliseconds. */
function smiMs(text: string): number {
  return Date.parse(`${text.trim().replace(/\//g, '-').replace(' ', 'T')}Z`)
}

describe('plumb agent', () => {
  it('delivers every sample exactly once across an outage and a lost acknowledgement', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-agent-'))
    const key = ed25519Key()
    writeFileSync(join(dir, 'id.json'), key.keyFile, { mode: 0o600 })
    const log = join(dir, 'smi.log')
    const port = await freePort()
    const endpoint = new FlakyEndpoint(t.url, 1)
    const ticks = 14
    const agent = startAgent(
      [
        '--endpoint',
        `http://127.0.0.1:${port}`,
        '--key',
        join(dir, 'id.json'),
        '--network',
        'nosana',
        '--node',
        'agent-node-1',
        '--interval',
        '0.3',
        '--count',
        String(ticks),
        '--spool',
        join(dir, 'spool'),
        '--drain-timeout',
        '90',
      ],
      { FAKE_SMI_LOG: log },
    )
    try {
      // The endpoint is down while the agent takes its first readings…
      await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').split('\n').length > 6, 30_000)
      expect(
        await count(t.db.reader, `SELECT count() AS n FROM telemetry_samples WHERE node_id = 'agent-node-1'`),
      ).toBe(0)
      // …then comes up, losing the first acknowledgement it sends.
      await endpoint.start(port)
      expect(await agent.exited).toBe(0)
    } finally {
      agent.child.kill()
      await endpoint.stop()
    }
    expect(agent.stderr()).toMatch(/ECONNREFUSED/)
    expect(endpoint.dropped).toBe(1)

    const printed = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ts, util] = line.split(',')
        return { ms: smiMs(ts ?? ''), util: Number(util) }
      })
    expect(printed).toHaveLength(ticks)
    const expected = printed
      .flatMap(({ ms, util }) => [
        {
          gpu_uuid: 'GPU-a9e3c1d0-0000-4000-8000-000000000001',
          ms: String(ms),
          utilization_pct: util,
          power_w: 612.5,
        },
        {
          gpu_uuid: 'GPU-a9e3c1d0-0000-4000-8000-000000000002',
          ms: String(ms),
          utilization_pct: util,
          power_w: 95.25,
        },
      ])
      .sort((a, b) => `${a.gpu_uuid}${a.ms}`.localeCompare(`${b.gpu_uuid}${b.ms}`))
    await ingest.drain()
    const stored = await rows<Record<string, unknown>>(
      t.db.reader,
      `SELECT gpu_uuid, toUnixTimestamp64Milli(time) AS ms, utilization_pct, power_w
       FROM telemetry_samples WHERE node_id = 'agent-node-1' AND provenance = 'signed'
       ORDER BY gpu_uuid, time`,
    )
    expect(stored).toEqual(expected)
    // The batch whose acknowledgement was lost came again and was recognised as stored.
    await expect
      .poll(() =>
        count(
          t.db.reader,
          `SELECT count() AS n FROM ingest_rejections WHERE node_id = 'agent-node-1' AND reason = 'duplicate'`,
        ),
      )
      .toBe(1)
    expect(existsSync(join(dir, 'spool', 'pending'))).toBe(true)
    expect(readFileSync(join(dir, 'spool', 'state.json'), 'utf8')).toMatch(/lastSeq/)
  }, 120_000)

  it('falls back to nvidia-smi -q -x and signs with an EVM key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-agent-'))
    const key = evmKey()
    writeFileSync(join(dir, 'evm.key'), key.keyFile, { mode: 0o600 })
    const log = join(dir, 'smi.log')
    const agent = startAgent(
      [
        '--endpoint',
        t.url,
        '--key',
        join(dir, 'evm.key'),
        '--network',
        'ionet',
        '--node',
        'agent-node-2',
        '--interval',
        '1.1',
        '--count',
        '3',
        '--spool',
        join(dir, 'spool'),
      ],
      { FAKE_SMI_LOG: log, FAKE_SMI_NO_CSV: '1', FAKE_SMI_XML: RTX_3090_XML },
    )
    expect(await agent.exited).toBe(0)
    expect(agent.stderr()).toMatch(/using nvidia-smi -q -x/)
    const seconds = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))]
    await ingest.drain()
    const stored = await rows<Record<string, unknown>>(
      t.db.reader,
      `SELECT gpu_uuid, gpu_model, utilization_pct, memory_used_mib, vram_mib, power_w, temperature_c, provenance,
              toUnixTimestamp64Milli(time) AS ms
       FROM telemetry_samples WHERE node_id = 'agent-node-2' ORDER BY time`,
    )
    expect(stored).toEqual(
      seconds.map((s) => ({
        gpu_uuid: 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab',
        gpu_model: 'rtx-3090',
        utilization_pct: 0,
        memory_used_mib: 1,
        vram_mib: 24576,
        power_w: 27.23,
        temperature_c: 37,
        provenance: 'signed',
        ms: String(Date.parse(`${s} UTC`)),
      })),
    )
    const [node] = await rows<{ public_key: string }>(
      t.db.reader,
      `SELECT public_key FROM telemetry_nodes FINAL WHERE node_id = 'agent-node-2'`,
    )
    expect(node?.public_key).toBe(key.publicKey.toLowerCase())
  }, 60_000)

  it('reads a file instead of nvidia-smi, and sets aside a batch the server refuses for good', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-agent-'))
    const key = ed25519Key()
    writeFileSync(join(dir, 'id.json'), key.keyFile, { mode: 0o600 })
    // A real capture from July 2026: older than the server's 168 h window.
    const source = fileURLToPath(
      new URL('../../../shared/fixtures/gpu/nvidia-smi/h100-sxm-80gb_load_query-gpu.csv', import.meta.url),
    )
    const agent = startAgent(
      [
        ...[
          '--endpoint',
          t.url,
          '--key',
          join(dir, 'id.json'),
          '--network',
          'nosana',
          '--node',
          'agent-node-3',
        ],
        ...['--source', source, '--interval', '0.2', '--count', '2', '--spool', join(dir, 'spool')],
      ],
      {},
    )
    expect(await agent.exited).toBe(0)
    // The same file read twice holds no new reading the second time: one batch only.
    const rejected = readdirSync(join(dir, 'spool', 'rejected'))
    expect(rejected.filter((n) => n.endsWith('.json'))).toHaveLength(1)
    const reason = readFileSync(
      join(dir, 'spool', 'rejected', `${rejected.find((n) => n.endsWith('.json'))}.reason`),
      'utf8',
    )
    expect(reason).toMatch(/^400 time_too_old/)
    expect(readdirSync(join(dir, 'spool', 'pending'))).toEqual([])
    expect(
      await count(t.db.reader, `SELECT count() AS n FROM telemetry_samples WHERE node_id = 'agent-node-3'`),
    ).toBe(0)
  }, 60_000)
})
