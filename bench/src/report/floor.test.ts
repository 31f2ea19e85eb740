import { describe, expect, it } from 'vitest';
import type { PeerName } from '../consumers/protocol.js';
import type { BootstrapResult } from '../scenarios/bootstrap.js';
import { emptyRun } from './__fixtures__/run.js';
import { bootstrapBar, fastestPeer, trueFloor } from './floor.js';
import { renderMarkdown } from './markdown.js';

const summary = (median: number) => ({ median, min: median * 0.9, max: median * 1.1, n: 2 });

function row(
  server: 'fake' | 'real',
  kind: string,
  n: number,
  peer: PeerName,
  median: number,
  extra: Partial<BootstrapResult> = {},
): BootstrapResult {
  return { server, kind, n, peer, ms: summary(median), heapPerObject: 1000, correct: true, ...extra };
}

const fake: BootstrapResult[] = [
  row('fake', 'ConfigMap', 1000, 'floor', 60),
  row('fake', 'ConfigMap', 1000, 'floor-unpaged', 40),
  row('fake', 'ConfigMap', 1000, 'floor-2000', 45),
  row('fake', 'ConfigMap', 1000, 'floor-stream', 50),
  row('fake', 'ConfigMap', 1000, 'kates', 47),
  row('fake', 'ConfigMap', 1000, 'client-node', 55),
  row('fake', 'ConfigMap', 1000, 'go-kates', 140),
  // At 100k Pods one LIST fails (V8's string limit) and the stream is the fastest way left.
  row('fake', 'Pod', 100_000, 'floor-unpaged', Number.NaN, {
    ms: { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 },
    correct: false,
    error: 'Cannot create a string longer than 0x1fffffe8 characters',
  }),
  row('fake', 'Pod', 100_000, 'floor-2000', 9000),
  row('fake', 'Pod', 100_000, 'floor-stream', 7000),
  row('fake', 'Pod', 100_000, 'kates', 9000),
  row('fake', 'Pod', 100_000, 'client-node', Number.NaN, {
    ms: { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 },
    correct: false,
    error: 'client-node: Cannot create a string longer than 0x1fffffe8 characters',
  }),
  // A floor with a wrong snapshot is no floor.
  row('fake', 'Pod', 100_000, 'floor', 100, { correct: false }),
];
const real: BootstrapResult[] = [
  row('real', 'ConfigMap', 100_000, 'floor-unpaged', 3000),
  row('real', 'ConfigMap', 100_000, 'floor-2000', 3100),
  row('real', 'ConfigMap', 100_000, 'floor-stream', 3300),
  row('real', 'ConfigMap', 100_000, 'kates', 3500),
  row('real', 'ConfigMap', 100_000, 'client-node', 3400),
];

describe('the true floor', () => {
  it('is the fastest floor way that measured the case, failed or wrong ones left out', () => {
    expect(trueFloor(fake, 'ConfigMap', 1000)).toEqual({ peer: 'floor-unpaged', median: 40 });
    expect(trueFloor(fake, 'Pod', 100_000)).toEqual({ peer: 'floor-stream', median: 7000 });
    expect(trueFloor(fake, 'Pod', 1000)).toBeUndefined();
  });

  it('is compared with the fastest external peer (client-node, Go kates), never with our own baselines', () => {
    expect(fastestPeer(fake, 'ConfigMap', 1000)).toEqual({ peer: 'client-node', median: 55 });
    expect(fastestPeer(fake, 'Pod', 100_000)).toBeUndefined();
  });

  it('gives the bar of issue 18 per case and server: ≤ 1.0x the fastest peer, ≤ 1.2x the true floor', () => {
    const bar = bootstrapBar({
      fake: { bootstrap: fake, churn: [], slow: [] },
      real: { bootstrap: real, churn: [], slow: [] },
    });
    expect(bar.map((b) => [b.server, b.kind, b.n, b.vsPeerMet, b.vsFloorMet])).toEqual([
      // 47 ms: under client-node's 55, and 1.18x the one LIST's 40.
      ['fake', 'ConfigMap', 1000, true, true],
      // No peer finished; 9000 / 7000 = 1.29x the stream.
      ['fake', 'Pod', 100_000, undefined, false],
      // 3500 against client-node's 3400: missed; 1.17x the floor.
      ['real', 'ConfigMap', 100_000, false, true],
    ]);
  });

  it('is a column of the report, named, and the ratios are taken against it', () => {
    const md = renderMarkdown({
      ...emptyRun,
      fake: { bootstrap: fake, churn: [], slow: [], collections: '1000 ConfigMaps, 100000 Pods' },
      real: {
        bootstrap: real,
        churn: [],
        slow: [],
        collections: '100000 ConfigMaps',
        setup: 'written straight into etcd by bench/etcd-seed',
        setupMs: 40_000,
      },
    });
    expect(md).toContain(
      '| kind | N | reps | true floor (fastest way) | floor: pages of 500 | floor: one LIST |',
    );
    expect(md).toContain('| ConfigMap | 1,000 | 2 | 40 (one LIST) | 60 (54–66) |');
    expect(md).toContain('| Pod | 100,000 | 2 | 7000 (streaming list) |');
    // kates-ts / true floor, then client-node / true floor.
    expect(md).toContain('| ConfigMap | 1,000 | 1.18x | 1.38x |');
    expect(md).toContain(
      '| in-memory | ConfigMap | 1,000 | 47 | 55 (client-node informer) | 0.85x | 40 (one LIST) | 1.18x | **met** |',
    );
    expect(md).toContain(
      '| in-memory | Pod | 100,000 | 9000 | none finished | n/a | 7000 (streaming list) | 1.29x | **missed** |',
    );
    expect(md).toContain(
      '| kube-apiserver | ConfigMap | 100,000 | 3500 | 3400 (client-node informer) | 1.03x |',
    );
    expect(md).toContain('Wall time by part: store 5.0 min, fake 95 s, real 3.3 min.');
    expect(md).toContain(
      'Real kube-apiserver with etcd (end to end): 100000 ConfigMaps, written straight into etcd by bench/etcd-seed, in 40 s.',
    );
  });
});
