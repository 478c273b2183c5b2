import { fileURLToPath } from 'node:url'

/** The repository root, whether running from source (tsx, vitest) or from dist/ (node). */
function findRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url))
  const marker = '/ingest/store/'
  const cut = here.lastIndexOf(marker)
  const root = here.slice(0, cut)
  return root.endsWith('/dist') ? root.slice(0, -'/dist'.length) : root
}

export const ROOT_DIR = findRoot()
export const SQL_DIR = `${ROOT_DIR}/sql`
