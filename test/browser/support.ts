import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { ARTIFACTS_DIR } from '../support/browser.js'

const require = createRequire(import.meta.url)
const AXE = require.resolve('axe-core/axe.min.js')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE })
  // Page-side code as a string: this project's TypeScript has no DOM types outside web/.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  })()`)
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true })
}

/** Until no tile, chart or table of the page is loading any more. */
export async function settled(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    `document.querySelector('main h1') !== null &&
     document.querySelectorAll('[aria-busy="true"], [data-status="loading"], [data-state="loading"]').length === 0`,
    undefined,
    { timeout, polling: 100 },
  )
}
