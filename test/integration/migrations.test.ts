import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, MigrationError, readMigrations, splitStatements } from '../../ingest/store/migrate.js'
import { openTempDb, type TempDb } from '../support/temp-db.js'

let temp: TempDb

beforeAll(async () => {
  temp = await openTempDb()
})
afterAll(() => temp.dispose())

describe('migrations on embedded ClickHouse', () => {
  it('were all applied on the empty database, and applying again is a no-op', async () => {
    const files = (await readMigrations()).map((f) => f.name)
    expect(files.length).toBeGreaterThanOrEqual(5)
    const again = await migrate(temp.db.writer)
    expect(again.applied).toEqual([])
    expect(again.skipped).toEqual(files)
    const recorded = await temp.db.writer.query({
      query: 'SELECT name FROM plumb_migrations ORDER BY name',
      format: 'JSONEachRow',
    })
    expect((await recorded.json<{ name: string }>()).map((r) => r.name)).toEqual(files)
  })

  it('created a table for every canonical row, with the engines chosen for them', async () => {
    const result = await temp.db.writer.query({
      query: `SELECT name, engine, sorting_key FROM system.tables WHERE database = currentDatabase()`,
      format: 'JSONEachRow',
    })
    const tables = new Map(
      (await result.json<{ name: string; engine: string; sorting_key: string }>()).map((t) => [t.name, t]),
    )
    expect(tables.get('token_flows')?.engine).toBe('ReplacingMergeTree')
    expect(tables.get('token_flows')?.sorting_key).toBe('network, block_time, chain, tx_id, event_index')
    expect(tables.get('job_events')?.engine).toBe('ReplacingMergeTree')
    expect(tables.get('jobs')?.engine).toBe('View')
    expect(tables.get('telemetry_samples')?.engine).toBe('MergeTree')
    expect(tables.get('telemetry_hourly')?.engine).toBe('AggregatingMergeTree')
    expect(tables.get('telemetry_hourly_mv')?.engine).toBe('MaterializedView')
    for (const name of ['listings', 'prices', 'checkpoints', 'ingest_rejections'])
      expect(tables.has(name)).toBe(true)
  })

  it('feeds the hourly telemetry rollup from inserted samples', async () => {
    const base = { network: 'n', node_id: 'a', gpu_uuid: 'g', interval_s: 60, gpu_model: 'rtx-4090' }
    await temp.db.writer.insert({
      table: 'telemetry_samples',
      format: 'JSONEachRow',
      values: [
        { ...base, time: '2026-01-01 10:00:00', utilization_pct: 50, job_id: 'j1', provenance: 'signed' },
        { ...base, time: '2026-01-01 10:01:00', utilization_pct: null, job_id: '', provenance: 'signed' },
        { ...base, time: '2026-01-01 11:00:00', utilization_pct: 90, job_id: 'j1', provenance: 'signed' },
      ],
    })
    const result = await temp.db.writer.query({
      query: `SELECT hour, sum(online_s) AS online, sum(busy_s) AS busy, sum(util_n) AS util_n
              FROM telemetry_hourly WHERE network = 'n' GROUP BY hour ORDER BY hour`,
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([
      { hour: '2026-01-01 10:00:00', online: '120', busy: '60', util_n: '1' },
      { hour: '2026-01-01 11:00:00', online: '60', busy: '60', util_n: '1' },
    ])
  })

  it('stops at a failing migration, naming the file and ClickHouse’s error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-bad-migrations-'))
    writeFileSync(
      join(dir, '0001_ok.sql'),
      'CREATE TABLE IF NOT EXISTS ok_t (a UInt8) ENGINE = MergeTree ORDER BY a;\n',
    )
    writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE broken_t (a UInt8) ENGINE = NoSuchEngine;\n')
    const failure = migrate(temp.db.writer, dir)
    await expect(failure).rejects.toBeInstanceOf(MigrationError)
    await expect(failure).rejects.toThrow(/0002_broken\.sql.*NoSuchEngine/s)
  })

  it('splits statements at line-ending semicolons only', () => {
    expect(splitStatements("SELECT ';' AS a;\n-- only a comment\n;\nSELECT 2;")).toEqual([
      "SELECT ';' AS a",
      'SELECT 2',
    ])
  })
})
