/**
 * Issue 18's in-process numbers, kates beside @kubernetes/client-node's own cache (its `ListWatch`
 * fed by hand through a stand-in watch), without a server, so that the store's share of each
 * number is seen alone:
 *
 * - `update`: `update(snapshot)`, `updateWithDeltas(snapshot, deltas)` and `readDeltas(cursor,
 *   deltas)` after one MODIFIED event, against client-node's `list(namespace)` after the same event;
 * - `bootstrap`: the store's work from parsed list pages to the first sorted snapshot (listPage
 *   dispatches, listCompleted, the first `update`), against client-node filling its cache from the
 *   same parsed items and listing it once.
 *
 * `node --expose-gc bench/dist/micro/issue18.js [--rounds=5] [--n=1000,10000,100000]` runs each
 * (peer, N) in a fresh process, the peers taking turns in each round, and prints medians with
 * (min–max) over rounds. Nothing is written to RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Delta, KubernetesObject } from '@kates/core';
import { listCompleted, listPage, listStarted } from '@kates/core/internal';
import { ListWatch } from '@kubernetes/client-node';
import { stored } from '../objects.js';
import { summarize } from '../stats.js';
import { argOf } from './args.js';
import { listPages } from './feed.js';
import { katesFixture } from './kates-fixture.js';

type Peer = 'kates' | 'client-node';
interface Result {
  peer: Peer;
  n: number;
  /**
   * µs per call after one change: `cold`, the median of the first ten (a controller updates a few
   * times a second, so its update code stays unoptimized, as here), and the median of the later
   * ones (optimized by then).
   */
  updateColdUs: number;
  updateUs: number;
  /**
   * µs for a bare copy of the snapshot's array (`Array.from`, kept until the next one), timed in
   * the same process at the same moments: what filling an array of N pointers costs in this
   * process's heap state, whoever does it. It is bimodal at 10k: 6 to 23 us, or 210 to 300 us
   * while V8 marks the old generation incrementally (each pointer stored then takes the marking
   * write barrier). With `--no-incremental-marking` kates' copy took 5.9 us against 206. Before
   * the events came 1 ms apart (UPDATE_GAP_MS), one synchronous loop kept the marking from
   * finishing, so kates' process stayed in the slow mode for its 400 updates (2026-12-05).
   */
  copyUs: number;
  deltasUs: number;
  /** µs for `readDeltas` (the deltas alone, no snapshot), timed before the updates (kates only). */
  readDeltasUs?: number;
  /** ms: store work from parsed pages to the first sorted snapshot. */
  bootstrapMs: number;
  /** Of which listCompleted (kates only). */
  completeMs: number;
  firstUpdateMs: number;
}

const NS = 'bench';
const UPDATES = 400;
/**
 * Between events, as a controller waits for the next: the event loop runs, and V8 finishes what
 * it does there (see `Result.copyUs`). 10k objects, 4 fresh processes each: kates' update 18 to
 * 73 us, client-node's list() 19 to 302, both bimodal with the copy.
 */
const UPDATE_GAP_MS = 1;
const gap = () => new Promise<void>((resolve) => setTimeout(resolve, UPDATE_GAP_MS));

function modified(n: number, k: number): KubernetesObject {
  const obj = stored('ConfigMap', (k * 7919) % n, NS, n + 1 + k);
  obj.metadata!.annotations = { ...obj.metadata!.annotations, 'bench.kates.io/generation': String(k + 1) };
  return obj;
}

function parsedPages(n: number): KubernetesObject[][] {
  return [...listPages('ConfigMap', n, NS)].map(
    (p) => (JSON.parse(p) as { items: KubernetesObject[] }).items,
  );
}

async function runKates(n: number): Promise<Result> {
  // Bootstrap, timed by hand rather than through katesFixture, which parses as it goes.
  const pages = parsedPages(n);
  const f = await katesFixture('ConfigMap', 0, { namespace: NS });
  const t0 = performance.now();
  f.store.dispatch(listStarted({ key: f.key }));
  for (const items of pages) f.store.dispatch(listPage({ key: f.key, items }));
  const t1 = performance.now();
  f.store.dispatch(listCompleted({ key: f.key, resourceVersion: String(n) }));
  const t2 = performance.now();
  const snap: { objects?: readonly KubernetesObject[] } = {};
  f.acc.update(snap);
  const t3 = performance.now();
  if (snap.objects?.length !== n)
    throw new Error(`first snapshot holds ${snap.objects?.length}, expected ${n}`);
  const deltaSnap: { objects?: readonly KubernetesObject[] } = {};
  const deltas: Delta[] = [];
  f.acc.updateWithDeltas(deltaSnap, deltas);
  const cursor = {};
  const read: Delta[] = [];
  f.acc.readDeltas(cursor, read);
  const update: number[] = [];
  const withDeltas: number[] = [];
  const readOnly: number[] = [];
  const copy: number[] = [];
  for (let k = 0; k < UPDATES; k++) {
    await gap();
    f.dispatchEvents([{ type: 'MODIFIED', object: modified(n, k) }]);
    copy.push(timeCopy(snap.objects!));
    let t = performance.now();
    f.acc.readDeltas(cursor, read);
    readOnly.push((performance.now() - t) * 1000);
    if (read.length !== 1) throw new Error(`readDeltas: ${read.length} deltas after one change`);
    t = performance.now();
    f.acc.update(snap);
    update.push((performance.now() - t) * 1000);
    t = performance.now();
    f.acc.updateWithDeltas(deltaSnap, deltas);
    withDeltas.push((performance.now() - t) * 1000);
    if (deltas.length !== 1) throw new Error(`${deltas.length} deltas after one change`);
  }
  f.close();
  return {
    peer: 'kates',
    n,
    updateColdUs: summarize(update.slice(0, 10)).median,
    updateUs: summarize(update.slice(UPDATES / 4)).median,
    copyUs: summarize(copy.slice(UPDATES / 4)).median,
    deltasUs: summarize(withDeltas.slice(UPDATES / 4)).median,
    readDeltasUs: summarize(readOnly.slice(UPDATES / 4)).median,
    bootstrapMs: t3 - t0,
    completeMs: t2 - t1,
    firstUpdateMs: t3 - t2,
  };
}

