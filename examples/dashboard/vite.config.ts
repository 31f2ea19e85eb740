import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const api = process.env.KATES_PROXY ?? 'http://127.0.0.1:8001';

/**
 * The dashboard's browser bundle. The kates packages are taken from their sources, so the bundle
 * never waits for `tsc -b`; the browser entry of core (`@kates/core/browser`) has no Node transport.
 * `npm run dev` proxies the API to a running `server.js` (KATES_PROXY, default port 8001).
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@kates\/core\/browser$/, replacement: here('../../packages/core/src/browser.ts') },
      { find: /^@kates\/react$/, replacement: here('../../packages/react/src/index.ts') },
    ],
  },
  build: { outDir: here('dist/web'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': api, '/apis': api, '/version': api, '/kates': api } },
});
