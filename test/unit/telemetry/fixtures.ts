import { readdirSync, readFileSync } from 'node:fs'

/** /work/shared/fixtures, beside the repository. */
const FIXTURES = new URL('../../../../shared/fixtures/', import.meta.url)

export function fixture(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8')
}

export function fixtureDir(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, FIXTURES)).sort()
}
