import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLES, type ExplorerExample } from '../../web/explorer/examples.js'
import { launchBrowser } from '../support/browser.js'
import { openDemoDb } from '../support/demo-db.js'
import type { TempDb } from '../support/temp-db.js'
import { startTestApp, type TestApp } from '../support/test-app.js'
import { screenshot } from './support.js'

/** The GraphQL explorer at /graphql in Chromium: bundled, offline, prefilled with the examples. */

let temp: TempDb
let t: TestApp
let browser: Browser

interface Visit {
  page: Page
  requests: string[]
  problems: string[]
}

function example(name: string): ExplorerExample {
  const found = EXAMPLES.find((e) => e.name === name)
  if (!found) throw new Error(`no example ${name}`)
  return found
}

async function openExplorer(): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })
  const requests: string[] = []
  const problems: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`))
  page.on('pageerror', (e) => problems.push(`error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`)
  })
  await page.goto(`${t.url}/graphql`)
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 })
  return { page, requests, problems }
}

/** Page-side: the CodeMirror 5 editor in `selector` (CodeMirror hangs itself on its wrapper element). */
const editor = (selector: string) => `document.querySelector('${selector} .CodeMirror')?.CodeMirror`

/**
 * Runs the example of the active tab and returns the response pane's JSON once it answers `field`
 * (or errors). GraphiQL reads the operation name from its query editor, which it updates 100 ms
 * after a tab switch: until then it would run the previous tab's operation.
 */
async function run(page: Page, operation: string, field: string): Promise<unknown> {
  await page.waitForFunction(`${editor('.graphiql-query-editor')}?.operationName === '${operation}'`)
  await page.locator('.graphiql-execute-button').click()
  const text = await page.waitForFunction(
    `(() => {
      const value = ${editor('.result-window')}?.getValue() ?? ''
      return value.includes('"${field}"') || value.includes('"errors"') ? value : false
    })()`,
    undefined,
    { timeout: 30_000, polling: 100 },
  )
  return JSON.parse((await text.jsonValue()) as string)
}

beforeAll(async () => {
  temp = await openDemoDb({ days: 7 })
  t = await startTestApp({}, { temp })
  browser = await launchBrowser()
}, 600_000)
afterAll(async () => {
  await browser?.close()
  await t?.close()
  await temp?.dispose()
})

describe('GraphQL explorer in Chromium', () => {
  it('renders with one tab per example, runs them, and asks nothing of any other host', async () => {
    const { page, requests, problems } = await openExplorer()
    const tabs = page.locator('.graphiql-tab')
    await expect.poll(() => tabs.count()).toBe(EXAMPLES.length)
    expect(await tabs.allInnerTexts()).toEqual(EXAMPLES.map((e) => e.name))
    // The schema arrived by introspection: the documentation explorer can list the root fields.
    await page.locator('button[aria-label="Show Documentation Explorer"]').click()
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).waitFor()
    await page.locator('button[aria-label="Hide Documentation Explorer"]').click()

    const compare = example('CompareNetworks')
    const shown = await run(page, compare.name, 'compare')
    expect(shown).toEqual(await t.graphql(compare.query, compare.variables))
    expect(JSON.stringify(shown)).toContain('"render"')
    await screenshot(page, 'explorer-1440')

    await tabs.filter({ hasText: 'TokenFlows' }).click()
    const flows = (await run(page, 'TokenFlows', 'tokenFlows')) as {
      data?: { tokenFlows: { edges: unknown[] } }
    }
    expect(flows.data?.tokenFlows.edges, JSON.stringify(flows).slice(0, 500)).toHaveLength(20)

    const elsewhere = requests.filter((url) => {
      const { protocol, hostname } = new URL(url)
      return !['data:', 'blob:'].includes(protocol) && hostname !== '127.0.0.1'
    })
    expect(elsewhere).toEqual([])
    expect(requests.some((url) => url.includes('/explorer/assets/'))).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })
})
