import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_DIR } from '../../ingest/store/paths.js'
import { schemaText } from '../../server/schema-text.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

describe('schema.graphql', () => {
  it('matches the schema the code generates (run `npm run schema` after an intended change)', () => {
    const committed = readFileSync(join(ROOT_DIR, 'schema.graphql'), 'utf8')
    expect(schemaText(t.app)).toBe(committed)
  })
})
