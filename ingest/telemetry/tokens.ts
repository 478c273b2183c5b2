/**
 * Bearer tokens of the Prometheus and OTLP routes, from PLUMB_INGEST_TOKENS
 * (`token=network:node,...`). Only SHA-256 digests of the tokens are kept, and no message ever
 * contains a token.
 */
import { createHash } from 'node:crypto'

export interface NodeIdentity {
  network: string
  nodeId: string
}

export class IngestTokenError extends Error {}

const MIN_TOKEN_LENGTH = 16

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export class IngestTokens {
  private constructor(private readonly byDigest: ReadonlyMap<string, NodeIdentity>) {}

  /** Throws IngestTokenError naming the entry by position, never by its token. */
  static parse(spec: string, networks: ReadonlySet<string>): IngestTokens {
    const byDigest = new Map<string, NodeIdentity>()
    const entries = spec
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
    entries.forEach((entry, i) => {
      const where = `PLUMB_INGEST_TOKENS entry ${i + 1}`
      const m = /^([^=\s]+)=([^:\s]+):(\S+)$/.exec(entry)
      if (!m?.[1] || !m[2] || !m[3]) throw new IngestTokenError(`${where}: expected token=network:node`)
      if (m[1].length < MIN_TOKEN_LENGTH) {
        throw new IngestTokenError(`${where}: a token has at least ${MIN_TOKEN_LENGTH} characters`)
      }
      if (!networks.has(m[2]))
        throw new IngestTokenError(`${where}: '${m[2]}' is not a network in the catalog`)
      if (m[3].length > 128) throw new IngestTokenError(`${where}: node id longer than 128 characters`)
      const key = digest(m[1])
      if (byDigest.has(key)) throw new IngestTokenError(`${where}: the same token is listed twice`)
      byDigest.set(key, { network: m[2], nodeId: m[3] })
    })
    return new IngestTokens(byDigest)
  }

  get size(): number {
    return this.byDigest.size
  }

  /** The node an `Authorization: Bearer <token>` header stands for, or null. */
  identify(authorization: string | undefined): NodeIdentity | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    return m?.[1] ? (this.byDigest.get(digest(m[1])) ?? null) : null
  }
}
