/**
 * One watch event at a time into a kates store of n objects, each after `--idle` ms in which the
 * process waits on a timer: the regime of issue 18's "one change at a time" (writes 100 ms apart),
 * without a server or a network. The store's code is warm first (`--warmup` events back to back,
 * as in a controller that has run a while). Each stage is timed on its own: the line's parse
 * (`parseWatchLine`: JSON.parse, no kates work, a measure of the processor's own state), the kates
 * reducer alone on the store's state (the first kates code after the idle time), the store's
 * dispatch of the same action (reducer again and the accumulator's listener), `updateWithDeltas`.
 *
 * `node bench/dist/micro/idle-event.js [--n=10000] [--kind=ConfigMap] [--count=200]
 * [--warmup=3000] [--idle=100]`, with `NODE_ENV=production` as the bench's consumers run.
 *
 * Measured on this machine (2 cores of a VM; 10k ConfigMaps, 3000 events of warm-up, medians of
 * 100, two processes each, 2026-12-07), µs:
 *
 * | idle before each event | parse | reducer alone | dispatch after it | update |
 * |---|---|---|---|---|
 * | none (back to back) | 5 to 8 | 4.6 to 6 | 2.6 to 2.8 | 8 to 10 |
 * | 2 ms | 42 to 43 | 33 to 34 | 10 | 27 to 29 |
 * | 20 ms | 64 to 65 | 41 to 43 | 11 | 40 |
 * | 100 ms | 66 to 84 | 47 to 64 | 14 to 18 | 39 to 52 |
 *
 * The code and its JIT state are the same in every row (a bare JSON.parse of a 1.1 KB line, in a
 * script of its own, took 1.3 µs back to back and 35 to 37 after 20 or 100 ms): after idle time
 * every peer's code runs some ten times slower than back to back, and a peer's part of one
 * change's latency (150 to 220 µs for kates-ts and client-node in the full runs) is mostly the
 * processor waking up. A lead there needs less code and memory touched per event.
 */
import { type Delta, type KubernetesObject, katesReducer, type ResourceType } from '@kates/core';
import { parseWatchLine, watchEvents } from '@kates/core/internal';
import type { BenchKind } from '../objects.js';
import { RESOURCES } from '../resources.js';
import { quantile, summarize } from '../stats.js';
import { argOf } from './args.js';
import { eventLines } from './feed.js';
import { katesFixture } from './kates-fixture.js';

const arg = (name: string, fallback: number) => Number(argOf(name) ?? fallback);

async function main(): Promise<void> {
  const n = arg('n', 10_000);
  const count = arg('count', 200);
  const warmup = arg('warmup', 3000);
  const idleMs = arg('idle', 100);
  const kind = (argOf('kind') ?? 'ConfigMap') as BenchKind;
  const fixture = await katesFixture(kind, n);
  const snapshot: { objects?: readonly KubernetesObject[] } = {};
  const deltas: Delta[] = [];
  fixture.acc.update(snapshot);
  const rt: ResourceType = RESOURCES[kind];
  const lines = eventLines(kind, n, 'bench', warmup + count, n + 1);
  const stages = {
    parse: [] as number[],
    reducer: [] as number[],
    dispatch: [] as number[],
    update: [] as number[],
  };
  for (let k = 0; k < lines.length; k++) {
    const timed = k >= warmup;
    if (timed && idleMs > 0) await new Promise((r) => setTimeout(r, idleMs));
    const t0 = performance.now();
    const parsed = parseWatchLine(lines[k]!, rt);
    const t1 = performance.now();
    if (parsed.kind !== 'event') throw new Error(`line ${k}: ${parsed.kind}`);
    const action = watchEvents({ key: fixture.key, events: [parsed.event] });
    const state = fixture.store.getState().kates;
    const t2 = performance.now();
    katesReducer(state, action);
    const t3 = performance.now();
    fixture.store.dispatch(action);
    const t4 = performance.now();
    fixture.acc.updateWithDeltas(snapshot, deltas);
    const t5 = performance.now();
    if (!timed) continue;
    stages.parse.push(t1 - t0);
    stages.reducer.push(t3 - t2);
    stages.dispatch.push(t4 - t3);
    stages.update.push(t5 - t4);
  }
  const us = (values: number[]) =>
    `${(summarize(values).median * 1000).toFixed(1)} µs (p90 ${(quantile(values, 0.9) * 1000).toFixed(1)})`;
  console.log(
    `${kind} ${n}, ${count} events each after ${idleMs} ms idle (${warmup} back to back first): ` +
      `parse ${us(stages.parse)}, reducer alone ${us(stages.reducer)}, dispatch after it ` +
      `${us(stages.dispatch)}, update ${us(stages.update)}; snapshot ${snapshot.objects?.length} objects`,
  );
  fixture.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
