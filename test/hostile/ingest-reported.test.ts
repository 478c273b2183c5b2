/**
 * Issue #8, part 4: hostile requests to the token-authenticated ingest routes, POST
 * /ingest/v1/prometheus (Prometheus text) and POST /v1/metrics (OTLP/HTTP JSON): hostile
 * Authorization headers, real scrapes and OTLP requests with values, timestamps, labels and
 * structure mutated, arbitrary text and JSON, random bytes, wrong content types and encodings,
 * hostile ?interval=. Every answer is 200 or a 4xx with the ingest's `{error, path, reason}`;
 * never 5xx or leaked text; a refused request stores nothing and is counted; nothing invalid is
 * ever stored; valid requests are still accepted afterwards.
 */
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { fixture } from '../telemetry/support.js'
import { probe, sendChecked, type IngestProbe } from './ingest-support.js'
import {
  deepNesting,
  hostileJson,
  hostileNumber,
  hostileString,
  SEED,
  show,
  tableCounts,
  type TableCounts,
} from './support.js'

const MAX_AGE_H = 24
const PROM_TOKEN = 'prom-token-hostile-0123456789'
const OTEL_TOKEN = 'otel-token-hostile-0123456789'

let t: TestApp
let p: IngestProbe
let before: TableCounts

beforeAll(async () => {
  t = await startTestApp({
    PLUMB_INGEST_TOKENS: `${PROM_TOKEN}=akash:prom-node,${OTEL_TOKEN}=ionet:otel-node`,
    PLUMB_INGEST_NODE_BURST: '1000000',
    PLUMB_INGEST_NODE_RATE: '1000000',
    PLUMB_INGEST_MAX_AGE_H: String(MAX_AGE_H),
  })
  p = probe(t, MAX_AGE_H)
  before = await tableCounts(t.db.reader)
}, 120_000)
afterAll(() => t?.close())

