/**
 * Load generator of bench/telemetry.ts, in a worker thread so that sending does not share the
 * server's event loop. Lanes send concurrently; within a lane batches go one at a time, in the
 * order given (so each node's sequence numbers arrive in order). 503 and 429 are retried after
 * their Retry-After, as an agent does.
 */
import { parentPort } from 'node:worker_threads'

export interface ClientJob {
  url: string
  lanes: string[][]
}

export interface ClientResult {
  ms: number
  requests: number
  retried: Record<string, number>
  failed: string[]
}

async function sendLane(url: string, bodies: string[], result: ClientResult): Promise<void> {
  for (const body of bodies) {
    for (;;) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      const text = await res.text()
      result.requests++
      if (res.status === 200) break
      if (res.status === 503 || res.status === 429) {
        result.retried[res.status] = (result.retried[res.status] ?? 0) + 1
        await new Promise((resolve) =>
          setTimeout(resolve, Number(res.headers.get('retry-after') ?? 1) * 1000),
        )
        continue
      }
      result.failed.push(`${res.status} ${text.slice(0, 200)}`)
      break
    }
  }
}

parentPort?.on('message', (job: ClientJob) => {
  void (async () => {
    const result: ClientResult = { ms: 0, requests: 0, retried: {}, failed: [] }
    const started = performance.now()
    await Promise.all(job.lanes.map((lane) => sendLane(job.url, lane, result)))
    result.ms = performance.now() - started
    parentPort?.postMessage(result)
  })()
})
