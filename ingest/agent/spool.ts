/**
 * The agent's disk spool: every signed batch is written here before it is sent, and deleted once
 * the endpoint has stored it, so nothing is lost while the endpoint is unreachable or the agent
 * restarts. Files are named by sequence number and sent in that order. Batches the endpoint
 * refuses for good (400, 401, 413, a sequence number it will never accept) move to rejected/.
 */
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface AgentState {
  lastSeq: number
  /** Per GPU UUID, the time (ms) of the last reading spooled: a re-read file is not sent twice. */
  lastTimes: Record<string, number>
}

const SEQ_WIDTH = 16

export class Spool {
  private readonly pendingDir: string
  private readonly rejectedDir: string
  private readonly statePath: string

  constructor(readonly dir: string) {
    this.pendingDir = join(dir, 'pending')
    this.rejectedDir = join(dir, 'rejected')
    this.statePath = join(dir, 'state.json')
  }

  async open(): Promise<AgentState> {
    await mkdir(this.pendingDir, { recursive: true })
    await mkdir(this.rejectedDir, { recursive: true })
    let state: AgentState = { lastSeq: 0, lastTimes: {} }
    try {
      state = JSON.parse(await readFile(this.statePath, 'utf8')) as AgentState
    } catch {
      // First start, or a state file lost: sequence numbers start from the clock anyway.
    }
    const pending = await this.list()
    const highest = pending.at(-1)
    if (highest !== undefined) state.lastSeq = Math.max(state.lastSeq, highest)
    return state
  }

  /** Sequence numbers waiting to be sent, oldest first. */
  async list(): Promise<number[]> {
    const names = await readdir(this.pendingDir)
    return names
      .filter((n) => /^\d+\.json$/.test(n))
      .map((n) => Number(n.slice(0, -5)))
      .sort((a, b) => a - b)
  }

  async read(seq: number): Promise<string> {
    return readFile(this.path(seq), 'utf8')
  }

  /** Durable before it returns: the batch survives a crash of the agent or the host. */
  async write(seq: number, body: string, state: AgentState): Promise<void> {
    await writeDurably(this.path(seq), body)
    await writeDurably(this.statePath, JSON.stringify(state))
  }

  async remove(seq: number): Promise<void> {
    await unlink(this.path(seq))
  }

  async reject(seq: number, reason: string): Promise<void> {
    const name = `${String(seq).padStart(SEQ_WIDTH, '0')}.json`
    await rename(this.path(seq), join(this.rejectedDir, name))
    await writeFile(join(this.rejectedDir, `${name}.reason`), `${reason}\n`)
  }

  private path(seq: number): string {
    return join(this.pendingDir, `${String(seq).padStart(SEQ_WIDTH, '0')}.json`)
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`
  const file = await open(tmp, 'w')
  try {
    await file.writeFile(text, 'utf8')
    await file.datasync()
  } finally {
    await file.close()
  }
  await rename(tmp, path)
}
