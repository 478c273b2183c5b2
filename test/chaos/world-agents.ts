/**
 * The world's node agents for the chaos run: one real agent (ingest/agent/agent.ts: sign, spool to
 * disk, deliver in order, back off) per world node whose agent signs, reading the world's telemetry
 * samples instead of nvidia-smi as simulated time passes; and the gate they reach the telemetry
 * ingest through, which records every answer the agents get. An acknowledgement is what an agent
 * was told: 200 (stored or in the WAL) or 409 `duplicate` (stored earlier, the answer was lost).
 *
 * Not covered: the nodes that only report (Prometheus/OTLP routes), because those routes have no
 * idempotency key (a push retried after a lost answer is stored twice, by design), so "exactly
 * once" cannot hold for them; and job ids, which the agent does not send (its batches carry
 * `jobId: null`), so busy GPU-seconds are not compared, only what the agent does send.
 */
import { mkdirSync, readdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { World, WorldNode } from '../../devnet/world/model.js'
import { WORLD_NETWORKS } from '../../devnet/world/networks.js'
import { telemetrySamples } from '../../devnet/world/telemetry.js'
import { Agent } from '../../ingest/agent/agent.js'
import type { GpuSource } from '../../ingest/agent/collect.js'
import { parseKeyFile } from '../../ingest/agent/keys.js'
import type { GpuReading } from '../../ingest/telemetry/gpu-sample.js'
import { ed25519Key, evmKey } from '../telemetry/support.js'

/** What the world says one GPU reported on one UTC day (sums exact: power in hundredths of a watt). */
export interface GpuDayTotals {
  network: string
  node: string
  gpu: string
  day: string
  gpuModel: string
  samples: number
  intervalS: number
  util: number
  memory: number
  powerCentiW: number
  temperature: number
}

export interface WorldTelemetry {
  nodes: WorldNode[]
  readings: Map<string, GpuReading[]>
  /** Keyed network|node|gpu|day. */
  truth: Map<string, GpuDayTotals>
  samples: number
}

export const gpuDayKey = (network: string, node: string, gpu: string, day: string): string =>
  `${network}|${node}|${gpu}|${day}`

/** Every sample the signing nodes' agents send, as readings per node, and their totals per GPU-day. */
export function worldTelemetry(world: World): WorldTelemetry {
  const nodes = world.nodes.filter((n) => n.signs)
  const signing = new Set(nodes.map((n) => n.id))
  const readings = new Map<string, GpuReading[]>(nodes.map((n) => [n.id, []]))
  const truth = new Map<string, GpuDayTotals>()
  let samples = 0
  for (const batch of telemetrySamples(world)) {
    for (const s of batch) {
      if (!signing.has(s.node.id)) continue
      const r = s.row
      readings.get(s.node.id)?.push({
        gpuUuid: r.gpu_uuid,
        gpuIndex: s.gpuIndex,
        name: r.gpu_name,
        pciDeviceId: null,
        time: s.time,
        utilizationPct: r.utilization_pct,
        memoryUsedMiB: r.memory_used_mib,
        memoryTotalMiB: r.vram_mib,
        powerW: r.power_w,
        temperatureC: r.temperature_c,
        hostname: null,
      })
      const day = s.time.toISOString().slice(0, 10)
      const key = gpuDayKey(r.network, r.node_id, r.gpu_uuid, day)
      const t = truth.get(key) ?? {
        network: r.network,
        node: r.node_id,
        gpu: r.gpu_uuid,
        day,
        gpuModel: r.gpu_model,
        samples: 0,
        intervalS: 0,
        util: 0,
        memory: 0,
        powerCentiW: 0,
        temperature: 0,
      }
      t.samples++
      t.intervalS += r.interval_s
      t.util += r.utilization_pct ?? 0
      t.memory += r.memory_used_mib ?? 0
      t.powerCentiW += Math.round((r.power_w ?? 0) * 100)
      t.temperature += r.temperature_c ?? 0
      truth.set(key, t)
      samples++
    }
  }
  for (const list of readings.values())
    list.sort((a, b) => (a.time?.getTime() ?? 0) - (b.time?.getTime() ?? 0))
  return { nodes, readings, truth, samples }
}

/** A node's GPUs as the world runs them: each read returns the readings that simulated time has reached. */
class WorldGpuSource implements GpuSource {
  private next = 0

  constructor(
    readonly label: string,
    private readonly readings: GpuReading[],
    private readonly clock: () => number,
  ) {}

  async read(): Promise<GpuReading[]> {
    const until = this.clock()
    const from = this.next
    while (this.next < this.readings.length && (this.readings[this.next]?.time?.getTime() ?? 0) <= until)
      this.next++
    return this.readings.slice(from, this.next)
  }
}

export interface BatchAck {
  network: string
  nodeId: string
  seq: number
  samples: number
  /** Attempts that were not acknowledged before this one (unreachable, 503, 429). */
  failedBefore: number
}

export interface GateCounts {
  requests: number
  stored: number
  duplicate: number
  backpressure: number
  starting: number
  rateLimited: number
  unreachable: number
  /** A second 200 for a batch already acknowledged: the server would have stored it twice. */
  acknowledgedTwice: number
  other: number
}

/**
 * The agents' endpoint: forwards to the telemetry ingest process while one is up (`upstream`),
 * cuts the connection while none is (the agent sees a network error, as with a dead host).
 */
export class TelemetryGate {
  upstream: string | null = null
  readonly acks = new Map<string, BatchAck>()
  readonly counts: GateCounts = {
    requests: 0,
    stored: 0,
    duplicate: 0,
    backpressure: 0,
    starting: 0,
    rateLimited: 0,
    unreachable: 0,
    acknowledgedTwice: 0,
    other: 0,
  }
  /** Answers other than 200/409 duplicate/429/503, for the report. */
  readonly refusals: string[] = []
  private readonly failed = new Map<string, number>()
  private server: Server | null = null
  url = ''

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (reply) => {
          if (!reply) return void req.socket.destroy()
          res.writeHead(reply.status, reply.headers)
          res.end(reply.body)
        },
        () => req.socket.destroy(),
      )
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** Batches acknowledged after at least one attempt that was not: delivered from the agents' spools. */
  replayed(): { batches: number; samples: number } {
    const late = [...this.acks.values()].filter((a) => a.failedBefore > 0)
    return { batches: late.length, samples: late.reduce((s, a) => s + a.samples, 0) }
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string } | null> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    this.counts.requests++
    const batch = JSON.parse(body.toString('utf8')) as {
      network: string
      nodeId: string
      seq: number
      samples: unknown[]
    }
    const key = `${batch.network}/${batch.nodeId}/${batch.seq}`
    const fail = (): void => void this.failed.set(key, (this.failed.get(key) ?? 0) + 1)
    if (this.upstream === null) {
      this.counts.unreachable++
      fail()
      return null
    }
    let res: Response
    let text: string
    try {
      res = await fetch(`${this.upstream}${req.url ?? ''}`, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        body,
        signal: AbortSignal.timeout(60_000),
      })
      text = await res.text()
    } catch {
      // The ingest process died under the request: the agent hears nothing either.
      this.counts.unreachable++
      fail()
      return null
    }
    let reply: { error?: string; accepted?: number } = {}
    try {
      reply = JSON.parse(text) as typeof reply
    } catch {
      // judged by status alone
    }
    const ack = (samples: number): void => {
      this.acks.set(key, {
        network: batch.network,
        nodeId: batch.nodeId,
        seq: batch.seq,
        samples,
        failedBefore: this.failed.get(key) ?? 0,
      })
    }
    if (res.status === 200) {
      if (this.acks.has(key)) this.counts.acknowledgedTwice++
      this.counts.stored++
      ack(reply.accepted ?? -1)
    } else if (res.status === 409 && reply.error === 'duplicate') {
      this.counts.duplicate++
      if (!this.acks.has(key)) ack(batch.samples.length)
    } else {
      if (res.status === 503 && reply.error === 'backpressure') this.counts.backpressure++
      else if (res.status === 503 && reply.error === 'starting') this.counts.starting++
      else if (res.status === 429) this.counts.rateLimited++
      else {
        this.counts.other++
        this.refusals.push(`${res.status} ${text.slice(0, 300)}`)
      }
      fail()
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    const retryAfter = res.headers.get('retry-after')
    if (retryAfter !== null) headers['retry-after'] = retryAfter
    return { status: res.status, headers, body: text }
  }
}

