import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * `npm run bench`: runs every benchmark in bench/ (each a script that prints its own table of
 * figures, baselines and ratios), one at a time so they do not compete for the 2 cores.
 * Extra arguments are passed to each benchmark.
 */
const dir = fileURLToPath(new URL('.', import.meta.url))
const HELPERS = new Set(['run.ts', 'telemetry-client.ts'])
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !HELPERS.has(f))
  .sort()

function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', `${dir}${file}`, ...process.argv.slice(2)],
      { stdio: 'inherit' },
    )
    child.on('exit', (code) => resolve(code ?? 1))
  })
}

const failed: string[] = []
for (const file of benches) {
  console.log(`\n=== bench/${file} ===`)
  const started = Date.now()
  const code = await run(file)
  console.log(
    `=== bench/${file}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
  if (code !== 0) failed.push(file)
}
if (failed.length > 0) {
  console.error(`\nbenchmarks that failed: ${failed.join(', ')}`)
  process.exitCode = 1
}
