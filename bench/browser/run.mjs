#!/usr/bin/env node
/**
 * Browser benchmark: 10k pods with 100 watch events/s of churn, rendered by React 19 in Chromium.
 * Compares the kates hooks (per-row subscriptions over the store) with a naive hook that copies
 * the list on every event, each virtualized and with every row in the DOM, and runs the example
 * dashboard end to end. Reports React commit times (Profiler, production profiling build) and
 * frame times (requestAnimationFrame), and writes bench/out/browser.md.
 *
 *   node bench/browser/run.mjs [--pods 10000] [--rate 100] [--seconds 10] [--repeat 3]
 *        [--variants kates,naive,kates-all,naive-all,dashboard]
 *
 * `dashboard` is the whole pipeline: the example dashboard served by its server.js on the embedded
 * API server with `pods` synthetic pods and `rate` status patches a second, through the proxy, the
 * browser transport, the reflector, the store and the hooks. It needs `tsc -b` (examples/dashboard/
 * dist/node/server.js) and is left out, with a note, without it. Each variant runs `repeat` times;
 * the table shows the run with the median frame p95.
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM=path) and the root devDependencies (vite,
 * @vitejs/plugin-react, playwright-core). It builds its pages with vite.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../../packages/testing/dist/browser/chromium.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'kates,naive,kates-all,naive-all,dashboard' },
    out: { type: 'string', default: here('../out/browser.md') },
  },
});
const seconds = Number(values.seconds);

const source = (p) => here(`../../packages/${p}`);

/** Builds the synthetic page: production React with the Profiler kept (react-dom/profiling). */
async function buildPage(outDir) {
  await build({
    root: here('./page'),
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^react-dom\/client$/, replacement: 'react-dom/profiling' },
        { find: /^@kates\/core\/browser$/, replacement: source('core/src/browser.ts') },
        { find: /^@kates\/react$/, replacement: source('react/src/index.ts') },
      ],
    },
    build: { outDir, emptyOutDir: true, minify: true },
  });
}

function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (req, res) => {
    const path = resolve(dir, `.${new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html')}`);
    if (!path.startsWith(dir + sep)) return res.writeHead(404).end();
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const pct = (xs, p) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const f1 = (x) => (x === undefined ? '-' : x.toFixed(1));

/** One run of the synthetic page. */
async function runSynthetic(context, base, variant) {
  const page = await context.newPage();
  const q = new URLSearchParams({ variant, pods: values.pods, rate: values.rate, seconds: values.seconds });
  await page.goto(`${base}?${q}`);
  await page.waitForFunction(() => window.__bench !== undefined, undefined, {
    timeout: (seconds + 120) * 1000,
    polling: 500,
  });
  const r = await page.evaluate(() => window.__bench);
  await page.close();
  if (r.error) throw new Error(`${variant}: ${r.error}`);
  return r;
}

/** Frames, long tasks and pods-query events of the dashboard page, measured in the page. */
function measureDashboard(duration) {
  const eventsOf = () => Number(document.querySelector('[data-testid="status-pods"]').dataset.events);
  return new Promise((resolve) => {
    const frames = [];
    const longTasks = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    });
    observer.observe({ type: 'longtask' });
    const before = eventsOf();
    let last = performance.now();
    const end = last + duration;
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (now < end) return requestAnimationFrame(tick);
      observer.disconnect();
      const memory = performance.memory;
      resolve({
        events: eventsOf() - before,
        commits: [],
        ingest: [],
        frames,
        longTasks,
        heapMB: memory ? Math.round(memory.usedJSHeapSize / 1048576) : undefined,
      });
    };
    requestAnimationFrame(tick);
  });
}

/** One run of the example dashboard on the embedded API server. */
async function runDashboard(context, dashboard) {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(dashboard.url);
  await page.locator('[data-testid="status-pods"][data-phase="synced"]').waitFor({ timeout: 120_000 });
  const syncedMs = Date.now() - started;
  await page.waitForTimeout(1500);
  const r = await page.evaluate(measureDashboard, seconds * 1000);
  await page.close();
  return { ...r, syncedMs };
}

function summarize(variant, r) {
  const span = sum(r.frames) / 1000;
  return {
    variant,
    events: r.events,
    ingestP50: r.ingest.length ? pct(r.ingest, 50) : undefined,
    ingestP95: r.ingest.length ? pct(r.ingest, 95) : undefined,
    commits: r.commits.length,
    commitP50: pct(r.commits, 50),
    commitP95: pct(r.commits, 95),
    commitMax: Math.max(0, ...r.commits),
    reactMsPerS: sum(r.commits) / span,
    busyMsPerS: (sum(r.commits) + sum(r.ingest)) / span,
    fps: r.frames.length / span,
    frameP50: pct(r.frames, 50),
    frameP95: pct(r.frames, 95),
    frameP99: pct(r.frames, 99),
    frameMax: Math.max(0, ...r.frames),
    longFrames: r.frames.filter((f) => f > 50).length,
    blockingMs: sum(r.longTasks.map((t) => Math.max(0, t - 50))),
    heapMB: r.heapMB,
    syncedMs: r.syncedMs,
  };
}

