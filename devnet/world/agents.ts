import { createHash } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { pushBatch, telemetryUrl } from '../../ingest/agent/push.js'
import { BATCH_VERSION, type UnsignedBatch } from '../../ingest/telemetry/batch.js'
import { signBatch } from '../../ingest/telemetry/sign-batch.js'
import { ed25519Signer, secp256k1Signer, type NodeSigner } from '../../ingest/telemetry/signature.js'
import type { WorldNode } from './model.js'
import { WORLD_NETWORKS } from './networks.js'
import type { Sample } from './telemetry.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The agents of the world's signing nodes: each sends its samples to Plumb's telemetry endpoint as
 * signed batches (POST /ingest/v1/telemetry, as `plumb agent` does), with the node's own key, a
 * Solana keypair or an EVM key as its network uses, derived from the world's seed and the node id.
 * Nodes that only report are not agents of this kind (their samples carry no signature).
 */
export class WorldAgents {
  private readonly signers = new Map<string, NodeSigner>()
  private readonly url: string

  constructor(
    private readonly seed: number,
    endpoint: string,
  ) {
    this.url = telemetryUrl(endpoint)
  }

  signer(node: WorldNode): NodeSigner {
    let signer = this.signers.get(node.id)
    if (!signer) {
      const secret = createHash('sha256').update(`plumb-world:${this.seed}:${node.id}`).digest()
      const key = WORLD_NETWORKS.find((n) => n.id === node.network)?.agentKey ?? 'ed25519'
      signer =
        key === 'secp256k1'
          ? secp256k1Signer(secret)
          : ed25519Signer(Uint8Array.from([...secret, ...ed25519.getPublicKey(secret)]))
      this.signers.set(node.id, signer)
    }
    return signer
  }

  /**
   * Sends the samples of signing nodes, one batch per node, and returns how many were stored. The
   * sequence number is the batch's first sample time in seconds, so it grows from call to call; a
   * batch the endpoint already has (a restart) counts as stored.
   */
  async send(samples: readonly Sample[]): Promise<number> {
    const byNode = new Map<string, Sample[]>()
    for (const s of samples) {
      if (!s.node.signs) continue
      const list = byNode.get(s.node.id) ?? []
      list.push(s)
      byNode.set(s.node.id, list)
    }
    let sent = 0
    for (const list of byNode.values()) {
      await this.push(this.batch(list))
      sent += list.length
    }
    return sent
  }

  private batch(samples: readonly Sample[]): string {
    const first = samples[0] as Sample
    const signer = this.signer(first.node)
    const gpus = new Map<number, UnsignedBatch['gpus'][number]>()
    for (const s of samples) {
      if (gpus.has(s.gpuIndex)) continue
      gpus.set(s.gpuIndex, {
        uuid: s.row.gpu_uuid,
        index: s.gpuIndex,
        name: s.row.gpu_name,
        pciDeviceId: null,
        memoryTotalMiB: s.row.vram_mib,
      })
    }
    const order = [...gpus.keys()].sort((a, b) => a - b)
    const unsigned: UnsignedBatch = {
      version: BATCH_VERSION,
      network: first.node.network,
      nodeId: first.node.id,
      keyType: signer.keyType,
      publicKey: signer.publicKey,
      seq: Math.floor(first.time.getTime() / 1000),
      intervalS: first.row.interval_s,
      gpus: order.map((g) => gpus.get(g) as UnsignedBatch['gpus'][number]),
      samples: samples.map((s) => ({
        gpu: order.indexOf(s.gpuIndex),
        time: s.time.toISOString(),
        utilizationPct: s.row.utilization_pct,
        memoryUsedMiB: s.row.memory_used_mib,
        powerW: s.row.power_w,
        temperatureC: s.row.temperature_c,
        jobId: s.row.job_id === '' ? null : s.row.job_id,
      })),
    }
    return JSON.stringify(signBatch(unsigned, signer))
  }

  private async push(body: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await pushBatch(this.url, body)
      if (outcome.kind === 'stored' || outcome.kind === 'duplicate') return
      if (outcome.kind === 'refused')
        throw new Error(`telemetry endpoint refused a world batch: ${outcome.reason}`)
      if (attempt >= 20) throw new Error(`telemetry endpoint unavailable: ${outcome.reason}`)
      await sleep(outcome.afterMs ?? Math.min(5_000, 100 * 2 ** attempt))
    }
  }
}
