import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, launchBrowser } from '../support/browser.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
let browser: Browser

beforeAll(async () => {
  t = await startTestApp()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

describe('dashboard in Chromium', () => {
  it('shows the five networks from GraphQL on the compare page', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(t.url)
    const cards = page.locator('[data-network]')
    await cards.first().waitFor()
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-network')))).toEqual([
      'render',
      'ionet',
      'aethir',
      'nosana',
      'akash',
    ])
    await expect.poll(() => page.locator('figure.chart svg').count()).toBe(1)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'compare-1440.png'), fullPage: true })
  })

  it('opens a network page by its URL, and not-disclosed reads as such', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`${t.url}/networks/render`)
    await page.getByRole('heading', { name: 'Render', level: 1 }).waitFor()
    const jobSuccess = page.locator('tr', { hasText: 'job success' })
    expect(await jobSuccess.locator('.badge').innerText()).toBe('not disclosed')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'network-390.png'), fullPage: true })
  })
})