function row(r) {
  const ingest = r.ingestP50 === undefined ? '-' : `${r.ingestP50.toFixed(2)} / ${r.ingestP95.toFixed(2)}`;
  const commits = r.commits ? `${r.commits}` : '-';
  const commitTimes = r.commits ? `${f1(r.commitP50)} / ${f1(r.commitP95)} / ${f1(r.commitMax)}` : '-';
  const react = r.commits ? f1(r.reactMsPerS) : '-';
  const busy = r.commits ? f1(r.busyMsPerS) : '-';
  return (
    `| ${r.variant} | ${r.events} | ${ingest} | ${commits} | ${commitTimes} | ${react} | ${busy} | ${f1(r.fps)} ` +
    `| ${f1(r.frameP50)} / ${f1(r.frameP95)} / ${f1(r.frameP99)} / ${f1(r.frameMax)} | ${r.longFrames} ` +
    `| ${Math.round(r.blockingMs)} | ${r.heapMB ?? '-'} |`
  );
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'kates-bench-browser-'));
  const variants = values.variants.split(',');
  const notes = [];
  const web = join(work, 'web');
  await buildPage(web);
  const server = await serve(web);
  const base = `http://127.0.0.1:${server.address().port}/`;
  let dashboard;
  const serverJs = here('../../examples/dashboard/dist/node/server.js');
  if (variants.includes('dashboard')) {
    if (existsSync(serverJs)) {
      const dashWeb = join(work, 'dashboard');
      await build({
        configFile: here('../../examples/dashboard/vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: dashWeb, sourcemap: false },
      });
      const { startDashboard } = await import(pathToFileURL(serverJs).href);
      dashboard = await startDashboard({
        port: 0,
        staticDir: dashWeb,
        pods: Number(values.pods),
        churn: Number(values.rate),
      });
    } else {
      notes.push(
        '`dashboard` left out: examples/dashboard/dist/node/server.js is missing (run `npx tsc -b` first).',
      );
    }
  }
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    ...chromiumLaunchOptions(),
    viewport: { width: 1280, height: 900 },
  });
  const rows = [];
  try {
    for (const variant of variants) {
      if (variant === 'dashboard' && !dashboard) continue;
      const runs = [];
      for (let i = 0; i < Number(values.repeat); i++) {
        const r =
          variant === 'dashboard'
            ? await runDashboard(context, dashboard)
            : await runSynthetic(context, base, variant);
        runs.push(summarize(variant, r));
        process.stderr.write(`[bench:browser] ${variant} run ${i + 1}: ${JSON.stringify(runs.at(-1))}\n`);
      }
      runs.sort((a, b) => a.frameP95 - b.frameP95);
      rows.push(runs[runs.length >> 1]);
    }
  } finally {
    await context.close();
    server.close();
    await dashboard?.close();
    rmSync(work, { recursive: true, force: true });
  }
  const synced = rows.find((r) => r.variant === 'dashboard')?.syncedMs;
  const lines = [
    `# Browser: ${Number(values.pods).toLocaleString('en')} pods, ${values.rate} watch events/s, ${values.seconds} s`,
    '',
    `Chromium (headless), React 19 production build (profiling for the synthetic variants), ` +
      `${new Date().toISOString().slice(0, 10)}; median of ${values.repeat} runs by frame p95. ` +
      'Synthetic variants: a fifth of the events modify a pod in view, the rest any pod; each changes the ' +
      "pod's phase, so the summary counts change too. Ingest = time to hand one event to the variant " +
      '(kates: store dispatch, selectors, subscriptions; naive: setState). Commit = React Profiler actualDuration ' +
      '(render work). Frame = requestAnimationFrame interval. Blocking = sum of long-task time over 50 ms.',
    '',
    '| variant | events | ingest p50 / p95 (ms) | commits | commit p50 / p95 / max (ms) | React ms/s ' +
      '| ingest + React ms/s | fps | frame p50 / p95 / p99 / max (ms) | frames > 50 ms | blocking (ms) | JS heap (MB) |',
    '|---|---:|---|---:|---|---:|---:|---:|---|---:|---:|---:|',
    ...rows.map(row),
    '',
    'Variants: **kates** = `KatesProvider` over an accumulator, rows subscribed to their own object (`useQueryItem`),',
    'list subscribed to uids (`useQueryUids`), virtualized. **naive** = list in `useState`, copied per event, virtualized.',
    '**kates-all** and **naive-all** = the same without virtualization (all rows in the DOM).',
    `**dashboard** = examples/dashboard end to end: embedded API server, ${values.rate} status patches/s, kates proxy, ` +
      `browser transport, reflector, store, hooks${synced ? `; the pods query synced ${synced} ms after navigation` : ''}.`,
    ...notes.map((n) => `\n${n}`),
    '',
  ];
  mkdirSync(resolve(values.out, '..'), { recursive: true });
  writeFileSync(values.out, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main().catch((e) => {
  process.stderr.write(`bench:browser failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
