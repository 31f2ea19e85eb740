/**
 * `npm run bench [-- --quick] [-- --only=store,memory,fake,real,browser] [-- --report-only]`: runs the
 * benchmark plan and writes bench/RESULTS.md, bench/results.svg, bench/results-browser.svg and
 * bench/results.json. Each measurement runs in a fresh process; servers run in processes of their own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureGoKates } from './peers/go-kates.js';
import { type BenchPlan, FULL, QUICK } from './plan.js';
import { renderBrowserChart, renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchResults, Machine, ServerResults } from './results.js';
import { runBootstrap } from './scenarios/bootstrap.js';
import { runBrowserPart } from './scenarios/browser.js';
import { runChurn } from './scenarios/churn.js';
import { type Collection, errorText, type ScenarioContext } from './scenarios/context.js';
import { runMemories, runPendingBenches, runStoreBenches } from './scenarios/micro.js';
import { runSlowConsumer } from './scenarios/slow-consumer.js';
import { type BenchServer, startFakeServer } from './servers/fake.js';
import { startRealServer } from './servers/real.js';

const out = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));
const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function goVersion(): string {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'not installed';
  }
}

function machine(loadAverageStart: number[]): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    go: goVersion(),
    loadAverageStart,
    loadAverageEnd: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const ns = (kind: string, n: number) => `bench-${kind.toLowerCase()}-${n}`;

async function withServer(
  start: () => Promise<BenchServer>,
  body: (ctx: ScenarioContext) => Promise<ServerResults>,
  goBinary: string | undefined,
): Promise<ServerResults> {
  let server: BenchServer | undefined;
  try {
    server = await start();
    log(`${server.name} server ready; objects created in ${(server.setupMs / 1000).toFixed(1)} s`);
    return { setupMs: server.setupMs, ...(await body({ server, log, ...(goBinary ? { goBinary } : {}) })) };
  } catch (e) {
    log(`server failed: ${errorText(e)}`);
    return { bootstrap: [], churn: [], slow: [], error: errorText(e) };
  } finally {
    await server?.stop();
  }
}

async function runFake(plan: BenchPlan, goBinary: string | undefined): Promise<ServerResults> {
  const collections: Collection[] = plan.fake.bootstrap.map((b) => ({
    kind: b.kind,
    n: b.n,
    namespace: ns(b.kind, b.n),
  }));
  for (const c of [...plan.fake.churn.map((x) => x.n), plan.fake.slow.n]) {
    if (!collections.some((k) => k.kind === 'ConfigMap' && k.n === c))
      collections.push({ kind: 'ConfigMap', n: c, namespace: ns('ConfigMap', c) });
  }
  const cm = (n: number) => collections.find((c) => c.kind === 'ConfigMap' && c.n === n)!;
  return withServer(
    () => startFakeServer(collections),
    async (ctx) => {
      const bootstrap = [];
      const failedAt = new Map<string, { n: number; error: string }>();
      for (const b of plan.fake.bootstrap) {
        bootstrap.push(
          ...(await runBootstrap(
            ctx,
            collections.find((c) => c.kind === b.kind && c.n === b.n)!,
            b.peers,
            b.reps,
            { failedAt },
          )),
        );
      }
      const churn = [];
      for (const c of plan.fake.churn) churn.push(...(await runChurn(ctx, cm(c.n), c.peers, c.plan)));
      const s = plan.fake.slow;
      const slow = await runSlowConsumer(ctx, cm(s.n), s.peers, s.events, s.reconcileMs);
      return { collections: collections.map((c) => `${c.n} ${c.kind}s`).join(', '), bootstrap, churn, slow };
    },
    goBinary,
  );
}

async function runReal(
  plan: BenchPlan,
  goBinary: string | undefined,
): Promise<ServerResults & { n: number }> {
  const c: Collection = { kind: 'ConfigMap', n: plan.real.n, namespace: ns('ConfigMap', plan.real.n) };
  const results = await withServer(
    () => startRealServer([c], log),
    async (ctx) => ({
      collections: `${c.n} ConfigMaps`,
      bootstrap: await runBootstrap(ctx, c, plan.real.peers, plan.real.reps),
      churn: await runChurn(
        ctx,
        c,
        plan.real.peers.filter((p) => p !== 'floor' && p !== 'kates-dropmf'),
        plan.real.churn,
      ),
      slow: [],
    }),
    goBinary,
  );
  return { ...results, n: c.n };
}

/** The results of the previous run, if bench/results.json holds one. */
function previousResults(): BenchResults | undefined {
  try {
    return JSON.parse(readFileSync(out('results.json'), 'utf8')) as BenchResults;
  } catch {
    return undefined;
  }
}

