import { Injectable } from '@nestjs/common'
import { num, windowKey, type Window } from '../core/clickhouse-values.js'
import { networkLoader } from '../core/loaders.js'
import { measure, type Measure } from '../core/measure.js'
import { MetricSqlService, type BoundQuery } from '../core/metric-sql.service.js'
import type { HardwareMixRow } from './hardware.model.js'

interface MixRow {
  network: string
  gpu_model: string
  vram_class: string
  segment: string
  claimed_provenance: string
  claimed_gpus: string | null
  claimed_gpu_share: number | null
  busy_provenance: string
  claimed_busy_gpu_hours: number | null
  claimed_busy_share: number | null
  verified_provenance: string
  verified_gpus: string | null
  verified_gpu_share: number | null
  verified_busy_gpu_hours: number | null
  verified_busy_share: number | null
}

export const HARDWARE_MIX_SQL = 'metrics/hardware_mix'

const MEASURES = [
  'claimedGpus',
  'claimedGpuShare',
  'claimedBusyGpuHours',
  'claimedBusyShare',
  'verifiedGpus',
  'verifiedGpuShare',
  'verifiedBusyGpuHours',
  'verifiedBusyShare',
] as const

const sum = (a: Measure, b: Measure): Measure => ({
  value: a.value === null || b.value === null ? null : a.value + b.value,
  provenance: a.provenance,
})

/** Rows grouped by a key (VRAM class, segment): counts, hours and shares add up. */
export function groupMix(rows: HardwareMixRow[], key: 'vramClass' | 'segment'): HardwareMixRow[] {
  const groups = new Map<string, HardwareMixRow>()
  for (const row of rows) {
    const name = row[key]
    const g = groups.get(name)
    if (!g) {
      groups.set(name, {
        ...row,
        group: name,
        vramClass: key === 'vramClass' ? name : '',
        segment: key === 'segment' ? name : '',
      })
      continue
    }
    for (const m of MEASURES) g[m] = sum(g[m], row[m])
  }
  return [...groups.values()].sort((a, b) => a.group.localeCompare(b.group))
}

@Injectable()
export class HardwareService {
  constructor(private readonly metrics: MetricSqlService) {}

  query(networks: readonly string[], window: Window): Promise<BoundQuery> {
    return this.metrics.bind(HARDWARE_MIX_SQL, networks, window)
  }

  async models(context: object, network: string, window: Window): Promise<HardwareMixRow[]> {
    const loader = networkLoader<Window, MixRow>(context, 'hardware-mix', async (networks, w) =>
      this.metrics.run<MixRow>(await this.query(networks, w)),
    )
    const rows = await loader.load({ network, spec: window, specKey: windowKey(window) })
    return rows.map((r) => ({
      group: r.gpu_model,
      vramClass: r.vram_class,
      segment: r.segment,
      claimedGpus: measure(num(r.claimed_gpus), r.claimed_provenance),
      claimedGpuShare: measure(r.claimed_gpu_share, r.claimed_provenance),
      claimedBusyGpuHours: measure(r.claimed_busy_gpu_hours, r.busy_provenance),
      claimedBusyShare: measure(r.claimed_busy_share, r.busy_provenance),
      verifiedGpus: measure(num(r.verified_gpus), r.verified_provenance),
      verifiedGpuShare: measure(r.verified_gpu_share, r.verified_provenance),
      verifiedBusyGpuHours: measure(r.verified_busy_gpu_hours, r.verified_provenance),
      verifiedBusyShare: measure(r.verified_busy_share, r.verified_provenance),
    }))
  }
}
