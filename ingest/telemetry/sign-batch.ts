/** Building and signing batches (the node agent's side of batch.ts). */
import {
  BATCH_VERSION,
  signingBytes,
  type BatchGpu,
  type TelemetryBatch,
  type UnsignedBatch,
} from './batch.js'
import type { GpuReading } from './gpu-sample.js'
import type { NodeSigner } from './signature.js'

export interface BatchHeader {
  network: string
  nodeId: string
  seq: number
  intervalS: number
}

export function signBatch(unsigned: UnsignedBatch, signer: NodeSigner): TelemetryBatch {
  if (unsigned.keyType !== signer.keyType || unsigned.publicKey !== signer.publicKey) {
    throw new Error('the batch names another key than the signer’s')
  }
  return { ...unsigned, signature: signer.sign(signingBytes(unsigned)) }
}

/** Readings (several per GPU allowed) as an unsigned batch; readings without a time get `now`. */
export function batchFromReadings(
  readings: readonly GpuReading[],
  header: BatchHeader,
  signer: Pick<NodeSigner, 'keyType' | 'publicKey'>,
  now: Date,
): UnsignedBatch {
  const gpus: BatchGpu[] = []
  const index = new Map<string, number>()
  const samples = readings.map((r) => {
    let gpu = index.get(r.gpuUuid)
    if (gpu === undefined) {
      gpu = gpus.length
      index.set(r.gpuUuid, gpu)
      gpus.push({
        uuid: r.gpuUuid,
        index: r.gpuIndex,
        name: r.name,
        pciDeviceId: r.pciDeviceId,
        memoryTotalMiB: r.memoryTotalMiB,
      })
    }
    return {
      gpu,
      time: (r.time ?? now).toISOString(),
      utilizationPct: r.utilizationPct,
      memoryUsedMiB: r.memoryUsedMiB,
      powerW: r.powerW,
      temperatureC: r.temperatureC,
      jobId: null,
    }
  })
  return {
    version: BATCH_VERSION,
    network: header.network,
    nodeId: header.nodeId,
    keyType: signer.keyType,
    publicKey: signer.publicKey,
    seq: header.seq,
    intervalS: header.intervalS,
    gpus,
    samples,
  }
}