/** One agent per signing node of the world, each with its own spool directory and key. */
export class WorldAgents {
  readonly agents: Agent[] = []
  private readonly senders: Promise<void>[] = []
  simulatedMs: number

  private constructor(
    private readonly spoolRoot: string,
    start: number,
  ) {
    this.simulatedMs = start
  }

  static async start(world: World, telemetry: WorldTelemetry, endpoint: string, spoolRoot: string) {
    const agents = new WorldAgents(spoolRoot, world.config.start.getTime() - 1)
    for (const node of telemetry.nodes) {
      // A Solana keypair or an EVM key, as the node's network uses (devnet/world/networks.ts).
      const keyType = WORLD_NETWORKS.find((n) => n.id === node.network)?.agentKey ?? 'ed25519'
      const key = keyType === 'secp256k1' ? evmKey() : ed25519Key()
      const spoolDir = join(spoolRoot, node.id)
      mkdirSync(spoolDir, { recursive: true })
      const agent = new Agent({
        endpoint,
        network: node.network,
        nodeId: node.id,
        signer: parseKeyFile(key.keyFile),
        source: new WorldGpuSource(node.id, telemetry.readings.get(node.id) ?? [], () => agents.simulatedMs),
        spoolDir,
        intervalMs: world.config.telemetryIntervalS * 1000,
      })
      await agent.open()
      agents.agents.push(agent)
      agents.senders.push(agent.send())
    }
    return agents
  }

  /** Simulated time moves to `ms`: every agent takes one reading (all it missed) and spools it. */
  async tick(ms: number): Promise<void> {
    this.simulatedMs = ms
    await Promise.all(this.agents.map((a) => a.sample(1)))
  }

  /**
   * True once every spool is empty. The agents keep sampling meanwhile (finding nothing new), as a
   * running agent does every interval: Agent.send drops a wake-up that comes while it is delivering,
   * so batches spooled during its last pass wait for the next reading to be sent.
   */
  async drained(deadlineMs: number): Promise<boolean> {
    while (Date.now() < deadlineMs) {
      if (this.leftovers().pending === 0) return true
      await this.tick(this.simulatedMs)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    return this.leftovers().pending === 0
  }

  async stop(): Promise<void> {
    for (const agent of this.agents) agent.stop()
    await Promise.all(this.senders)
  }

  /** Batches the agents set aside for good (rejected/), and batches still waiting (pending/). */
  leftovers(): { rejected: number; pending: number } {
    let rejected = 0
    let pending = 0
    for (const node of readdirSync(this.spoolRoot)) {
      rejected += readdirSync(join(this.spoolRoot, node, 'rejected')).filter((f) =>
        f.endsWith('.json'),
      ).length
      pending += readdirSync(join(this.spoolRoot, node, 'pending')).filter((f) => f.endsWith('.json')).length
    }
    return { rejected, pending }
  }
}
