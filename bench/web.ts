/**
 * Weight and speed of the dashboard, in Chromium against the demo world:
 *
 *   node --import @swc-node/register/esm-register bench/web.ts [--runs 5] [--days 30] [--url http://127.0.0.1:3300]
 *
 * - builds web/ (vite, as `npm run build:web`);
 * - serves it with the real server over a fresh database holding `days` of the demo world (or uses
 *   --url, e.g. a running `npm start`);
 * - per route, the JavaScript the browser loads until the page has drawn (gzip -9 of each file as
 *   built, so the figure does not depend on the server's compression);
 * - time to the first chart of the compare page: navigation start → the first chart card in state
 *   "ready" with its SVG drawn, in a fresh browser context each run (cold cache), median and worst.
 * Targets: compare route ≤ 300 KB gzip, first chart ≤ 1.5 s on localhost.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { ROOT_DIR } from '../ingest/store/paths.js'
import { launchBrowser } from '../test/support/browser.js'
import { openDemoDb } from '../test/support/demo-db.js'
import { startTestApp } from '../test/support/test-app.js'
import { report } from './report.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    days: { type: 'string', default: '30' },
    url: { type: 'string' },
  },
})
const RUNS = Number(values.runs)
const DIST = join(ROOT_DIR, 'web', 'dist')
const TARGET_KB = 300
const TARGET_MS = 1500

const kb = (bytes: number) => (bytes / 1024).toFixed(1)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

/** gzip -9 of each JS file the page loaded until `ready` holds. */
async function routeWeight(
  browser: Browser,
  url: string,
  ready: string,
): Promise<{ files: number; gzip: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  const scripts = new Set<string>()
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname)
  })
  await page.goto(url)
  await page.waitForSelector(ready, { timeout: 60_000, state: 'attached' })
  await page.waitForLoadState('networkidle')
  await context.close()
  let gzip = 0
  for (const path of scripts) gzip += gzipSync(readFileSync(join(DIST, path)), { level: 9 }).length
  return { files: scripts.size, gzip }
}

/** ms from navigation start to the first drawn chart, observed in the page itself. */
async function firstChart(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  // Page-side code as strings: this project's TypeScript has no DOM types outside web/.
  await page.addInitScript({
    content: `new MutationObserver((_, observer) => {
      if (document.querySelector('figure[data-state="ready"] svg path')) {
        window.__firstChart = performance.now()
        observer.disconnect()
      }
    }).observe(document, { subtree: true, childList: true, attributes: true })`,
  })
  await page.goto(url)
  const ms = await page.waitForFunction('window.__firstChart', undefined, { timeout: 60_000, polling: 50 })
  const value = (await ms.jsonValue()) as number
  // Let the page finish its other requests, so the next run does not queue behind them on the server.
  await page.waitForLoadState('networkidle')
  await context.close()
  return value
}

console.log('building web/ …')
await build({ configFile: join(ROOT_DIR, 'web', 'vite.config.ts'), logLevel: 'warn' })

let close = async () => {}
let base = values.url
if (!base) {
  console.log(`preparing ${values.days} days of the demo world …`)
  const temp = await openDemoDb({ days: Number(values.days) })
  const app = await startTestApp({ PLUMB_API_RATE_LIMIT: '1000000' }, { temp })
  base = app.url
  close = async () => {
    await app.close()
    await temp.dispose()
  }
}

const browser = await launchBrowser()
try {
  const ready = 'figure[data-state="ready"] svg path'
  const routes = [
    { route: 'compare (/)', path: '/', ready },
    { route: 'network (/networks/nosana)', path: '/networks/nosana', ready },
    { route: 'rent (/rent)', path: '/rent', ready: '[data-table="rent-networks"]' },
    { route: 'methods (/methods)', path: '/methods', ready: '[data-metric-definition]' },
  ]
  console.log('\nJavaScript loaded per route (gzip -9, as built)')
  console.log('| route | files | KB gzip | target |')
  console.log('|---|---:|---:|---|')
  let compareKb = NaN
  for (const r of routes) {
    const w = await routeWeight(browser, `${base}${r.path}`, r.ready)
    if (r.path === '/') compareKb = w.gzip / 1024
    console.log(`| ${r.route} | ${w.files} | ${kb(w.gzip)} | ${r.path === '/' ? `≤ ${TARGET_KB}` : ''} |`)
  }

  await firstChart(browser, `${base}/`) // warm the server's caches and the OS page cache once
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) times.push(await firstChart(browser, `${base}/`))
  const p50 = median(times)
  const worst = Math.max(...times)
  console.log(`\nTime to the first chart on the compare page (${RUNS} cold-cache runs)`)
  console.log('| figure | value | target | ok |')
  console.log('|---|---:|---:|---|')
  console.log(
    `| initial JS, compare route | ${compareKb.toFixed(1)} KB | ≤ ${TARGET_KB} KB | ${compareKb <= TARGET_KB ? 'yes' : 'NO'} |`,
  )
  console.log(
    `| first chart, median | ${p50.toFixed(0)} ms | ≤ ${TARGET_MS} ms | ${p50 <= TARGET_MS ? 'yes' : 'NO'} |`,
  )
  console.log(`| first chart, worst | ${worst.toFixed(0)} ms | | |`)
  console.log(`| runs (ms) | ${times.map((t) => t.toFixed(0)).join(', ')} | | |`)
  report({
    name: 'initial JS, compare route (gzip -9)',
    value: compareKb,
    unit: 'KB',
    target: { op: '<=', value: TARGET_KB },
  })
  report({
    name: 'first chart, compare page, median',
    value: p50,
    unit: 'ms',
    target: { op: '<=', value: TARGET_MS },
  })
  report({ name: 'first chart, compare page, worst', value: worst, unit: 'ms' })
} finally {
  await browser.close()
  await close()
}
