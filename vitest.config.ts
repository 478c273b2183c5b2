import { createRequire } from 'node:module'
import swc from 'unplugin-swc'
import { defineConfig } from 'vitest/config'

// NestJS needs decorator metadata, which esbuild does not emit: swc compiles the TypeScript here.
// chdb binds one data directory per process, so every test file runs in its own forked process.
const require = createRequire(import.meta.url)

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  // Node resolves `graphql` to its CommonJS build, as NestJS does; vite would pick the .mjs one and
  // the schema's types would come from two copies of graphql.
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // Rejections and rollups are written asynchronously; a loaded 2-core CI machine needs more than 1 s.
    expect: { poll: { timeout: 15_000 } },
  },
})
