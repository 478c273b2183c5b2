/** One POST of a signed batch, and what the agent does about the answer. */

export type PushOutcome =
  | { kind: 'stored' }
  /** The endpoint already has this very batch (an earlier acknowledgement was lost). */
  | { kind: 'duplicate' }
  /** The endpoint will never take this batch: set it aside. */
  | { kind: 'refused'; reason: string }
  /** Try again later (endpoint unreachable, overloaded, rate limit). */
  | { kind: 'retry'; reason: string; afterMs: number | null }

export function telemetryUrl(endpoint: string): string {
  const url = new URL(endpoint)
  if (!url.pathname.endsWith('/ingest/v1/telemetry')) {
    url.pathname = `${url.pathname.replace(/\/$/, '')}/ingest/v1/telemetry`
  }
  return url.toString()
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(header)
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null
}

export async function pushBatch(url: string, body: string, timeoutMs = 15_000): Promise<PushOutcome> {
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    return { kind: 'retry', reason: cause ?? (error as Error).message, afterMs: null }
  }
  const text = await res.text().catch(() => '')
  if (res.ok) return { kind: 'stored' }
  let reply: { error?: string; reason?: string } = {}
  try {
    reply = JSON.parse(text) as typeof reply
  } catch {
    // Not our JSON (a proxy's error page): judged by status alone.
  }
  const reason = `${res.status} ${reply.error ?? ''} ${reply.reason ?? text.slice(0, 200)}`.trim()
  if (res.status === 409 && reply.error === 'duplicate') return { kind: 'duplicate' }
  if (res.status === 429 || res.status === 408 || res.status >= 500 || reply.error === undefined) {
    return { kind: 'retry', reason, afterMs: retryAfterMs(res.headers.get('retry-after')) }
  }
  return { kind: 'refused', reason }
}
