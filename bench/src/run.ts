/**
 * `npm run bench [-- --help]`: runs the benchmark plan and writes bench/RESULTS.md, bench/results.svg,
 * bench/results-browser.svg and bench/results.json (options: USAGE below). Each measurement runs in a
 * fresh process; servers run in processes of their own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchKind } from './objects.js';
import { ensureGoKates } from './peers/go-kates.js';
import {
  type BenchPlan,
  type BootstrapCase,
  type ChurnCase,
  collectionsOf,
  FULL,
  QUICK,
  selectCases,
} from './plan.js';
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

/** Where results are written (`--out`), bench/ by default. */
let outDir: string | undefined;
const out = (name: string) =>
  outDir ? join(outDir, name) : fileURLToPath(new URL(`../${name}`, import.meta.url));
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

const describe = (collections: readonly Collection[]) =>
  collections.map((c) => `${c.n} ${c.kind}s`).join(', ');

async function runServerCases(
  ctx: ScenarioContext,
  collections: readonly Collection[],
  cases: { bootstrap: readonly BootstrapCase[]; churn: readonly ChurnCase[] },
): Promise<Pick<ServerResults, 'bootstrap' | 'churn'>> {
  const find = (kind: BenchKind, n: number) => collections.find((c) => c.kind === kind && c.n === n)!;
  const bootstrap = [];
  const failedAt = new Map<string, { n: number; error: string }>();
  for (const b of cases.bootstrap) {
    // 20 s and 0.25 ms an object (45 s at 100k): a peer that cannot finish (Go kates from the
    // in-memory server at 10k) is not waited for as long as the slowest legitimate run at 100k. A
    // peer whose first run took over 10 s is not run again (Go kates: 10 to 18 s at 1k Pods on the
    // in-memory server, 13 s at 100k ConfigMaps on the real one; 2 to 4 times the fastest peer, so
    // a second run changes no verdict), where the fast peers' runs are repeated.
    const budget = {
      failedAt,
      timeoutMs: 20_000 + 0.25 * b.n,
      repeatWithinMs: 10_000,
      ...(b.repsOf ? { repsOf: b.repsOf } : {}),
      ...(b.pilot ? { pilot: true } : {}),
    };
    bootstrap.push(...(await runBootstrap(ctx, find(b.kind, b.n), b.peers, b.reps, budget)));
  }
  const churn = [];
  for (const c of cases.churn) churn.push(...(await runChurn(ctx, find('ConfigMap', c.n), c.peers, c.plan)));
  return { bootstrap, churn };
}

/**
 * Starts the servers a run needs, each seeding its collections in processes of its own (the
 * in-memory server 75 s for the full plan's 222k objects, kube-apiserver 20 s for 122k). The
 * caller lets them seed during the memory part, whose numbers are bytes retained after full
 * collections, which other processes' work does not change; every timed part runs alone.
 */
function startServers(plan: BenchPlan, wants: (part: string) => boolean) {
  const start = (collections: Collection[], begin: (c: Collection[]) => Promise<BenchServer>) => {
    if (collections.length === 0) return undefined;
    const starting = begin(collections);
    starting.catch(() => {}); // reported by withServer, which awaits it
    return starting;
  };
  return {
    fake: wants('fake') ? start(fakeBootstrapCollections(plan), startFakeServer) : undefined,
    real: wants('real') ? start(collectionsOf(plan.real), (c) => startRealServer(c, log)) : undefined,
  };
}

type Starting = Promise<BenchServer> | undefined;

/** The in-memory server's collections for its bootstrap cases. */
const fakeBootstrapCollections = (plan: BenchPlan) =>
  collectionsOf({ bootstrap: plan.fake.bootstrap, churn: [] });

/**
 * The in-memory server's part: the bootstrap cases on the server `starting` seeds, then the churn
 * and slow-consumer cases on a server of their own, seeded with their ConfigMaps alone. Why: that
 * server runs in one Node process, and with the bootstrap's 222k objects (100k Pods, 1.3 GB of
 * heap) its collections paused it while a peer's single writes were timed. One change at 100k
 * ConfigMaps took a median of 14 ms (up to 0.5 s) for whichever peer met those pauses, with the
 * client's own part at its usual 0.2 ms: kates-ts in the full runs of 15:00 and 17:34, client-node
 * in a run of the churn case beside 100k Pods (2026-12-06); 2.5 to 2.8 ms for both without them.
 */
