/**
 * The worker side of bench/load-run.ts's startWorker: says it is ready, then answers each message
 * with `{ ok: true, result }` or `{ ok: false, error }`. Started only in the worker load-run names
 * (`workerData`): imported elsewhere, a worker file starts nothing.
 */
import { parentPort, workerData } from 'node:worker_threads'

export function serveJobs<J, R>(name: string, handle: (job: J) => Promise<R>): void {
  const port = parentPort
  if (!port || workerData !== name) return
  port.on('message', (job: J) => {
    handle(job).then(
      (result) => port.postMessage({ ok: true, result }),
      (error: unknown) =>
        port.postMessage({
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    )
  })
  port.postMessage({ ready: true })
}