const promUrl = (query = ''): string => `${t.url}/ingest/v1/prometheus${query}`
const otlpUrl = (query = ''): string => `${t.url}/v1/metrics${query}`
const PROM_HEADERS = { 'content-type': 'text/plain; version=0.0.4', authorization: `Bearer ${PROM_TOKEN}` }
const OTLP_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${OTEL_TOKEN}` }

const SCRAPES = [
  'gpu/dcgm-exporter/l40s_upcloud_full-scrape.prom',
  'gpu/dcgm-exporter/h100x8_aicr_sampled_pod-attribution.prom',
  'gpu/dcgm-exporter/grid-a100-40c_vgpu_vks_scrape.prom',
  'gpu/prometheus/nvidia_gpu_exporter_h100-sxm_load.prom',
]

/** Sample values and timestamps as Prometheus text may carry them, most of them hostile. */
const valueText = fc.oneof(
  fc.constantFrom(
    'NaN',
    '+Inf',
    '-Inf',
    'nan',
    '1e400',
    '-1e400',
    '-5',
    '101',
    '1e308',
    '4194305',
    '3001',
    '151',
    '-41',
    '0x10',
    '1_000',
    '',
    '1.5.5',
    '2147483632',
    '0.5',
  ),
  hostileNumber.map(String),
)
const timestampText = fc.oneof(
  fc.constantFrom(
    '99999999999999999999',
    '-99999999999999999999',
    '8640000000000001',
    '253402300800000',
    '-1',
    '0',
    '1',
    '1.5',
    '1e3',
    'now',
  ),
  fc.integer({ min: -3 * 86_400_000, max: 86_400_000 }).map((d) => String(Date.now() + d)),
  fc.integer({ min: -3 * 86_400, max: 86_400 }).map((d) => (Date.now() / 1000 + d).toFixed(3)),
)

type LineMutation =
  | { kind: 'value'; line: number; value: string }
  | { kind: 'timestamp'; line: number; value: string }
  | { kind: 'label'; line: number; label: string; value: string }
  | { kind: 'drop-uuid'; line: number }
  | { kind: 'replace'; line: number; text: string }
  | { kind: 'insert'; line: number; text: string }
  | { kind: 'duplicate'; line: number }
  | { kind: 'truncate'; at: number }

const lineArb = fc.nat(10_000)
const lineMutationArb: fc.Arbitrary<LineMutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('value' as const), line: lineArb, value: valueText }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('timestamp' as const), line: lineArb, value: timestampText }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('label' as const),
      line: lineArb,
      label: fc.constantFrom('UUID', 'modelName', 'gpu', 'GPU_I_ID', 'Hostname', 'new_label'),
      value: fc.oneof(hostileString, fc.constantFrom('', ' ', 'GPU-\u0001', 'x'.repeat(300), '[N/A]')),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop-uuid' as const), line: lineArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      line: lineArb,
      text: fc.oneof(
        hostileString,
        fc.constantFrom(
          'DCGM_FI_DEV_GPU_TEMP{UUID="GPU-1"',
          'DCGM_FI_DEV_GPU_TEMP{UUID=GPU-1} 40',
          'DCGM_FI_DEV_GPU_TEMP{UUID="GPU-1\\q"} 40',
          'DCGM_FI_DEV_GPU_TEMP{UUID="GPU-1"} 40 1 2',
          '{UUID="GPU-1"} 40',
          '9metric 1',
        ),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('insert' as const), line: lineArb, text: hostileString }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), line: lineArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(100_000) }) },
)

/** Sample lines (not comments) of a scrape, by their index among the lines. */
function sampleLines(lines: string[]): number[] {
  return lines.flatMap((l, i) => (l.trim() === '' || l.startsWith('#') ? [] : [i]))
}

function applyLine(text: string, m: LineMutation): string {
  if (m.kind === 'truncate') return text.slice(0, m.at % Math.max(1, text.length))
  const lines = text.split('\n')
  const samples = sampleLines(lines)
  const i = samples[m.line % Math.max(1, samples.length)] ?? 0
  const line = lines[i] ?? ''
  const close = line.lastIndexOf('}')
  const head = close >= 0 ? line.slice(0, close + 1) : (line.split(' ')[0] ?? '')
  const [value = '0'] = line.slice(head.length).trim().split(/\s+/)
  switch (m.kind) {
    case 'value':
      lines[i] = `${head} ${m.value}`
      break
    case 'timestamp':
      lines[i] = `${head} ${value} ${m.value}`
      break
    case 'label': {
      const escaped = m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
      const replaced = head.replace(
        new RegExp(`([{,])${m.label}="(?:[^"\\\\]|\\\\.)*"`),
        `$1${m.label}="${escaped}"`,
      )
      lines[i] =
        replaced === head && close >= 0
          ? `${head.slice(0, -1)},${m.label}="${escaped}"} ${value}`
          : `${replaced} ${value}`
      break
    }
    case 'drop-uuid':
      lines[i] = line.replace(/(UUID|uuid)="[^"]*",?/g, '')
      break
    case 'replace':
      lines[i] = m.text.replace(/\n/g, ' ')
      break
    case 'insert':
      lines.splice(i, 0, m.text)
      break
    case 'duplicate':
      lines.splice(i, 0, line)
      break
  }
  return lines.join('\n')
}

/** A GPU gauge of an OTLP request, as the collector's otlphttp exporter sends it. */
function gauge(
  name: string,
  value: object,
  ms: number,
  uuid = 'GPU-0ae1c0de-5a5a-4b4b-8c8c-000000000042',
): object {
  return {
    name,
    gauge: {
      dataPoints: [
        {
          ...value,
          timeUnixNano: `${ms}000000`,
          attributes: [
            { key: 'UUID', value: { stringValue: uuid } },
            { key: 'modelName', value: { stringValue: 'NVIDIA A100-SXM4-80GB' } },
          ],
        },
      ],
    },
  }
}

