import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { formatValue } from '../../web/src/lib/format.js'
import { launchBrowser } from '../support/browser.js'
import { openDemoDb } from '../support/demo-db.js'
import type { TempDb } from '../support/temp-db.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { screenshot, seriousViolations, settled } from './support.js'

let temp: TempDb
let t: TestApp
let browser: Browser
let ids: string[]
const pageErrors: string[] = []
const POLL = { timeout: 30_000, interval: 200 }

interface Measure {
  value: number | null
  provenance: string
}
interface Tile {
  metric: string
  unit: string
  value: number | null
  previous: number | null
  provenance: string
}
interface CompareAnswer {
  compare: {
    range: { from: string; to: string }
    networks: { network: { id: string }; tiles: Tile[]; series: { metric: string; points: unknown[] }[] }[]
  }
}
type Funnel = Record<'listed' | 'online' | 'busy' | 'verified', Measure>

async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await t.graphql<T>(query, variables)
  expect(res.errors).toBeUndefined()
  if (!res.data) throw new Error('no data')
  return res.data
}

async function compare(range: object, granularity = 'DAY'): Promise<CompareAnswer['compare']> {
  const data = await api<CompareAnswer>(
    `query($networks: [ID!]!, $range: RangeInput, $granularity: Granularity!) {
      compare(networks: $networks, range: $range, granularity: $granularity, previous: true) {
        range { from to }
        networks { network { id } tiles { metric unit value previous provenance } series { metric points { start } } }
      }
    }`,
    { networks: ids, range, granularity },
  )
  return data.compare
}

