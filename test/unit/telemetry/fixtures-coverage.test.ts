/**
 * Every file under fixtures/gpu is either parsed or refused with a clear reason by the parser of its
 * kind. A new fixture file fails here until it is given an expectation (and a values test elsewhere).
 */
import { describe, expect, it } from 'vitest'

import { type TelemetryFormat, TelemetryParseError } from '../../../ingest/telemetry/gpu-sample.js'
import { parseTelemetry } from '../../../ingest/telemetry/parsers/index.js'
import { fixture, fixtureDir } from '../../support/fixtures.js'

/** A number of readings, or the reason the parser gives for refusing the file. */
type Outcome = number | RegExp

const EXPECTED: Record<string, Record<string, [TelemetryFormat, Outcome]>> = {
  'nvidia-smi': {
    'h100-mig_load_query-gpu.csv': ['nvidia-smi-csv', 1],
    'h100-mig_load_table.txt': ['nvidia-smi-csv', /default table output/],
    'h100-sxm-80gb_idle_query-gpu.csv': ['nvidia-smi-csv', 1],
    'h100-sxm-80gb_load_dmon.txt': ['nvidia-smi-csv', /dmon/],
    'h100-sxm-80gb_load_q.txt': ['nvidia-smi-csv', /nvidia-smi -q/],
    'h100-sxm-80gb_load_query-compute-apps.csv': ['nvidia-smi-csv', /one row per process/],
    'h100-sxm-80gb_load_query-gpu.csv': ['nvidia-smi-csv', 1],
    'h200_load_query-gpu.csv': ['nvidia-smi-csv', 1],
    'l40s_load_query-gpu.csv': ['nvidia-smi-csv', 1],
    'rtx2080super-windows_load_query-gpu.csv': ['nvidia-smi-csv', 1],
    'rtx2080super-windows_load_table.txt': ['nvidia-smi-csv', /default table output/],
    'rtx4080super_load_query-gpu.csv': ['nvidia-smi-csv', 1],
  },
  'nvidia-smi-xml': {
    'telegraf_a100-sxm4-v12.xml': ['nvidia-smi-xml', 1],
    'telegraf_a10g.xml': ['nvidia-smi-xml', 1],
    'telegraf_rtx-3090-v12.xml': ['nvidia-smi-xml', 1],
    'telegraf_rtx-4000-sff-ada-v13.xml': ['nvidia-smi-xml', 1],
  },
  'dcgm-exporter': {
    'grid-a100-40c_vgpu_vks_scrape.prom': ['prometheus', 1],
    'h100x8_aicr_sampled_pod-attribution.prom': ['prometheus', 8],
    'l40s_upcloud_full-scrape.prom': ['prometheus', 1],
    'l4_aws-kops_full-scrape.prom': ['prometheus', 1],
  },
  prometheus: {
    'nvidia_gpu_exporter_h100-sxm_load.prom': ['prometheus', 1],
    'prom-api_query_DCGM_FI_DEV_POWER_USAGE_2x8xH100.json': ['prometheus-api-json', 16],
  },
  otlp: {
    'HAND-WRITTEN_opentelemetry-proto_examples_metrics.json': ['otlp-json', 0],
  },
}

describe('every GPU fixture has a parser outcome', () => {
  it('the expectations list exactly the files present', () => {
    expect(fixtureDir('gpu')).toEqual(Object.keys(EXPECTED).sort())
    for (const [dir, files] of Object.entries(EXPECTED)) {
      expect(fixtureDir(`gpu/${dir}`), dir).toEqual(Object.keys(files).sort())
    }
  })

  const cases = Object.entries(EXPECTED).flatMap(([dir, files]) =>
    Object.entries(files).map(([file, [format, outcome]]) => ({
      path: `gpu/${dir}/${file}`,
      format,
      outcome,
    })),
  )
  it.each(cases)('$path ($format)', ({ path, format, outcome }) => {
    const text = fixture(path)
    const parse = (t: string): ReturnType<typeof parseTelemetry> => parseTelemetry(format, t)
    if (typeof outcome === 'number') {
      const readings = parse(text)
      expect(readings).toHaveLength(outcome)
      for (const r of readings) {
        expect(r.gpuUuid).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
        expect(r.name).not.toBe('')
      }
    } else {
      expect(() => parse(text)).toThrow(TelemetryParseError)
      expect(() => parse(text)).toThrow(outcome)
    }
  })
})
