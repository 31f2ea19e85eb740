/**
 * `node --expose-gc bench/dist/browser-scale/main.js [--server real|fake] [--pods 30000]
 *  [--rate 100] [--seconds 30] [--heap-every 60] [--modes 'projection=whole,projection=projected'] [--warm on|off|off,on] [--no-store-heap] [--no-profile] [--source DIR]
 *  [--baseline DIR] [--rounds 1]`:
 * the example dashboard at cluster scale in Chromium (issue 21). The cluster holds `pods` pods and
 * takes `rate` changes a second throughout. For each dashboard mode, a dashboard server (the kates
 * proxy with its fan-out) is started (a mode is the page's query string, see
 * examples/dashboard/src/cluster.ts: `projection=whole|projected`, `list=stream`); a first page
 * measures the first complete view on a cold proxy (the proxy lists the API server), a second one
 * the first view from the proxy's memory, then its frames and live heap for `seconds`. Before that, a client's store heap for the pods in each
 * form (whole, projected, metadata only), each in a fresh process. With `--baseline DIR` (a
 * `git worktree` of the commit to compare with), each mode runs on the page built from there too
 * (labelled `[base]`), the two pages alternating, `rounds` times, in one run on one cluster: before
 * and after under the same load. Writes bench/out/browser-scale.md and .json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchServer, startFakeServer } from '../servers/fake.js';
import { startRealServer } from '../servers/real.js';
import { startChurn } from './churn.js';
import { loadStartDashboard } from './dashboard-server.js';
import { renderScale, type ScaleResult } from './report.js';
import { type PageRun, runPage } from './run-page.js';
import { HEAP_VARIANTS, type HeapResult, storeHeap } from './store-heap.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'real' },
    pods: { type: 'string', default: '30000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' },
    'heap-every': { type: 'string', default: '60' },
    modes: {
      type: 'string',
      default: 'projection=whole,projection=projected,projection=projected&list=stream',
    },
    'no-store-heap': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    /**
     * Proxy warm-up, `on` (the dashboard server's default: its queries listed at startup, and the
     * first page opened once `/readyz` passes), `off` (the first page finds the proxy cold), or
     * `off,on`: each mode both ways, one after the other.
     */
    warm: { type: 'string', default: 'on' },
    out: { type: 'string', default: fileURLToPath(new URL('../../out/browser-scale.md', import.meta.url)) },
    /** A checkout to build the page from (a `git worktree` of a commit), not this working tree. */
    source: { type: 'string' },
    /** A checkout whose page is measured beside this one, alternating (`[base]`). */
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
});
const log = (line: string) =>
  process.stderr.write(`[browser-scale ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const pods = Number(values.pods);
const rate = Number(values.rate);
const namespace = `bench-pod-${pods}`;

async function buildDashboard(outDir: string, source = values.source): Promise<void> {
  const { build } = (await import('vite')) as typeof import('vite');
  await build({
    configFile: source
      ? join(source, 'examples/dashboard/vite.config.ts')
      : root('examples/dashboard/vite.config.ts'),
    logLevel: 'warn',
    // Unminified, so that a CPU profile names functions; React stays a production build.
    build: { outDir, sourcemap: false, minify: false, emptyOutDir: true },
  });
}

let server: BenchServer | undefined;
const work = mkdtempSync(join(tmpdir(), 'kates-browser-scale-'));
try {
  server =
    values.server === 'real'
      ? await startRealServer([{ kind: 'Pod', n: pods, namespace }], log)
      : await startFakeServer([{ kind: 'Pod', n: pods, namespace }]);
  log(`${server.name} API server: ${pods} pods in ${(server.setupMs / 1000).toFixed(1)} s`);
  const kubeconfig = server.kubeconfigPath;
  const heaps: HeapResult[] = [];
  if (!values['no-store-heap']) {
    for (const v of HEAP_VARIANTS) {
      // A failed process (a build being rewritten under it, on a shared machine) is tried again.
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          heaps.push(await storeHeap(kubeconfig, namespace, v));
          log(`store heap ${v}: ${JSON.stringify(heaps.at(-1))}`);
          break;
        } catch (e) {
          log(`store heap ${v}, attempt ${attempt}: ${(e as Error).message}`);
          await new Promise((r) => setTimeout(r, 5000));
        }
      }
    }
  }
  const web = join(work, 'web');
  await buildDashboard(web);
  const webs: { label: string; dir: string }[] = [{ label: '', dir: web }];
  if (values.baseline) {
    const base = join(work, 'web-base');
    await buildDashboard(base, values.baseline);
    webs.push({ label: ' [base]', dir: base });
  }
  const rounds = Number(values.rounds);
  const { chromium } = await import('playwright-core');
  const { chromiumLaunchOptions } = (await import(
    pathToFileURL(root('packages/testing/dist/browser/chromium.js')).href
  )) as { chromiumLaunchOptions: () => Promise<Record<string, unknown>> };
  const startDashboard = await loadStartDashboard(root('examples/dashboard/dist/node/server.js'));
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    ...(await chromiumLaunchOptions()),
    viewport: { width: 1280, height: 900 },
  });
  const churn = startChurn(kubeconfig, namespace, pods, rate);
  const modes: ScaleResult['modes'][number][] = [];
  try {
    const runs = values.modes
      .split(',')
      .flatMap((m) => values.warm.split(',').map((w) => [m, w === 'on'] as const));
    // Rounds alternate the pages, and which goes first, so neither always follows the other.
    const plan = Array.from({ length: rounds }, (_, round) =>
      runs.flatMap(([m, w]) => (round % 2 ? [...webs].reverse() : webs).map((p) => [m, w, p] as const)),
    ).flat();
    for (const [mode, warmStart, pageBuild] of plan) {
      const dashboard = await startDashboard({
        kubeconfig,
        port: 0,
        staticDir: pageBuild.dir,
        warm: warmStart,
      });
      try {
        let warmupMs: number | undefined;
        if (warmStart && dashboard.proxy.waitForCacheSync) {
          const t0 = performance.now();
          await dashboard.proxy.waitForCacheSync(AbortSignal.timeout(120_000));
          warmupMs = performance.now() - t0;
        }
        if (warmupMs !== undefined) log(`${mode}: proxy caches warm in ${warmupMs.toFixed(0)} ms`);
        const url = `${dashboard.url}/?${mode}`;
        const common = { url, pods, profile: !values['no-profile'] };
        const cold = await runPage(context, { ...common, seconds: 0, heapEverySec: 3600 });
        log(
          `${mode} cold: first view ${cold.firstViewMs.toFixed(0)} ms ${JSON.stringify(cold.breakdown ?? {})}`,
        );
        const warm: PageRun = await runPage(context, {
          ...common,
          seconds: Number(values.seconds),
          heapEverySec: Number(values['heap-every']),
        });
        log(
          `${mode}${pageBuild.label} warm: ${JSON.stringify({ ...warm, loafs: warm.loafs.length, busy: warm.busy?.length })}`,
        );
        // The machine's load over the last minute: frames depend on it as much as on the page.
        const load = loadavg()[0] ?? 0;
        modes.push({
          mode: `${mode}${warmStart ? ' (warm start)' : ''}${pageBuild.label}`,
          cold,
          warm,
          upstream: dashboard.proxy.stats().upstream,
          load,
          ...(warmupMs !== undefined ? { warmupMs } : {}),
        });
      } finally {
        await dashboard.close();
      }
    }
  } finally {
    const writes = await churn.stop();
    log(`churn: ${writes} writes`);
    await context.close();
  }
  const result: ScaleResult = {
    server: server.name,
    pods,
    rate,
    seconds: Number(values.seconds),
    date: new Date().toISOString(),
    heaps,
    modes,
  };
  const markdown = renderScale(result);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, markdown);
  writeFileSync(values.out.replace(/\.md$/, '.json'), `${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(markdown);
} finally {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}
