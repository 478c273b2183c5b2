/**
 * The telemetry write-ahead log, under PLUMB_DATA_DIR/telemetry-wal. A request is acknowledged once
 * its batch is in a group file here (written to a temporary name, fsynced, renamed, directory
 * fsynced); the flusher then inserts groups into ClickHouse and deletes them.
 *
 * A group file is a header line, then one line per record: `B <signature> <canonical JSON>` for a
 * signed batch (the very text whose signature was verified, so nothing is serialised twice; rows
 * are rebuilt from it on replay) and `R <row JSON>` for each row of a reported batch.
 *
 * Every ClickHouse insert carries an insert_deduplication_token derived from the (network, node,
 * seq) keys of the batches it holds, so inserting the same set again after a crash stores nothing.
 * An insert of one group uses the group's token. When the flusher merges several groups into one
 * insert, it first writes a manifest naming them: after a crash the same set is inserted again with
 * the same token, never a different grouping of rows that may already be stored.
 */
import { createHash } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { TelemetrySampleRow } from '../store/rows.js'
import { samplesTsv } from '../store/store.js'
import type { SeqClaim } from './nodes.js'
import { signedRows } from './rows.js'
import { replayBatch } from './validate.js'

export interface WalBatch {
  /** Identity in dedup tokens: 'network/node/seq' (signed) or 'network/node/r/<id>' (reported). */
  key: string
  /** The node's key and sequence number, for signed batches. */
  claim: SeqClaim | null
}

/** Samples as the TabSeparated text of their insert (ingest/store/store.ts samplesTsv). */
export interface SampleText {
  tsv: string
  count: number
}

export function sampleText(rows: readonly TelemetrySampleRow[]): SampleText {
  return { tsv: samplesTsv(rows), count: rows.length }
}

/**
 * A durable group; its samples are held as insert text, one flat string, rather than as row
 * objects: the backlog costs the garbage collector next to nothing.
 */
export interface WalGroup {
  name: string
  token: string
  batches: WalBatch[]
  samples: SampleText
  /** Its WAL text length; the ingest adds the length of its samples' text (the backlog bound). */
  bytes: number
}

/** One ClickHouse insert: a group, or several pinned by a manifest. */
export interface WalFlush {
  manifest: string | null
  token: string
  groups: WalGroup[]
}

interface GroupHeader {
  v: 2
  token: string
  batches: WalBatch[]
  rows: number
}

interface Manifest {
  token: string
  groups: string[]
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

export function groupToken(batches: readonly WalBatch[]): string {
  return `tlm-${sha256(
    batches
      .map((b) => b.key)
      .sort()
      .join('\n'),
  ).slice(0, 40)}`
}

/** The WAL record of a signed batch: its signature and the canonical JSON it signs. */
export function signedRecord(signature: string, canonicalJson: string): string {
  return `B ${signature} ${canonicalJson}\n`
}

/** The WAL records of rows that have no signed form (Prometheus, OTLP). */
export function rowRecords(rows: readonly TelemetrySampleRow[]): string {
  let text = ''
  for (const row of rows) text += `R ${JSON.stringify(row)}\n`
  return text
}

function recordRows(line: string): TelemetrySampleRow[] {
  if (line.startsWith('R ')) return [JSON.parse(line.slice(2)) as TelemetrySampleRow]
  if (!line.startsWith('B ')) throw new Error('unknown WAL record')
  const space = line.indexOf(' ', 2)
  const batch = JSON.parse(line.slice(space + 1)) as Record<string, unknown>
  return signedRows(replayBatch({ ...batch, signature: line.slice(2, space) }))
}

export class WriteAheadLog {
  private counter = 0

  constructor(readonly dir: string) {}

  /** Recovery: every flush left on disk, manifests first; temporary files are dropped. */
  async open(): Promise<{ flushes: WalFlush[]; discarded: string[] }> {
    await mkdir(this.dir, { recursive: true })
    const names = (await readdir(this.dir)).sort()
    const discarded: string[] = []
    for (const name of names.filter((n) => n.endsWith('.tmp'))) {
      await unlink(join(this.dir, name))
    }
    const groups = new Map<string, WalGroup>()
    for (const name of names.filter((n) => n.startsWith('g-') && n.endsWith('.jsonl'))) {
      const group = await this.readGroup(name)
      if (group) groups.set(name, group)
      else {
        // Kept for inspection under another name, out of the way of later recoveries.
        await rename(join(this.dir, name), join(this.dir, `${name}.bad`))
        discarded.push(name)
      }
    }
    const flushes: WalFlush[] = []
    for (const name of names.filter((n) => n.startsWith('m-') && n.endsWith('.json'))) {
      const manifest = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Manifest
      // Groups already deleted were inserted: the same token makes the rest a no-op too.
      const members = manifest.groups.flatMap((g) => {
        const group = groups.get(g)
        groups.delete(g)
        return group ? [group] : []
      })
      flushes.push({ manifest: name, token: manifest.token, groups: members })
    }
    for (const group of groups.values()) flushes.push({ manifest: null, token: group.token, groups: [group] })
    return { flushes, discarded }
  }

  /** Makes a group durable; returns once it is on disk. `text` holds the records of `samples`. */
  async append(batches: WalBatch[], samples: SampleText, text: string): Promise<WalGroup> {
    const token = groupToken(batches)
    const header: GroupHeader = { v: 2, token, batches, rows: samples.count }
    const name = `g-${this.nextId()}.jsonl`
    await this.writeDurably(name, `${JSON.stringify(header)}\n${text}`)
    return { name, token, batches, samples, bytes: text.length }
  }

  /** Fixes the groups of one insert; a manifest is needed only when there are several. */
  async pin(groups: WalGroup[]): Promise<WalFlush> {
    const first = groups[0]
    if (groups.length === 1 && first) return { manifest: null, token: first.token, groups }
    const token = `tlm-m-${sha256(groups.map((g) => g.token).join('\n')).slice(0, 40)}`
    const manifest: Manifest = { token, groups: groups.map((g) => g.name) }
    const name = `m-${this.nextId()}.json`
    await this.writeDurably(name, JSON.stringify(manifest))
    return { manifest: name, token, groups }
  }

  /** After the insert: the groups, then the manifest that names them. */
  async release(flush: WalFlush): Promise<void> {
    for (const group of flush.groups) await unlinkIfPresent(join(this.dir, group.name))
    if (flush.manifest) await unlinkIfPresent(join(this.dir, flush.manifest))
  }

  private nextId(): string {
    this.counter = (this.counter + 1) % 1_000_000_000
    return `${String(Date.now()).padStart(15, '0')}-${String(this.counter).padStart(9, '0')}`
  }

  private async writeDurably(name: string, text: string): Promise<void> {
    const tmp = join(this.dir, `${name}.tmp`)
    const file = await open(tmp, 'w')
    try {
      await file.writeFile(text, 'utf8')
      await file.datasync()
    } finally {
      await file.close()
    }
    await rename(tmp, join(this.dir, name))
    const dir = await open(this.dir, 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  }

  /** Null for a file that does not hold what its header says (it was never acknowledged). */
  private async readGroup(name: string): Promise<WalGroup | null> {
    const text = await readFile(join(this.dir, name), 'utf8')
    const lines = text.split('\n').filter((l) => l !== '')
    try {
      const header = JSON.parse(lines[0] ?? '') as GroupHeader
      const rows = lines.slice(1).flatMap(recordRows)
      if (header.v !== 2 || rows.length !== header.rows) return null
      const samples = sampleText(rows)
      return { name, token: header.token, batches: header.batches, samples, bytes: text.length }
    } catch {
      return null
    }
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