async function runFake(
  plan: BenchPlan,
  goBinary: string | undefined,
  starting: Starting,
): Promise<ServerResults> {
  const forBootstrap = fakeBootstrapCollections(plan);
  const forChurn = collectionsOf({ bootstrap: [], churn: plan.fake.churn, slow: plan.fake.slow });
  const boot = starting
    ? await withServer(
        () => starting,
        async (ctx) => ({
          ...(await runServerCases(ctx, forBootstrap, { bootstrap: plan.fake.bootstrap, churn: [] })),
          slow: [],
        }),
        goBinary,
      )
    : undefined;
  const churned = forChurn.length
    ? await withServer(
        () => startFakeServer(forChurn),
        async (ctx) => {
          const { churn } = await runServerCases(ctx, forChurn, { bootstrap: [], churn: plan.fake.churn });
          const s = plan.fake.slow;
          const slow = s.peers.length
            ? await runSlowConsumer(
                ctx,
                forChurn.find((c) => c.kind === 'ConfigMap' && c.n === s.n)!,
                s.peers,
                s.events,
                s.reconcileMs,
              )
            : [];
          return { bootstrap: [], churn, slow };
        },
        goBinary,
      )
    : undefined;
  const described = [
    ...(forBootstrap.length && boot ? [describe(forBootstrap)] : []),
    ...(churned ? [`for the churn, a server of its own with ${describe(forChurn)}`] : []),
  ].join('; ');
  const error = [boot?.error, churned?.error].filter(Boolean).join('; ');
  return {
    ...(described ? { collections: described } : {}),
    setupMs: (boot?.setupMs ?? 0) + (churned?.setupMs ?? 0),
    bootstrap: boot?.bootstrap ?? [],
    churn: churned?.churn ?? [],
    slow: churned?.slow ?? [],
    ...(error ? { error } : {}),
  };
}

async function runReal(
  plan: BenchPlan,
  goBinary: string | undefined,
  starting: Starting,
): Promise<ServerResults> {
  const collections = collectionsOf(plan.real);
  if (!starting) return { bootstrap: [], churn: [], slow: [] };
  return withServer(
    () => starting,
    async (ctx) => ({
      collections: describe(collections),
      ...(ctx.server.setup ? { setup: ctx.server.setup } : {}),
      ...(await runServerCases(ctx, collections, plan.real)),
      slow: [],
    }),
    goBinary,
  );
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
  log(`rendered ${out('RESULTS.md')} and the charts from ${out('results.json')}`);
}

const USAGE = `Usage: node bench/dist/run.js [options]   (npm run bench -- [options])

Runs the benchmark plan, each measurement in a fresh process, and writes RESULTS.md, results.svg,
results-browser.svg and results.json (in bench/, or --out).

Options:
  --quick             the quick plan (a few minutes) instead of the full one (see FULL in src/plan.ts)
  --only=PARTS        run only these parts (comma-separated): store, memory, fake, real, browser;
                      the others keep the numbers of the previous results.json, said so in the report
  --cases=REGEX       within the fake and real parts, run only the cases whose label matches, a label being
                      "<server> <scenario> <kind> <n>", e.g. "fake bootstrap ConfigMap 100000",
                      "real churn ConfigMap 100000", "fake slow ConfigMap 10000" (for timing a part's cases;
                      the report then holds only those cases of the parts run)
  --out=DIR           write the results to DIR (and read the previous results.json there) instead of bench/
  --report-only       render RESULTS.md and the charts again from results.json, measure nothing
  --help, -h          print this and exit

Each part's wall time is logged and kept in results.json (partSeconds).`;