async function runClientNode(n: number): Promise<Result> {
  const pages = parsedPages(n);
  let handler: ((phase: string, obj: unknown) => void) | undefined;
  const watch = {
    watch: async (_p: string, _q: unknown, cb: (phase: string, obj: unknown) => void) => {
      handler = cb;
      return { abort() {} };
    },
  };
  const items = pages.flat();
  let t0 = 0;
  const lw = new ListWatch(
    `/api/v1/namespaces/${NS}/configmaps`,
    watch as never,
    async () => {
      t0 = performance.now();
      return { items, metadata: { resourceVersion: String(n) } } as never;
    },
    false,
  );
  await lw.start();
  const first = lw.list(NS);
  const t3 = performance.now();
  if (first.length !== n) throw new Error(`client-node cache holds ${first.length}, expected ${n}`);
  const update: number[] = [];
  const copy: number[] = [];
  let listed: readonly unknown[] = first;
  for (let k = 0; k < UPDATES; k++) {
    await gap();
    handler!('MODIFIED', modified(n, k));
    copy.push(timeCopy(listed));
    const t = performance.now();
    listed = lw.list(NS);
    update.push((performance.now() - t) * 1000);
    if (listed.length !== n) throw new Error('lost an object');
  }
  await lw.stop();
  const u = summarize(update.slice(UPDATES / 4)).median;
  return {
    peer: 'client-node',
    n,
    updateColdUs: summarize(update.slice(0, 10)).median,
    updateUs: u,
    copyUs: summarize(copy.slice(UPDATES / 4)).median,
    deltasUs: u,
    bootstrapMs: t3 - t0,
    completeMs: 0,
    firstUpdateMs: 0,
  };
}

let kept: unknown[] = [];
/** µs to copy `items` into a new array that is kept until the next call (see `Result.copyUs`). */
function timeCopy(items: readonly unknown[]): number {
  const t = performance.now();
  kept = Array.from(items);
  if (kept.length < 0) console.log(kept);
  return (performance.now() - t) * 1000;
}

async function child(peer: Peer, n: number): Promise<void> {
  const r = peer === 'kates' ? await runKates(n) : await runClientNode(n);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

function main(): void {
  const rounds = Number(argOf('rounds') ?? 5);
  const ns = (argOf('n') ?? '1000,10000,100000').split(',').map(Number);
  const peers: Peer[] = ['kates', 'client-node'];
  const self = fileURLToPath(import.meta.url);
  const results: Result[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const n of ns) {
      for (let k = 0; k < peers.length; k++) {
        const peer = peers[(k + round) % peers.length]!;
        const out = execFileSync(process.execPath, ['--expose-gc', self, '--child', peer, String(n)], {
          encoding: 'utf8',
          env: { ...process.env, NODE_ENV: 'production' },
          maxBuffer: 1 << 20,
        });
        results.push(JSON.parse(out.trim().split('\n').pop()!) as Result);
      }
    }
  }
  const fmt = (xs: number[], d = 1) => {
    const s = summarize(xs);
    return `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
  };
  for (const n of ns) {
    const of = (p: Peer) => results.filter((r) => r.peer === p && r.n === n);
    const k = of('kates');
    const c = of('client-node');
    const ratio = (a: number[], b: number[]) => (summarize(a).median / summarize(b).median).toFixed(2);
    console.log(
      `N=${n} rounds=${rounds}\n` +
        `  first ten updates µs: kates ${fmt(k.map((r) => r.updateColdUs))}; client-node list() ${fmt(
          c.map((r) => r.updateColdUs),
        )}; ratio ${ratio(
          k.map((r) => r.updateColdUs),
          c.map((r) => r.updateColdUs),
        )}x\n` +
        `  update µs: kates ${fmt(k.map((r) => r.updateUs))}, with deltas ${fmt(k.map((r) => r.deltasUs))}, ` +
        `readDeltas alone ${fmt(k.map((r) => r.readDeltasUs ?? 0))}, ` +
        `a bare copy in the same process ${fmt(k.map((r) => r.copyUs))}; ` +
        `client-node list() ${fmt(c.map((r) => r.updateUs))}, a bare copy ${fmt(c.map((r) => r.copyUs))}; ratio ${ratio(
          k.map((r) => r.updateUs),
          c.map((r) => r.updateUs),
        )}x (deltas ${ratio(
          k.map((r) => r.deltasUs),
          c.map((r) => r.updateUs),
        )}x)\n` +
        `  bootstrap store ms: kates ${fmt(k.map((r) => r.bootstrapMs))} (listCompleted ${fmt(
          k.map((r) => r.completeMs),
        )}, first update ${fmt(k.map((r) => r.firstUpdateMs))}); client-node cache+list ${fmt(
          c.map((r) => r.bootstrapMs),
        )}`,
    );
  }
}

const i = process.argv.indexOf('--child');
if (i >= 0) await child(process.argv[i + 1] as Peer, Number(process.argv[i + 2]));
else main();
