import { DEFAULT_LIST_PAGE_SIZE, STREAMED_ABOVE_CHARS, STREAMED_ABOVE_PAGES } from '@kates/core/internal';
import { describe, expect, it } from 'vitest';
import { collectionsOf, FULL, QUICK, selectCases } from './plan.js';

describe('the plan', () => {
  it('measures what issue 18 asks of the real server: 1k to 100k ConfigMaps, 1k and 10k Pods, one change at 100k, both initial lists of kates', () => {
    const cases = FULL.real.bootstrap.map((b) => `${b.kind} ${b.n}`);
    expect(cases).toEqual(
      expect.arrayContaining([
        'ConfigMap 1000',
        'ConfigMap 10000',
        'ConfigMap 100000',
        'Pod 1000',
        'Pod 10000',
      ]),
    );
    expect(FULL.real.churn.map((c) => c.n)).toContain(100_000);
    expect(FULL.fake.churn.map((c) => c.n)).toContain(100_000);
    // Every case: the streaming floor, kates-ts and client-node (but at 100k Pods, where its one
    // LIST cannot be a string); kates-ts both ways (its default lists up to 20k, so the other way
    // is `kates-stream`) and all three floors below 100k,
    // where none of them is known to be the fastest by far (at 100k the streaming floor took a
    // third to half the one LIST's time, and kates-ts streams by default); the paged floor at 100k
    // ConfigMaps, where it came second.
    // kates-ts' default lists below 100k objects and 40 MiB, and streams at 100k and at 10k Pods
    // (about 4.9 KB each): the other way is the stream or the list.
    expect(10_000).toBeLessThanOrEqual(STREAMED_ABOVE_PAGES * DEFAULT_LIST_PAGE_SIZE);
    expect(100_000).toBeGreaterThan(STREAMED_ABOVE_PAGES * DEFAULT_LIST_PAGE_SIZE);
    expect(10_000 * 1100).toBeLessThan(STREAMED_ABOVE_CHARS);
    expect(10_000 * 4800).toBeGreaterThan(STREAMED_ABOVE_CHARS);
    expect(1000 * 4800 * 2).toBeLessThan(STREAMED_ABOVE_CHARS);
    const otherWay = (b: { kind: string; n: number }) =>
      b.kind === 'Pod' && b.n === 10_000 ? 'kates-list' : 'kates-stream';
    for (const b of FULL.fake.bootstrap) {
      expect(b.peers, `${b.kind} ${b.n}`).toEqual(
        expect.arrayContaining(
          b.kind === 'Pod' && b.n === 100_000
            ? ['floor-stream', 'kates']
            : ['floor-stream', 'kates', 'client-node'],
        ),
      );
      if (b.n < 100_000)
        expect(b.peers, `${b.kind} ${b.n}`).toEqual(expect.arrayContaining([otherWay(b), 'floor-unpaged']));
      // The paged floor wherever kates-ts lists by default: below 100k, but for 10k Pods, which it streams.
      if (b.n < 100_000 && otherWay(b) === 'kates-stream')
        expect(b.peers, `${b.kind} ${b.n}`).toContain('floor-2000');
      if (b.kind === 'ConfigMap') expect(b.peers, `${b.kind} ${b.n}`).toContain('floor-2000');
    }
    for (const kind of ['ConfigMap', 'Pod'])
      expect(FULL.fake.bootstrap.filter((b) => b.kind === kind).map((b) => b.n)).toEqual([
        1000, 10_000, 100_000,
      ]);
    for (const b of FULL.real.bootstrap) {
      expect(b.peers, `${b.kind} ${b.n}`).toEqual(
        expect.arrayContaining(['floor-stream', 'kates', 'client-node']),
      );
      // Go kates everywhere but at 10k Pods, where it took three to four times client-node's time.
      if (b.kind === 'ConfigMap' || b.n < 10_000) expect(b.peers, `${b.kind} ${b.n}`).toContain('go-kates');
      if (b.n < 100_000)
        expect(b.peers, `${b.kind} ${b.n}`).toEqual(expect.arrayContaining(['floor-unpaged', otherWay(b)]));
    }
  });

  it("measures kube-apiserver's ConfigMaps below 100k without gzip too: a floor, and kates-ts with compression off", () => {
    for (const b of FULL.real.bootstrap)
      if (b.kind === 'ConfigMap' && b.n < 100_000)
        expect(b.peers, `${b.n}`).toEqual(expect.arrayContaining(['floor-plain', 'kates-plain']));
  });

  it('runs kates-ts and the floors as many times as their case has rounds', () => {
    for (const b of [...FULL.fake.bootstrap, ...FULL.real.bootstrap])
      for (const peer of ['kates', 'floor-unpaged', 'floor-2000', 'floor-stream', 'floor-plain'] as const)
        expect(b.repsOf?.[peer] ?? b.reps, `${b.kind} ${b.n} ${peer}`).toBe(b.reps);
  });

  it('needs one collection per kind and size, churn and slow consumer on ConfigMaps', () => {
    expect(collectionsOf(FULL.real).map((c) => `${c.namespace} ${c.n}`)).toEqual([
      'bench-configmap-1000 1000',
      'bench-configmap-10000 10000',
      'bench-configmap-100000 100000',
      'bench-pod-1000 1000',
      'bench-pod-10000 10000',
    ]);
    expect(collectionsOf(QUICK.fake).map((c) => `${c.kind} ${c.n}`)).toEqual([
      'ConfigMap 1000',
      'ConfigMap 10000',
      'Pod 1000',
    ]);
  });

  it('keeps only the cases --cases matches, and the collections they need', () => {
    const only = selectCases(FULL, /^real churn ConfigMap 100000$/);
    expect(only.real.bootstrap).toEqual([]);
    expect(only.real.churn.map((c) => c.n)).toEqual([100_000]);
    expect(only.fake.bootstrap).toEqual([]);
    expect(only.fake.slow.peers).toEqual([]);
    expect(collectionsOf(only.fake)).toEqual([]);
    expect(collectionsOf(only.real).map((c) => c.n)).toEqual([100_000]);
    expect(selectCases(FULL, undefined)).toBe(FULL);
    expect(selectCases(FULL, /fake slow/).fake.slow.peers.length).toBeGreaterThan(0);
  });
});
