import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The real recorded fixtures in shared/, beside the repository; PLUMB_FIXTURES_DIR overrides. */
export const FIXTURES_DIR =
  process.env['PLUMB_FIXTURES_DIR'] ?? fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url))

export function fixture(path: string): string {
  return readFileSync(`${FIXTURES_DIR}/${path}`, 'utf8')
}

export function fixtureDir(dir: string): string[] {
  return readdirSync(`${FIXTURES_DIR}/${dir}`).sort()
}
