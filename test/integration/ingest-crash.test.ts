import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrng } from '../../devnet/faults/prng.js'
import { worldConfig } from '../../devnet/world/config.js'
import { worldIngestPlan } from '../../devnet/world/ingest.js'
import { startWorldChains, type WorldChains } from '../../devnet/world/run.js'
import { groundTruth, type GroundTruth } from '../../devnet/world/truth.js'
import { loadConfig } from '../../ingest/config.js'
import { loadCatalog } from '../../ingest/networks/index.js'
import { openDb } from '../../ingest/store/db.js'
import { ROOT_DIR } from '../../ingest/store/paths.js'
import { storedFlowDays, truthFlowDays } from '../support/flows-vs-truth.js'

const KILLS = 10
let chains: WorldChains
let truth: GroundTruth
let dir: string
const outcomes: string[] = []

/** Runs `npm run ingest -- --plan` as its own process; kills it with SIGKILL after `killAfterMs` if given. */
function ingestProcess(planPath: string, dataDir: string, killAfterMs: number | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'ingest/cli.ts', '--plan', planPath],
      {
        cwd: ROOT_DIR,
        env: { ...process.env, PLUMB_DATA_DIR: dataDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      if (signal === 'SIGKILL') resolve('killed')
      else if (code === 0) resolve('completed')
      else reject(new Error(`ingest exited with ${code}: ${stderr.slice(-2000)}`))
    })
  })
}

beforeAll(async () => {
  chains = await startWorldChains(worldConfig({ seed: 42, days: 12 }))
  truth = groundTruth(chains.world, chains.prices)
  dir = mkdtempSync(join(tmpdir(), 'plumb-crash-'))
  const planPath = join(dir, 'plan.json')
  writeFileSync(planPath, JSON.stringify(worldIngestPlan(chains, loadCatalog())))
  // Kill moments are drawn within the time one uninterrupted run takes on this machine (measured
  // into a scratch directory), so the kills land mid-way however fast or slow the machine is.
  const measuring = Date.now()
  await ingestProcess(planPath, join(dir, 'scratch'), null)
  const fullRunMs = Date.now() - measuring
  const random = createPrng(7)
  for (let i = 0; i < KILLS; i++) {
    outcomes.push(await ingestProcess(planPath, join(dir, 'data'), fullRunMs * (0.25 + 0.6 * random())))
  }
  outcomes.push(await ingestProcess(planPath, join(dir, 'data'), null))
}, 600_000)
afterAll(async () => {
  await chains?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the ingest process killed with SIGKILL at 10 moments and restarted each time', () => {
  it('ends with token flows equal to the ground truth: nothing lost, nothing twice', async () => {
    expect(outcomes.at(-1)).toBe('completed')
    const db = openDb(loadConfig({ PLUMB_DATA_DIR: join(dir, 'data') }))
    try {
      expect(await storedFlowDays(db.writer)).toEqual(truthFlowDays(truth))
      const raw = await db.writer.query({
        query: `SELECT count() AS n, uniqExact(chain, tx_id, event_index) AS keys FROM token_flows FINAL`,
        format: 'JSONEachRow',
      })
      const [counts] = await raw.json<{ n: string; keys: string }>()
      expect(counts?.n).toBe(counts?.keys)
    } finally {
      await db.close()
    }
  })

  it('was really killed before finishing, several times', () => {
    expect(outcomes.slice(0, KILLS).filter((o) => o === 'killed').length).toBeGreaterThanOrEqual(3)
  })
})
