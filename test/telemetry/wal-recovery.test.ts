import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TelemetrySampleRow } from '../../ingest/store/rows.js'
import { Store } from '../../ingest/store/store.js'
import type { SeqClaim } from '../../ingest/telemetry/nodes.js'
import { TelemetryIngest } from '../../ingest/telemetry/service.js'
import { canonicalJson } from '../../ingest/telemetry/batch.js'
import {
  rowRecords,
  sampleText,
  signedRecord,
  WriteAheadLog,
  type WalBatch,
} from '../../ingest/telemetry/wal.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'
import { count, ed25519Key, h100Batch, rows } from './support.js'

let temp: TempDb
beforeAll(async () => {
  temp = await openTempDb()
})
afterAll(() => temp?.dispose())

function row(seq: number, second: number): TelemetrySampleRow {
  return {
    network: 'nosana',
    node_id: 'wal-node',
    gpu_uuid: 'GPU-wal',
    time: `2026-11-20 10:00:${String(second).padStart(2, '0')}.000`,
    interval_s: 10,
    gpu_model: 'h100-sxm-80gb',
    gpu_name: 'NVIDIA H100 80GB HBM3',
    vram_mib: 81559,
    utilization_pct: 50,
    memory_used_mib: 1000,
    power_w: 300,
    temperature_c: 50,
    job_id: '',
    provenance: 'signed',
    batch_id: String(seq),
  }
}

function batch(seq: number): WalBatch {
  const claim: SeqClaim = {
    network: 'nosana',
    nodeId: 'wal-node',
    keyType: 'ed25519',
    publicKey: '11111111111111111111111111111111',
    seq,
    digest: `digest-${seq}`,
  }
  return { key: `nosana/wal-node/${seq}`, claim }
}

describe('write-ahead log recovery at start-up', () => {
  it('stores what a crash left in the WAL exactly once, merged inserts included', async () => {
    const wal = new WriteAheadLog(join(temp.config.dataDir, 'telemetry-wal'))
    await wal.open()
    // Group 1 holds a signed batch (its canonical JSON and signature), groups 2 and 3 reported rows.
    const key = ed25519Key()
    const signedBatch = h100Batch(
      key,
      1,
      [new Date('2026-11-20T10:00:02Z'), new Date('2026-11-20T10:00:03Z')],
      undefined,
      'wal-node',
    )
    const groups = [
      await wal.append(
        [batch(1)],
        sampleText([row(1, 2), row(1, 3)]),
        signedRecord('x'.repeat(88), canonicalJson(signedBatch)),
      ),
    ]
    for (const seq of [2, 3]) {
      const r = [row(seq, seq * 2), row(seq, seq * 2 + 1)]
      groups.push(await wal.append([batch(seq)], sampleText(r), rowRecords(r)))
    }
    // The flusher merged groups 2 and 3 into one insert, which reached ClickHouse before the crash.
    const merged = await wal.pin(groups.slice(1))
    await new Store(temp.db.writer).insertSamplesTsv(
      merged.groups.map((g) => g.samples.tsv).join(''),
      merged.token,
    )
    // A group being written when the process died, and one damaged on disk.
    writeFileSync(join(wal.dir, 'g-999.jsonl.tmp'), '{"v":1,')
    writeFileSync(
      join(wal.dir, 'g-000000000000001-000000001.jsonl'),
      '{"v":1,"token":"t","batches":[],"rows":5}\n{}\n',
    )

    const ingest = new TelemetryIngest({
      store: new Store(temp.db.writer),
      client: temp.db.writer,
      dataDir: temp.config.dataDir,
      networks: ['nosana'],
      tokens: '',
      nodeRate: 1,
      nodeBurst: 1,
      maxBacklogBytes: 1_000_000,
      maxAgeMs: 86_400_000,
      log: () => undefined,
    })
    await ingest.start()
    try {
      const stored = await rows<{ batch_id: string; n: string }>(
        temp.db.reader,
        `SELECT batch_id, count() AS n FROM telemetry_samples WHERE node_id = 'wal-node' GROUP BY batch_id ORDER BY batch_id`,
      )
      expect(stored).toEqual([
        { batch_id: '1', n: '2' },
        { batch_id: '2', n: '2' },
        { batch_id: '3', n: '2' },
      ])
      // The hourly rollup saw each sample once too.
      expect(
        await count(
          temp.db.reader,
          `SELECT sum(samples) AS n FROM telemetry_hourly WHERE node_id = 'wal-node'`,
        ),
      ).toBe(6)
      expect(
        await count(
          temp.db.reader,
          `SELECT max(last_seq) AS n FROM telemetry_nodes WHERE node_id = 'wal-node'`,
        ),
      ).toBe(3)
      expect(ingest.stats().nodes).toBe(1)
      expect(readdirSync(wal.dir).sort()).toEqual(['g-000000000000001-000000001.jsonl.bad'])
    } finally {
      await ingest.stop()
    }
  })
})