// Browser part (issue 24): bench/results-browser.svg beside results.svg.
function writeBrowserChart(results: BenchResults): void {
  const svg = renderBrowserChart(results);
  if (svg) writeFileSync(out('results-browser.svg'), svg);
}

/** `--report-only`: renders RESULTS.md and the chart again from bench/results.json. */
function reportOnly(): void {
  const results = JSON.parse(readFileSync(out('results.json'), 'utf8')) as BenchResults;
  writeFileSync(out('results.svg'), renderChart(results));
  writeBrowserChart(results);
  writeFileSync(out('RESULTS.md'), renderMarkdown(results));
  log('rendered bench/RESULTS.md and bench/results.svg from bench/results.json');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--report-only')) return reportOnly();
  const plan = args.includes('--quick') ? QUICK : FULL;
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',');
  const wants = (part: string) => !only || only.includes(part);
  const startedAt = new Date();
  const loadStart = loadavg().map((x) => Math.round(x * 100) / 100);
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
    log('note: run with --expose-gc for the memory numbers of workers (they set it themselves)');
  log(`plan: ${plan.mode}`);
  const go = await ensureGoKates(log);
  if ('error' in go) log(`Go kates peer not built: ${go.error.split('\n')[0]}`);
  const goBinary = 'binary' in go ? go.binary : undefined;

  const store = wants('store') ? await runStoreBenches(plan.store, log) : [];
  const pending = wants('store') ? await runPendingBenches(plan.pending, log) : [];
  const memory = wants('memory') ? await runMemories(plan.memory, log) : [];
  const fake = wants('fake') ? await runFake(plan, goBinary) : { bootstrap: [], churn: [], slow: [] };
  const real = wants('real') ? await runReal(plan, goBinary) : { bootstrap: [], churn: [], slow: [] };
  // Browser part (issue 24): Chromium, 10k pods, in a process of its own.
  const browser = wants('browser') ? await runBrowserPart(plan.mode, log) : undefined;

  // With --only, the parts left out keep the numbers of the previous run, said so in the report.
  const previous = only ? previousResults() : undefined;
  const kept = previous
    ? (['store', 'memory', 'fake', 'real', 'browser'] as const).filter(
        (p) => !wants(p) && (p !== 'browser' || previous.browser),
      )
    : [];
  const browserResults = previous && !wants('browser') ? previous.browser : browser;
  const results: BenchResults = {
    mode: plan.mode,
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: machine(loadStart),
    go,
    store: previous && !wants('store') ? previous.store : store,
    pending: previous && !wants('store') ? (previous.pending ?? []) : pending,
    memory: previous && !wants('memory') ? previous.memory : memory,
    fake: previous && !wants('fake') ? previous.fake : fake,
    real: previous && !wants('real') ? previous.real : real,
    ...(browserResults ? { browser: browserResults } : {}),
    notes: kept.length
      ? [
          `This run (\`--only=${only!.join(',')}\`) measured ${only!.join(', ')}; ${kept.join(', ')} are from the ${previous!.mode} run of ${previous!.startedAt.slice(0, 19)}Z. Ratios are only taken within one part, so each ratio still compares numbers of one run.`,
        ]
      : [],
  };
  writeFileSync(out('results.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(out('results.svg'), renderChart(results));
  writeBrowserChart(results);
  writeFileSync(out('RESULTS.md'), renderMarkdown(results));
  log(`done in ${results.durationS} s: bench/RESULTS.md, bench/results.svg, bench/results.json`);
}

main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