async function open(path: string, width = 1440, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme })
  page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`))
  await page.goto(`${t.url}${path}`)
  await settled(page)
  return page
}

const buckets = (page: Page, chart: string) =>
  page.locator(`[data-chart="${chart}"]`).getAttribute('data-buckets')

beforeAll(async () => {
  temp = await openDemoDb({ days: 14 })
  // The pages fire a few dozen requests each; the per-IP rate limit is not what is tested here.
  t = await startTestApp({ PLUMB_API_RATE_LIMIT: '1000000' }, { temp })
  browser = await launchBrowser()
  ids = (await api<{ networks: { id: string }[] }>('{ networks { id } }')).networks.map((n) => n.id)
}, 600_000)
afterAll(async () => {
  await browser?.close()
  await t?.close()
  await temp?.dispose()
})

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([])
})

describe('compare page in Chromium, over 14 days of the demo world', () => {
  it('shows, for every network, the values the API returns', async () => {
    const page = await open('/?range=7d')
    expect(
      await page.locator('[data-network]').evaluateAll((els) => els.map((e) => e.dataset.network)),
    ).toEqual(ids)
    const answer = await compare({ preset: 'D7' })
    for (const { network, tiles } of answer.networks) {
      const column = page.locator(`article[data-network="${network.id}"]`)
      for (const metric of ['demand', 'subsidy', 'subsidy_ratio', 'time_utilization', 'job_success']) {
        const tile = tiles.find((x) => x.metric === metric)
        if (!tile) throw new Error(`API has no ${metric} tile`)
        const el = column.locator(`[data-metric="${metric}"]`)
        const where = `${network.id} ${metric}`
        if (tile.provenance === 'none') {
          expect(await el.getAttribute('data-status'), where).toBe('not-disclosed')
          expect(await el.innerText(), where).toContain('not disclosed')
        } else if (tile.value === null) {
          expect(await el.getAttribute('data-status'), where).toBe('no-data')
        } else {
          expect(Number(await el.getAttribute('data-value')), where).toBe(tile.value)
          expect(await el.locator('.value').innerText(), where).toBe(formatValue(tile.value, tile.unit))
          if (tile.previous !== null) {
            expect(await el.locator('.previous').innerText(), where).toContain(
              formatValue(tile.previous, tile.unit),
            )
          }
        }
      }
      const extras = await api<{
        supply: { totals: Funnel }
        reliability: { jobSuccess: { jobs: number | null } }
      }>(
        `query($network: ID!) {
          supply(network: $network, range: { preset: D7 }) {
            totals { listed { value provenance } online { value provenance } busy { value provenance } verified { value provenance } }
          }
          reliability(network: $network, range: { preset: D7 }) { jobSuccess { jobs } }
        }`,
        { network: network.id },
      )
      for (const stage of ['listed', 'online', 'busy', 'verified'] as const) {
        const m = extras.supply.totals[stage]
        const el = column.locator(`[data-metric="${stage}_gpus"]`)
        if (m.provenance === 'none') expect(await el.getAttribute('data-status')).toBe('not-disclosed')
        else if (m.value !== null) {
          expect(await el.locator('.value').innerText(), `${network.id} ${stage}`).toBe(
            formatValue(m.value, 'gpus'),
          )
        }
      }
      const jobs = extras.reliability.jobSuccess.jobs
      if (jobs !== null) expect(await column.locator('[data-n]').innerText()).toBe(`n = ${jobs}`)
    }
    await screenshot(page, 'compare-1440')
    const mobile = await open('/?range=7d', 390)
    expect(await mobile.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await screenshot(mobile, 'compare-390')
  })

  it('shows a metric a network cannot disclose as not disclosed, not as zero', async () => {
    const page = await open('/')
    const render = page.locator('article[data-network="render"] [data-metric="job_success"]')
    expect(await render.getAttribute('data-status')).toBe('not-disclosed')
    expect(await render.innerText()).toContain('not disclosed')
    expect(await render.innerText()).not.toMatch(/\d/)
    const akash = page.locator('[data-chart="economics-akash"]')
    expect(await akash.getAttribute('data-state')).toBe('empty')
    expect(await akash.innerText()).toContain('Not disclosed')
  })

  it('changing the range updates the URL and the charts; back restores them', async () => {
    const page = await open('/')
    const d30 = await compare({ preset: 'D30' })
    expect(await buckets(page, 'utilisation')).toBe(String(d30.networks[0]?.series[0]?.points.length))

    await page.locator('button[data-range="7d"]').click()
    await page.waitForURL(/range=7d/)
    await expect.poll(() => buckets(page, 'utilisation'), POLL).toBe('7')
    expect(await page.locator('button[data-range="7d"]').getAttribute('aria-pressed')).toBe('true')

    await page.locator('select[name="granularity"]').selectOption('hour')
    await page.waitForURL(/g=hour/)
    const hourly = await compare({ preset: 'D7' }, 'HOUR')
    await expect
      .poll(() => buckets(page, 'utilisation'), POLL)
      .toBe(String(hourly.networks[0]?.series[0]?.points.length))

    await page.goBack()
    await page.waitForURL((url) => !url.search.includes('g=hour'))
    await expect.poll(() => buckets(page, 'utilisation'), POLL).toBe('7')
    await page.goBack()
    await page.waitForURL((url) => !url.search.includes('range='))
    await expect
      .poll(() => buckets(page, 'utilisation'), POLL)
      .toBe(String(d30.networks[0]?.series[0]?.points.length))
  })

  it('reloading a URL restores its view', async () => {
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10)
    const [from, to] = [day(10), day(3)]
    const path = `/?range=custom&from=${from}&to=${to}&g=day&prev=0`
    const page = await open(path)
    await page.reload()
    await settled(page)
    expect(new URL(page.url()).search).toBe(new URL(`${t.url}${path}`).search)
    expect(await page.locator('button[data-range="custom"]').getAttribute('aria-pressed')).toBe('true')
    expect(await page.locator('input[name="from"]').inputValue()).toBe(from)
    expect(await page.locator('input[name="previous"]').isChecked()).toBe(false)
    expect(await buckets(page, 'utilisation')).toBe('8')
    expect(await page.locator('[data-metric="demand"] .previous').count()).toBe(0)

    const weekly = await open('/?range=90d&g=week')
    expect(await weekly.locator('select[name="granularity"]').inputValue()).toBe('week')
    const answer = await compare({ preset: 'D90' }, 'WEEK')
    expect(await buckets(weekly, 'utilisation')).toBe(String(answer.networks[0]?.series[0]?.points.length))
  })
})

describe('network, rent, node and methods pages', () => {
  it('network page: the cohort heatmap renders the API’s cohorts', async () => {
    const page = await open('/networks/nosana?range=30d&cohort=week')
    await page.getByRole('heading', { name: 'Nosana', level: 1 }).waitFor()
    const chart = page.locator('[data-chart="cohorts"]')
    expect(await chart.getAttribute('data-state')).toBe('ready')
    const data = await api<{ retention: { cohorts: { cohort: string }[] } }>(
      `{ retention(network: "nosana", range: { preset: D30 }, cohort: WEEK) { cohorts { cohort } } }`,
    )
    const cohorts = new Set(data.retention.cohorts.map((c) => c.cohort))
    expect(cohorts.size).toBeGreaterThan(0)
    const labels = await chart.locator('svg text').allTextContents()
    expect(labels.filter((l) => l.startsWith('week of')).length).toBe(cohorts.size)
    for (const name of ['success-by-model', 'prices', 'concentration']) {
      expect(await page.locator(`[data-chart="${name}"]`).getAttribute('data-state'), name).toBe('ready')
    }
    expect(await page.locator('[data-table="settlements"] tbody tr').count()).toBeGreaterThan(0)
    expect(await page.locator('[data-table="settlements"] a[href^="https://"]').count()).toBeGreaterThan(0)
    await screenshot(page, 'network-1440')
    await screenshot(await open('/networks/nosana?range=30d', 390), 'network-390')
  })

  it('network page: what a network cannot disclose reads as not disclosed', async () => {
    const page = await open('/networks/render')
    const chart = page.locator('[data-chart="success-by-model"]')
    expect(await chart.getAttribute('data-state')).toBe('empty')
    expect(await chart.innerText()).toContain('Not disclosed')
    const jobSuccess = page.locator('tr', { hasText: 'job success' })
    expect(await jobSuccess.locator('.badge').innerText()).toBe('not disclosed')
    expect(await page.locator('[data-table="nodes"] tbody tr').count()).toBeGreaterThan(0)
  })

  it('rent check ranks networks and nodes, each with its n, and opens a node’s history', async () => {
    const page = await open('/rent')
    const model = await page.locator('select[name="model"]').inputValue()
    expect(model).not.toBe('')
    const rows = page.locator('[data-table="rent-networks"] tbody tr')
    expect(await rows.count()).toBeGreaterThan(0)
    for (const id of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-network') ?? ''))) {
      const data = await api<{ reliability: { jobSuccess: { jobs: number | null; provenance: string } } }>(
        `query($n: ID!, $m: String) { reliability(network: $n, gpuModel: $m, range: { preset: D30 }) { jobSuccess { jobs provenance } } }`,
        { n: id, m: model },
      )
      const cell = page.locator(`[data-table="rent-networks"] tr[data-network="${id}"] td`).first()
      const js = data.reliability.jobSuccess
      if (js.provenance === 'none') expect(await cell.innerText()).toContain('not disclosed')
      else expect(await cell.innerText()).toContain(`n = ${js.jobs} jobs`)
    }
    await screenshot(page, 'rent-1440')

    await page.locator('select[name="vram"]').selectOption('80')
    await page.waitForURL(/vram=80/)
    await settled(page)
    for (const text of await page.locator('select[name="model"] option').allInnerTexts())
      expect(text).toContain('80+')

    await page.goBack()
    await page.waitForURL((url) => !url.search.includes('vram'))
    await settled(page)
    const node = page.locator('[data-table="rent-nodes"] tbody tr a').first()
    const nodeId = await node.innerText()
    await node.click()
    await page.getByRole('heading', { name: nodeId, level: 1 }).waitFor()
    await settled(page)
    expect(await page.locator('[data-chart="node-history"]').getAttribute('data-state')).toBe('ready')
    expect(
      Number(await page.locator('[data-chart="node-history"]').getAttribute('data-buckets')),
    ).toBeGreaterThan(0)
    await screenshot(page, 'node-1440')
    const mobile = await open(new URL(page.url()).pathname, 390)
    await screenshot(mobile, 'node-390')
    await screenshot(await open('/rent', 390), 'rent-390')
  })

  it('methods page: every metric with its SQL, each source’s freshness, GraphQL and exports', async () => {
    const page = await open('/methods')
    const data = await api<{
      metricDefinitions: { id: string; sql: string }[]
      _meta: { sources: unknown[] }
    }>('{ metricDefinitions { id sql } _meta { sources { sourceId } } }')
    const ids = await page
      .locator('[data-metric-definition]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-metric-definition')))
    expect(ids).toEqual(data.metricDefinitions.map((d) => d.id))
    for (const d of data.metricDefinitions) {
      expect(await page.locator(`[data-metric-definition="${d.id}"] pre`).textContent()).toBe(d.sql)
    }
    expect(await page.locator('[data-table="sources"] tbody tr').count()).toBe(data._meta.sources.length)
    expect(await page.locator('a[href="/graphql"]').count()).toBeGreaterThan(0)
    const csv = await page
      .locator('[data-table="exports"] a[href^="/export/economics.csv"]')
      .getAttribute('href')
    const res = await fetch(`${t.url}${csv}`)
    expect(res.status).toBe(200)
    expect((await res.text()).split('\n')[0]).toContain('network')
    await screenshot(page, 'methods-1440')
    await screenshot(await open('/methods', 390), 'methods-390')
  })

  it(
    'has no serious or critical accessibility violation on any page (axe-core)',
    { timeout: 240_000 },
    async () => {
      const pages = ['/', '/networks/nosana', '/networks/render', '/rent', '/methods']
      const rent = await open('/rent')
      const nodeHref = await rent.locator('[data-table="rent-nodes"] tbody tr a').first().getAttribute('href')
      if (nodeHref) pages.push(nodeHref)
      for (const path of pages) {
        for (const [width, scheme] of [
          [1440, 'light'],
          [390, 'dark'],
        ] as const) {
          const page = await open(path, width, scheme)
          expect(await seriousViolations(page), `${path} at ${width} px, ${scheme}`).toEqual([])
          await page.close()
        }
      }
    },
  )
})
