import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../ingest/config.js'
import { openDb } from '../../ingest/store/db.js'
import { ROOT_DIR } from '../../ingest/store/paths.js'
import { ed25519Key, h100Batch, post, rows, signed, type TestKey } from './support.js'

interface Child {
  process: ChildProcess
  url: string
  exited: Promise<number | null>
}

const children: ChildProcess[] = []
afterAll(() => children.forEach((c) => c.kill('SIGKILL')))

async function startServer(dataDir: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/telemetry/server-child.ts'],
    { cwd: ROOT_DIR, env: { ...process.env, PLUMB_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const line = /^(\{.*\})$/m.exec(out)?.[1]
      if (line) resolve((JSON.parse(line) as { port: number }).port)
    })
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)))
  })
  const url = `http://127.0.0.1:${port}`
  // Ready once the WAL is replayed.
  for (;;) {
    const stats = (await (await fetch(`${url}/ingest/v1/stats`)).json()) as { ready: boolean }
    if (stats.ready) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { process: child, url, exited }
}

const SAMPLES = 50
const NODES = 4

interface Sent {
  node: string
  seq: number
  body: string
  outcome: 'acked' | 'unknown'
}

function batchBody(key: TestKey, seq: number): Promise<string> {
  // 50 samples per batch, 1 s apart, batches one after the other in time.
  const start = Date.now() - 3 * 3600_000 + seq * SAMPLES * 1000
  const times = Array.from({ length: SAMPLES }, (_, i) => new Date(start + i * 1000))
  return signed(h100Batch(key, seq, times), key).then((b) => JSON.stringify(b))
}

describe('SIGKILL while batches stream in', () => {
  it('keeps every acknowledged sample: after restart each acknowledged batch is stored, exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plumb-crash-'))
    const first = await startServer(dataDir)
    const keys = Array.from({ length: NODES }, () => ed25519Key())
    const sent: Sent[] = []
    let killed = false

    // One sequential stream per node, as agents send; killed once 40 batches are acknowledged.
    const streams = keys.map(async (key) => {
      for (let seq = 1; !killed; seq++) {
        const body = await batchBody(key, seq)
        const entry: Sent = { node: key.publicKey, seq, body, outcome: 'unknown' }
        sent.push(entry)
        try {
          const reply = await post(`${first.url}/ingest/v1/telemetry`, body)
          if (reply.status === 200) entry.outcome = 'acked'
          else throw new Error(`unexpected ${reply.status}`)
        } catch {
          return
        }
        if (!killed && sent.filter((s) => s.outcome === 'acked').length >= 40) {
          killed = true
          first.process.kill('SIGKILL')
        }
      }
    })
    await Promise.all(streams)
    expect(await first.exited).toBe(null)
    const walFiles = readdirSync(join(dataDir, 'telemetry-wal')).filter((n) => n.endsWith('.jsonl')).length
    const acked = sent.filter((s) => s.outcome === 'acked')
    const unknown = sent.filter((s) => s.outcome === 'unknown')
    expect(acked.length).toBeGreaterThanOrEqual(40)

    // Restart on the same data directory: the WAL is replayed before the routes open.
    const second = await startServer(dataDir)
    // Batches whose answer never came are sent again: stored once either way.
    for (const s of unknown) {
      const reply = await post(`${second.url}/ingest/v1/telemetry`, s.body)
      expect([200, 409]).toContain(reply.status)
      if (reply.status === 409) expect(reply.body.error).toBe('duplicate')
    }
    second.process.kill('SIGTERM')
    expect(await second.exited).toBe(0)

    const db = openDb(loadConfig({ PLUMB_DATA_DIR: dataDir }))
    try {
      const perBatch = await rows<{ node_id: string; batch_id: string; n: string; distinct_times: string }>(
        db.writer,
        `SELECT node_id, batch_id, count() AS n, uniqExact(time) AS distinct_times
         FROM telemetry_samples GROUP BY node_id, batch_id`,
      )
      const stored = new Map(perBatch.map((r) => [`${r.node_id}/${r.batch_id}`, r]))
      for (const s of [...acked, ...unknown]) {
        expect(stored.get(`${s.node}/${s.seq}`), `batch ${s.node}/${s.seq} (${s.outcome})`).toMatchObject({
          n: String(SAMPLES),
          distinct_times: String(SAMPLES),
        })
      }
      expect(perBatch).toHaveLength(acked.length + unknown.length)
      console.log(
        `crash test: ${acked.length} batches acknowledged, ${unknown.length} unanswered, ${walFiles} WAL group(s) replayed`,
      )
    } finally {
      await db.close()
    }
  }, 120_000)
})
