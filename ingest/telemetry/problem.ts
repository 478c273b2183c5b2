/** Why the ingest refused something, as the HTTP body says it: `{error, path, reason}`. */
export interface Problem {
  status: 400 | 401 | 409 | 413 | 415 | 429 | 503
  /** Short stable code, counted per reason (ingest_rejections.reason). */
  error: string
  /** Where in the input, e.g. 'samples[3].utilizationPct'; '' for the whole request. */
  path: string
  /** What is wrong, in words an operator can act on. */
  reason: string
  /** Seconds, for 429 and 503. */
  retryAfterS?: number
  /** Extra fields for the response body (e.g. lastSeq on 409). */
  details?: Record<string, string | number>
}

export function problem(
  status: Problem['status'],
  error: string,
  reason: string,
  path = '',
  extra: Pick<Problem, 'retryAfterS' | 'details'> = {},
): Problem {
  return { status, error, path, reason, ...extra }
}

/** 'samples[3].utilizationPct' from ['samples', 3, 'utilizationPct']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}
