/**
 * The synthetic page of the browser benchmark, built and served: shared by run.mjs (numbers) and
 * profile.mjs (where the time goes).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const source = (p) => here(`../../packages/${p}`);

/**
 * Builds the synthetic page: production React with the Profiler kept (react-dom/profiling).
 * `minify: false` keeps function names for a CPU profile.
 */
export async function buildPage(outDir, { minify = true } = {}) {
  await build({
    root: here('./page'),
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^react-dom\/client$/, replacement: 'react-dom/profiling' },
        { find: /^@kates\/core\/browser$/, replacement: source('core/src/browser.ts') },
        { find: /^@kates\/core\/internal$/, replacement: source('core/src/internal.ts') },
        { find: /^@kates\/react$/, replacement: source('react/src/index.ts') },
      ],
    },
    build: { outDir, emptyOutDir: true, minify },
  });
}

/**
 * Cross-origin isolation: `performance.now()` then ticks in 5 us rather than 100 us, fine enough
 * for the time of one event. Every resource of the page is same-origin, so nothing else changes.
 */
const isolated = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** Serves `dir` on a loopback port, cross-origin isolated; resolves to the server. */
export function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (req, res) => {
    const path = resolve(dir, `.${new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html')}`);
    if (!path.startsWith(dir + sep)) return res.writeHead(404).end();
    try {
      const body = await readFile(path);
      res
        .writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', ...isolated })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
