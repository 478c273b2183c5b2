import swc from 'unplugin-swc'
import { defineConfig } from 'vitest/config'

// NestJS needs decorator metadata, which esbuild does not emit: swc compiles the TypeScript here.
// chdb binds one data directory per process, so every test file runs in its own forked process.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
})
