#!/usr/bin/env node
/**
 * Browser benchmark: 10k pods with watch events at each of `rates` per second, rendered by React 19
 * in Chromium. Compares the kates hooks (per-row subscriptions over the store, told once per
 * animation frame) with a naive hook that copies the list on every event, each virtualized and
 * with every row in the DOM, and runs the example dashboard end to end. Reports the time to hand
 * an event over (ingest), the kates provider's work per frame (flush), React commit times
 * (Profiler, production profiling build), the main thread's busy time (Chrome DevTools Protocol
 * `Performance.getMetrics`), frame times (requestAnimationFrame) and the live heap after a full GC.
 * Writes bench/out/browser.md (and, with --json, the numbers for `npm run bench`'s report).
 *
 *   node bench/browser/run.mjs [--pods 10000] [--rates 100,1000] [--seconds 10] [--repeat 3]
 *        [--variants kates,naive,kates-all,naive-all,dashboard] [--unvirtualized-at 1000]
 *        [--out file.md] [--json file.json]
 *
 * `dashboard` is the whole pipeline: the example dashboard served by its server.js on the embedded
 * API server with `pods` synthetic pods and `rate` status patches a second, through the proxy, the
 * browser transport, the reflector, the store and the hooks. It needs `tsc -b` (examples/dashboard/
 * dist/node/server.js) and is left out, with a note, without it. Each variant runs `repeat` times;
 * the table shows the run with the median frame p95. `--unvirtualized-at` runs the variants with
 * every row in the DOM (`kates-all`, `naive-all`) at those rates only (all of `rates` by default).
 *
 * Runs the Chromium that packages/testing/src/browser/chromium.ts resolves (CHROMIUM=path, else a
 * system Chromium, else the one @sparticuz/chromium ships) and needs the root devDependencies (vite,
 * @vitejs/plugin-react, playwright-core) and `npx tsc -b bench` (the report's tables are rendered by
 * bench/src/report/browser.ts, as in RESULTS.md). It builds its pages with vite. `profile.mjs` beside it
 * shows where the time and the heap of one variant go.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../../packages/testing/dist/browser/chromium.js';
import { BROWSER_LEGEND, browserTables } from '../dist/report/browser.js';
import { buildPage, serve } from './pages.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    rates: { type: 'string', default: '100,1000' },
    /** One rate (the former option); `--rates` takes a list. */
    rate: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'kates,naive,kates-all,naive-all,dashboard' },
    'unvirtualized-at': { type: 'string' },
    out: { type: 'string', default: here('../out/browser.md') },
    json: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const rates = (values.rate ?? values.rates).split(',').map(Number);
const unvirtualizedAt = values['unvirtualized-at']?.split(',').map(Number) ?? rates;
/** Whether `variant` runs at `rate`: the ones with every row in the DOM only at `unvirtualizedAt`. */
const runsAt = (variant, rate) => !variant.endsWith('-all') || unvirtualizedAt.includes(rate);

const pct = (xs, p) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** The page's cumulative main-thread times (s), from the Chrome DevTools Protocol. */
async function mainThread(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  return { at: m.Timestamp, task: m.TaskDuration, script: m.ScriptDuration };
}

/** The live JS heap after a full collection, in MB: what the page holds, not what it dropped. */
async function liveHeapMB(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1048576;
}

/** Main-thread busy ms per second between two `mainThread` readings. */
const busyPerS = (a, b) => ({
  mainMsPerS: ((b.task - a.task) / (b.at - a.at)) * 1000,
  scriptMsPerS: ((b.script - a.script) / (b.at - a.at)) * 1000,
});

/** One run of the synthetic page. */
async function runSynthetic(context, base, variant, rate) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const q = new URLSearchParams({ variant, pods: values.pods, rate: String(rate), seconds: values.seconds });
  await page.goto(`${base}?${q}`);
  await page.waitForFunction(() => window.__benchPhase === 'measuring', undefined, {
    timeout: 120_000,
    polling: 20,
  });
  const start = await mainThread(cdp);
  await page.waitForFunction(() => window.__bench !== undefined, undefined, {
    timeout: (seconds + 120) * 1000,
    polling: 20,
  });
  const end = await mainThread(cdp);
  const r = await page.evaluate(() => window.__bench);
  if (r.error) throw new Error(`${variant}: ${r.error}`);
  const heapLiveMB = await liveHeapMB(cdp);
  await page.close();
  return { ...r, ...busyPerS(start, end), heapLiveMB };
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
        flushes: [],
        latencies: [],
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
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const started = Date.now();
  await page.goto(dashboard.url);
  await page.locator('[data-testid="status-pods"][data-phase="synced"]').waitFor({ timeout: 120_000 });
  const syncedMs = Date.now() - started;
  await page.waitForTimeout(1500);
  const start = await mainThread(cdp);
  const r = await page.evaluate(measureDashboard, seconds * 1000);
  const end = await mainThread(cdp);
  const heapLiveMB = await liveHeapMB(cdp);
  await page.close();
  return { ...r, ...busyPerS(start, end), heapLiveMB, syncedMs };
}

