import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { ROOT_DIR } from '../../ingest/store/paths.js'

/** Debian's Chromium, never a downloaded browser. */
export const CHROMIUM = process.env.PLUMB_CHROMIUM ?? '/usr/bin/chromium'

export const ARTIFACTS_DIR = join(ROOT_DIR, 'test', 'artifacts')

export function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}