const OPTIONS = ['--quick', '--only=', '--cases=', '--out=', '--report-only', '--help', '-h'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !OPTIONS.some((o) => (o.endsWith('=') ? a.startsWith(o) : a === o)));
  if (args.includes('--help') || args.includes('-h') || unknown.length) {
    if (unknown.length) process.stderr.write(`unknown option(s): ${unknown.join(' ')}\n\n`);
    (unknown.length ? process.stderr : process.stdout).write(`${USAGE}\n`);
    process.exitCode = unknown.length ? 2 : 0;
    return;
  }
  const value = (name: string) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  outDir = value('--out');
  if (args.includes('--report-only')) return reportOnly();
  const casesPattern = value('--cases');
  const plan = selectCases(
    args.includes('--quick') ? QUICK : FULL,
    casesPattern ? new RegExp(casesPattern) : undefined,
  );
  const only = value('--only')?.split(',');
  const wants = (part: string) => !only || only.includes(part);
  const startedAt = new Date();
  const loadStart = loadavg().map((x) => Math.round(x * 100) / 100);
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
    log('note: run with --expose-gc for the memory numbers of workers (they set it themselves)');
  log(`plan: ${plan.mode}${casesPattern ? `, cases matching /${casesPattern}/` : ''}`);
  const partSeconds: Record<string, number> = {};
  const timed = async <T>(part: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      partSeconds[part] = Math.round((performance.now() - t0) / 1000);
      log(`${part}: ${partSeconds[part]} s`);
    }
  };
  const go = await timed('go-kates build', () => ensureGoKates(log));
  if ('error' in go) log(`Go kates peer not built: ${go.error.split('\n')[0]}`);
  const goBinary = 'binary' in go ? go.binary : undefined;

  const none = { bootstrap: [], churn: [], slow: [] };
  const store = wants('store') ? await timed('store', () => runStoreBenches(plan.store, log)) : [];
  const pending = wants('store') ? await timed('pending', () => runPendingBenches(plan.pending, log)) : [];
  // Both servers seed while the memory part runs (startServers); what seeding is left after it is
  // timed as its own part. The real server's part runs first, the in-memory server idle beside it
  // (no timers, no clients: a process that waits); the real one is stopped before the in-memory
  // server's part, since an idle kube-apiserver and etcd still tick.
  const servers = startServers(plan, wants);
  const memory = wants('memory') ? await timed('memory', () => runMemories(plan.memory, log)) : [];
  if (servers.fake || servers.real)
    await timed('seeding', () => Promise.allSettled([servers.fake, servers.real]));
  const real = wants('real') ? await timed('real', () => runReal(plan, goBinary, servers.real)) : none;
  const fake = wants('fake') ? await timed('fake', () => runFake(plan, goBinary, servers.fake)) : none;
  // Browser part (issue 24): Chromium, 10k pods, in a process of its own.
  const browser = wants('browser') ? await timed('browser', () => runBrowserPart(plan.mode, log)) : undefined;

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
    partSeconds,
    machine: machine(loadStart),
    go,
    store: previous && !wants('store') ? previous.store : store,
    pending: previous && !wants('store') ? (previous.pending ?? []) : pending,
    memory: previous && !wants('memory') ? previous.memory : memory,
    fake: previous && !wants('fake') ? previous.fake : fake,
    real: previous && !wants('real') ? previous.real : real,
    ...(browserResults ? { browser: browserResults } : {}),
    notes: [
      ...(kept.length
        ? [
            `This run (\`--only=${only!.join(',')}\`) measured ${only!.join(', ')}; ${kept.join(', ')} are from the ${previous!.mode} run of ${previous!.startedAt.slice(0, 19)}Z. Ratios are only taken within one part, so each ratio still compares numbers of one run.`,
          ]
        : []),
      ...(casesPattern
        ? [`Only the in-memory and real server cases matching \`--cases=${casesPattern}\` ran.`]
        : []),
    ],
  };
  writeFileSync(out('results.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(out('results.svg'), renderChart(results));
  writeBrowserChart(results);
  writeFileSync(out('RESULTS.md'), renderMarkdown(results));
  log(`done in ${results.durationS} s: ${out('RESULTS.md')}, results.svg, results.json`);
}

main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