/** The numbers of one run; times in ms, rates in ms per second of the run. */
function summarize(variant, r) {
  const span = sum(r.frames) / 1000;
  const work = sum(r.commits) + sum(r.ingest) + sum(r.flushes);
  return {
    variant,
    events: r.events,
    ingestP50: r.ingest.length ? pct(r.ingest, 50) : undefined,
    ingestP95: r.ingest.length ? pct(r.ingest, 95) : undefined,
    flushes: r.flushes.length,
    flushP50: r.flushes.length ? pct(r.flushes, 50) : undefined,
    flushP95: r.flushes.length ? pct(r.flushes, 95) : undefined,
    perEventMs: r.events && r.ingest.length ? (sum(r.ingest) + sum(r.flushes)) / r.events : undefined,
    commits: r.commits.length,
    commitP50: pct(r.commits, 50),
    commitP95: pct(r.commits, 95),
    commitMax: Math.max(0, ...r.commits),
    latencyP50: r.latencies.length ? pct(r.latencies, 50) : undefined,
    latencyP95: r.latencies.length ? pct(r.latencies, 95) : undefined,
    latencyMax: r.latencies.length ? Math.max(...r.latencies) : undefined,
    reactMsPerS: sum(r.commits) / span,
    busyMsPerS: work / span,
    mainMsPerS: r.mainMsPerS,
    scriptMsPerS: r.scriptMsPerS,
    fps: r.frames.length / span,
    frameP50: pct(r.frames, 50),
    frameP95: pct(r.frames, 95),
    frameP99: pct(r.frames, 99),
    frameMax: Math.max(0, ...r.frames),
    longFrames: r.frames.filter((f) => f > 50).length,
    blockingMs: sum(r.longTasks.map((t) => Math.max(0, t - 50))),
    heapMB: r.heapMB,
    heapLiveMB: r.heapLiveMB,
    syncedMs: r.syncedMs,
  };
}

/** The Markdown of a run (bench/out/browser.md): the tables RESULTS.md shows, rendered by the same code. */
function markdown(result) {
  return [
    `# Browser: ${result.pods.toLocaleString('en')} pods, ${result.rates.map((r) => r.rate).join(' and ')} watch events/s, ${result.seconds} s`,
    `Chromium (headless), React 19 production build (profiling for the synthetic variants), ${result.date}; ` +
      `median of ${result.repeat} runs by frame p95.`,
    BROWSER_LEGEND,
    browserTables(result),
    '',
  ].join('\n\n');
}

async function startDashboardServer(work, rate, notes) {
  const serverJs = here('../../examples/dashboard/dist/node/server.js');
  if (!existsSync(serverJs)) {
    notes.push(
      '`dashboard` left out: examples/dashboard/dist/node/server.js is missing (run `npx tsc -b` first).',
    );
    return undefined;
  }
  const dashWeb = join(work, 'dashboard');
  if (!existsSync(dashWeb)) {
    await build({
      configFile: here('../../examples/dashboard/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: dashWeb, sourcemap: false },
    });
  }
  const { startDashboard } = await import(pathToFileURL(serverJs).href);
  return startDashboard({ port: 0, staticDir: dashWeb, pods: Number(values.pods), churn: rate });
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'kates-bench-browser-'));
  const variants = values.variants.split(',');
  const notes = [];
  const web = join(work, 'web');
  await buildPage(web);
  const server = await serve(web);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    ...(await chromiumLaunchOptions()),
    viewport: { width: 1280, height: 900 },
  });
  const result = {
    pods: Number(values.pods),
    seconds,
    repeat: Number(values.repeat),
    date: new Date().toISOString().slice(0, 10),
    rates: [],
  };
  try {
    for (const rate of rates) {
      const rows = [];
      const dashboard = variants.includes('dashboard')
        ? await startDashboardServer(work, rate, notes)
        : undefined;
      try {
        for (const variant of variants) {
          if ((variant === 'dashboard' && !dashboard) || !runsAt(variant, rate)) continue;
          const runs = [];
          for (let i = 0; i < Number(values.repeat); i++) {
            const r =
              variant === 'dashboard'
                ? await runDashboard(context, dashboard)
                : await runSynthetic(context, base, variant, rate);
            runs.push(summarize(variant, r));
            process.stderr.write(
              `[bench:browser] ${rate}/s ${variant} run ${i + 1}: ${JSON.stringify(runs.at(-1))}\n`,
            );
          }
          runs.sort((a, b) => a.frameP95 - b.frameP95);
          rows.push(runs[runs.length >> 1]);
        }
      } finally {
        await dashboard?.close();
      }
      result.rates.push({ rate, rows });
    }
  } finally {
    await context.close();
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
  result.notes = [...new Set(notes)];
  const text = markdown(result);
  mkdirSync(resolve(values.out, '..'), { recursive: true });
  writeFileSync(values.out, text);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(text);
}

main().catch((e) => {
  process.stderr.write(`bench:browser failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