function otlpRequest(ms: number): Record<string, unknown> {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'host.name', value: { stringValue: 'gpu-node-7' } }] },
        scopeMetrics: [
          {
            scope: { name: 'otelcol/prometheusreceiver' },
            metrics: [
              gauge('DCGM_FI_DEV_GPU_UTIL', { asInt: '88' }, ms),
              gauge('DCGM_FI_DEV_FB_USED', { asInt: '40960' }, ms),
              gauge('DCGM_FI_DEV_FB_FREE', { asInt: '40000' }, ms),
              gauge('DCGM_FI_DEV_POWER_USAGE', { asDouble: 301.5 }, ms),
              gauge('DCGM_FI_DEV_GPU_TEMP', { asInt: '66' }, ms),
              {
                name: 'hw.gpu.utilization',
                unit: '1',
                gauge: {
                  dataPoints: [
                    { asDouble: 0.5, attributes: [{ key: 'gpu.uuid', value: { stringValue: 'GPU-2' } }] },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  }
}

/** Paths to the leaves and nodes of an OTLP request (strings and numbers as path parts). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))]
}

const otlpValue = fc.oneof(
  { weight: 3, arbitrary: hostileJson },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'NaN',
      'Infinity',
      '-Infinity',
      '99999999999999999999999999',
      '-1',
      '1e3',
      1e30,
      -1,
      1.5,
      '18446744073709551615',
      '9223372036854775807000000',
      '1',
      'hw.gpu.utilization',
      '%',
      'MiBy',
    ),
  },
  { weight: 1, arbitrary: fc.constant(JSON.parse(deepNesting(2_000)) as unknown) },
)

/** Data point values and timestamps of the GPU gauges, most of them out of range or malformed. */
const pointChange = fc.record({
  metric: fc.nat(5),
  field: fc.constantFrom('asInt', 'asDouble', 'timeUnixNano', 'flags'),
  value: fc.oneof(
    fc.constantFrom(
      '150',
      '101',
      '-1',
      '1e3',
      '4194305',
      '9999999999',
      'NaN',
      'Infinity',
      '-Infinity',
      1e9,
      -5,
      3001,
      151,
      0.5,
      '99999999999999999999999999',
      '18446744073709551615',
      '0',
      1,
    ),
    fc.integer({ min: -3 * 86_400_000, max: 86_400_000 }).map((d) => `${Date.now() + d}000000`),
    hostileJson,
  ),
})

function changePoint(
  body: Record<string, unknown>,
  c: { metric: number; field: string; value: unknown },
): void {
  const metrics =
    (
      body.resourceMetrics as {
        scopeMetrics: { metrics: { gauge: { dataPoints: Record<string, unknown>[] } }[] }[]
      }[]
    )[0]?.scopeMetrics[0]?.metrics ?? []
  const point = metrics[c.metric % metrics.length]?.gauge.dataPoints[0]
  if (!point) return
  if (c.field === 'asInt' || c.field === 'asDouble') {
    delete point.asInt
    delete point.asDouble
  }
  point[c.field] = c.value
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return remove ? {} : value
  let holder = root as Record<string | number, unknown>
  for (const part of path.slice(0, -1)) holder = holder[part] as Record<string | number, unknown>
  const last = path.at(-1) as string | number
  if (remove) {
    if (Array.isArray(holder)) holder.splice(Number(last), 1)
    else delete holder[last]
  } else {
    holder[last] = value
  }
  return root
}

// ---------------------------------------------------------------------------------------------

describe('POST /ingest/v1/prometheus with hostile scrapes', () => {
  it('real scrapes with values, timestamps, labels and lines mutated: 200 with valid rows, or refused', async () => {
    const reasons = new Set<string>()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SCRAPES),
        fc.array(lineMutationArb, { minLength: 1, maxLength: 3 }),
        async (file, mutations) => {
          const text = mutations.reduce(applyLine, fixture(file))
          const answer = await sendChecked(p, promUrl(), text, PROM_HEADERS, `${file} ${show(mutations)}`)
          reasons.add(answer.status === 200 ? 'accepted' : String(answer.body?.error))
        },
      ),
      { seed: SEED, numRuns: 50 },
    )
    expect(reasons.size, [...reasons].join(', ')).toBeGreaterThanOrEqual(3)
  })

  it('arbitrary text, bytes, content types, encodings, tokens and intervals: refused with a reason', async () => {
    const valid = fixture(SCRAPES[0] as string)
    const body = fc.oneof(
      hostileString,
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.constant(valid),
    )
    const headers = fc.record(
      {
        'content-type': fc.constantFrom(
          'text/plain; version=0.0.4',
          'application/openmetrics-text; version=1.0.0',
          'text/plain; charset=utf-16',
          'application/json',
          'application/x-www-form-urlencoded',
          '',
        ),
        authorization: fc.oneof(
          fc.constant(`Bearer ${PROM_TOKEN}`),
          fc.constantFrom(
            '',
            'Bearer',
            'Bearer ',
            `Basic ${PROM_TOKEN}`,
            `Bearer ${PROM_TOKEN} x`,
            `Bearer ${PROM_TOKEN}x`,
          ),
          fc
            .string({ unit: 'binary-ascii', maxLength: 80 })
            .map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, '')}`),
        ),
        'content-encoding': fc.constantFrom('gzip', 'br', 'x-unknown', 'identity'),
      },
      { requiredKeys: ['content-type', 'authorization'] },
    )
    const interval = fc.oneof(
      fc.constant(''),
      fc
        .constantFrom('0', '-1', '1.5', '3601', '1e3', 'NaN', '', '10', '9'.repeat(400))
        .map((v) => `?interval=${v}`),
      // Short enough for the URL to stay under Node's header limit (beyond it: 431 before any route).
      hostileString.map((v) => `?interval=${encodeURIComponent(v.slice(0, 200))}`),
    )
    await fc.assert(
      fc.asyncProperty(body, headers, interval, async (text, h, q) => {
        await sendChecked(p, promUrl(q), text, h, `prometheus ${q}`)
      }),
      { seed: SEED, numRuns: 50 },
    )
  })

  it('still accepts a real scrape', async () => {
    const answer = await sendChecked(
      p,
      promUrl('?interval=15'),
      fixture(SCRAPES[1] as string),
      PROM_HEADERS,
      'valid',
    )
    expect(answer).toMatchObject({ status: 200, body: { accepted: 8 } })
  })
})

describe('POST /v1/metrics (OTLP JSON) with hostile requests', () => {
  it('a real request with any node or leaf replaced or removed: 200 with valid rows, or refused', async () => {
    const reasons = new Set<string>()
    const paths = pathsOf(otlpRequest(0))
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -3_600_000, max: 0 }),
        fc.array(pointChange, { maxLength: 2 }),
        fc.array(fc.tuple(fc.constantFrom(...paths), otlpValue, fc.boolean()), { maxLength: 2 }),
        async (offset, points, changes) => {
          let body: unknown = otlpRequest(Date.now() + offset)
          for (const c of points) changePoint(body as Record<string, unknown>, c)
          for (const [path, value, remove] of changes) {
            try {
              body = setAt(body, path, value, remove)
            } catch {
              // An earlier change removed the holder of this path.
            }
          }
          const what = `otlp ${show(points)} ${show(changes)}`
          const answer = await sendChecked(p, otlpUrl(), JSON.stringify(body), OTLP_HEADERS, what)
          reasons.add(answer.status === 200 ? 'accepted' : String(answer.body?.error))
        },
      ),
      { seed: SEED, numRuns: 60 },
    )
    expect(reasons.size, [...reasons].join(', ')).toBeGreaterThanOrEqual(4)
  })

  it('arbitrary JSON, bytes, content types, encodings and intervals: refused with a reason, or nothing stored', async () => {
    const body = fc.oneof(
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.constantFrom(
        deepNesting(100_000),
        `{"resourceMetrics":${deepNesting(50_000)}}`,
        '{"resourceMetrics":',
      ),
      fc.constant(gzipSync(JSON.stringify(otlpRequest(Date.now()))).subarray(0, 30)),
    )
    const headers = fc.record(
      {
        'content-type': fc.constantFrom(
          'application/json',
          'application/x-protobuf',
          'application/json; charset=utf-16',
          'text/plain',
          '',
        ),
        authorization: fc.constantFrom(`Bearer ${OTEL_TOKEN}`, '', 'Bearer nope-nope-nope-nope'),
        'content-encoding': fc.constantFrom('gzip', 'deflate', 'x-unknown'),
      },
      { requiredKeys: ['content-type', 'authorization'] },
    )
    const interval = fc.constantFrom('', '?interval=0', '?interval=abc', '?interval=3600', '?interval=-5')
    await fc.assert(
      fc.asyncProperty(body, headers, interval, async (b, h, q) => {
        await sendChecked(p, otlpUrl(q), b, h, `otlp raw ${q}`)
      }),
      { seed: SEED, numRuns: 50 },
    )
  })

  it('still accepts a real request (gzip, as the exporter sends it)', async () => {
    const body = gzipSync(JSON.stringify(otlpRequest(Date.now() - 5_000)))
    const stored = await p.stored()
    const answer = await sendChecked(
      p,
      otlpUrl('?interval=10'),
      body,
      { ...OTLP_HEADERS, 'content-encoding': 'gzip' },
      'valid',
    )
    expect(answer).toMatchObject({ status: 200, body: {} })
    expect(await p.stored()).toBe(stored + 2)
  })
})

describe('nothing invalid stored, no other table touched', () => {
  it('holds only valid rows, and touched no table but the telemetry ones and ingest_rejections', async () => {
    expect(await p.invalidStored()).toBe(0)
    const untouched = (counts: TableCounts): TableCounts =>
      Object.fromEntries(
        Object.entries(counts).filter(([k]) => !k.startsWith('telemetry_') && k !== 'ingest_rejections'),
      )
    expect(untouched(await tableCounts(t.db.reader))).toEqual(untouched(before))
  })
})
