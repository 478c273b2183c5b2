import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

// The GraphQL explorer (GraphiQL, React), built apart from the Vue dashboard into web/dist/explorer
// and after it, since the dashboard's build empties web/dist. The server answers a browser's GET
// /graphql with this index.html; the assets are served under /explorer/.
export default defineConfig({
  root,
  base: '/explorer/',
  build: {
    outDir: '../dist/explorer',
    emptyOutDir: true,
    sourcemap: false,
    // GraphiQL with CodeMirror and graphql-js is one ~850 kB app, loaded only by the explorer.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React's "use client" directives mean nothing in a client-only bundle.
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
})
