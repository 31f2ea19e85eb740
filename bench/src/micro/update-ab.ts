/**
 * One watch event's dispatch and the consumer's `updateWithDeltas` after it, for two builds of
 * kates in one process: this build and `--other` (another checkout's bench/dist, whose
 * `@kates/core` resolves to its own packages). Each build has its own fixture (`n` ConfigMaps, one
 * accumulator); they take the same events in turns, alternating which goes first, and after
 * `--warm` events each timed event follows a 16 MB write (caches evicted) and a pause, as a
 * controller's update does when its objects change rarely. Paired in one process, the difference
 * of two builds is measured within about 2 us, where separate processes differ by 10 (2026-12-07).
 * Prints medians, and the paired differences' with the sign test's 95% interval (`medianInterval`);
 * writes nothing else.
 *
 * `NODE_ENV=production node bench/dist/micro/update-ab.js --other=/path/to/bench/dist [--n=10000]
 * [--warm=300] [--count=250]`
 */
import type { Delta, KubernetesObject } from '@kates/core';
import { medianInterval, nextTurn, summarize } from '../stats.js';
import { argOf } from './args.js';
import { eventLines } from './feed.js';
import type { KatesFixture, katesFixture as KatesFixtureOf } from './kates-fixture.js';

interface Side {
  readonly name: string;
  readonly fixture: KatesFixture;
  readonly snapshot: Record<string, readonly KubernetesObject[]>;
  readonly deltas: Delta[];
  readonly dispatchUs: number[];
  readonly updateUs: number[];
}

async function side(name: string, dist: string, n: number): Promise<Side> {
  const { katesFixture } = (await import(`${dist}/micro/kates-fixture.js`)) as {
    katesFixture: typeof KatesFixtureOf;
  };
  const fixture = await katesFixture('ConfigMap', n, { namespace: 'ab' });
  const s: Side = { name, fixture, snapshot: {}, deltas: [], dispatchUs: [], updateUs: [] };
  fixture.acc.updateWithDeltas(s.snapshot, s.deltas);
  return s;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const other = argOf('other');
  if (!other) throw new Error('update-ab: give --other=/path/to/another/bench/dist');
  const n = Number(argOf('n') ?? 10_000);
  const warm = Number(argOf('warm') ?? 300);
  const count = Number(argOf('count') ?? 250);
  const here = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  const sides = [await side('this', here, n), await side('other', other, n)];
  const lines = eventLines('ConfigMap', n, 'ab', warm + count, n + 1);
  const junk = new Uint8Array(16 << 20);
  const evict = () => {
    for (let i = 0; i < junk.length; i += 64) junk[i] = (junk[i]! + 1) & 255;
  };
  for (let k = 0; k < warm + count; k++) {
    const timed = k >= warm;
    for (let j = 0; j < sides.length; j++) {
      const s = sides[(j + k) % sides.length]!;
      const event = JSON.parse(lines[k]!);
      if (timed) {
        evict();
        await pause(3);
      }
      const t0 = performance.now();
      s.fixture.dispatchEvents([event]);
      const t1 = performance.now();
      s.fixture.acc.updateWithDeltas(s.snapshot, s.deltas);
      const t2 = performance.now();
      if (timed) {
        s.dispatchUs.push((t1 - t0) * 1000);
        s.updateUs.push((t2 - t1) * 1000);
      } else await nextTurn();
    }
  }
  const [a, b] = sides as [Side, Side];
  if (a.snapshot.objects?.length !== b.snapshot.objects?.length)
    throw new Error('update-ab: the two builds disagree on the snapshot');
  const us = (xs: readonly number[]) => summarize(xs).median.toFixed(1);
  // Paired per event, with the sign test's 95% interval of the median difference.
  const paired = (pick: (s: Side) => readonly number[]) => {
    const m = medianInterval(pick(a).map((x, i) => x - pick(b)[i]!));
    return `${m.median.toFixed(1)} us (${m.lo.toFixed(1)} to ${m.hi.toFixed(1)})`;
  };
  const row = (s: Side) => `${s.name}: dispatch ${us(s.dispatchUs)} us, update ${us(s.updateUs)} us`;
  console.log(
    `${row(a)} | ${row(b)} | this − other, paired: dispatch ${paired((s) => s.dispatchUs)}, update ${paired((s) => s.updateUs)}`,
  );
  for (const s of sides) s.fixture.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
