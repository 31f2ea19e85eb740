import { describe, expect, it } from 'vitest';
import type { PeerName } from '../consumers/protocol.js';
import type { ChurnResult } from '../scenarios/churn.js';
import { emptyRun } from './__fixtures__/run.js';
import { churnBar } from './churn-bar.js';
import { renderMarkdown } from './markdown.js';

const summary = (median: number) => ({ median, min: median * 0.9, max: median * 1.1, n: 20 });

function churn(
  server: 'fake' | 'real',
  n: number,
  peer: PeerName,
  v: {
    one: number;
    /** The client's part of one change, µs. */
    client?: number;
    p50: number;
    p99: number;
    update: number;
    burst?: [events: number, updates: number];
  },
  extra: Partial<ChurnResult> = {},
): ChurnResult {
  return {
    server,
    kind: 'ConfigMap',
    n,
    peer,
    updateAfterOneUs: summary(v.update),
    trickleLatencyMs: summary(v.one),
    ...(v.client !== undefined ? { trickleClientUs: summary(v.client) } : {}),
    steady: {
      offeredPerSec: 500,
      ingestedPerSec: 500,
      p50Ms: v.p50,
      p99Ms: v.p99,
      updates: 900,
      events: 2001,
      lagMs: 0,
    },
    ...(v.burst
      ? { burst: { events: v.burst[0], updates: v.burst[1], drainMs: 50, ingestedPerSec: 20_000 } }
      : {}),
    correct: true,
    ...extra,
  };
}

const fake: ChurnResult[] = [
  churn('fake', 10_000, 'kates', { one: 2.8, client: 210, p50: 1.6, p99: 24, update: 27, burst: [1001, 2] }),
  // kates-ts slower in the client and faster in all: never judged, so the verdict below is unchanged.
  churn(
    'fake',
    10_000,
    'client-node',
    {
      one: 3.0,
      client: 190,
      p50: 1.1,
      p99: 26,
      update: 24,
      burst: [1001, 1001],
    },
    { trickleVersusKatesUs: { median: -40, lo: -90, hi: 10, n: 80 } },
  ),
  churn(
    'fake',
    100_000,
    'client-node',
    {
      one: 2.7,
      p50: 1300,
      p99: 2000,
      update: 2500,
      burst: [2001, 2001],
    },
    { trickleVersusKatesUs: { median: -120, lo: -180, hi: -60, n: 40 } },
  ),
  churn('fake', 100_000, 'kates', { one: 2.7, p50: 3, p99: 58, update: 2490, burst: [2001, 4] }),
];
const real: ChurnResult[] = [
  churn('real', 10_000, 'kates', { one: 4.6, p50: 3, p99: 40, update: 29 }),
  churn('real', 10_000, 'client-node', { one: 5.3, p50: 3.4, p99: 30, update: 260 }, { correct: false }),
];

describe('the churn bar of issue 18', () => {
  const bar = churnBar({
    fake: { bootstrap: [], churn: fake, slow: [] },
    real: { bootstrap: [], churn: real, slow: [] },
  });

  it('judges kates-ts against client-node of the same run: one change ≤ 1x, steady p50 ≤ 1.5x, p99 ≤ 1x, update ≤ 1x', () => {
    const verdicts = bar.map((b) => [
      b.server,
      b.n,
      b.oneChange?.met,
      b.steadyP50?.met,
      b.steadyP99?.met,
      b.update?.met,
    ]);
    expect(verdicts).toEqual([
      // 1.6 ms is 1.45x client-node's 1.1 (met); update 27 against 24 µs (missed).
      ['fake', 10_000, true, true, true, false],
      // An equal latency meets "≤".
      ['fake', 100_000, true, true, true, true],
      // client-node's final snapshot was wrong: nothing to judge against.
      ['real', 10_000, undefined, undefined, undefined, undefined],
    ]);
  });

  it("shows the client's part of one change beside it, without judging it", () => {
    expect(bar.map((b) => b.oneChangeInClient)).toEqual([{ kates: 210, peer: 190 }, undefined, undefined]);
  });

  it('shows beside it the paired difference of the same writes, and whether its interval tells the clients apart', () => {
    expect(bar.map((b) => b.oneChangePaired?.median)).toEqual([-40, -120, undefined]);
    const md = renderMarkdown({
      ...emptyRun,
      fake: { bootstrap: [], churn: fake, slow: [] },
      real: { bootstrap: [], churn: real, slow: [] },
    });
    expect(md).toContain('| -40 (-90 to +10; 80 writes): no difference shown |');
    expect(md).toContain('| -120 (-180 to -60; 40 writes): kates-ts faster |');
  });

  it('judges only the burst the bar names (1,001 events, ≤ 3 updates) and shows the others', () => {
    expect(bar.map((b) => b.burst)).toEqual([
      { kates: 2, events: 1001, met: true },
      { kates: 4, events: 2001 },
      undefined,
    ]);
  });

  it('is a table of the report, with a verdict per case', () => {
    const md = renderMarkdown({
      ...emptyRun,
      fake: { bootstrap: [], churn: fake, slow: [] },
      real: { bootstrap: [], churn: real, slow: [] },
    });
    expect(md).toContain('### The bar of issue 18 under churn: kates-ts against client-node');
    expect(md).toMatch(
      /\| in-memory \| 10,000 \| 2\.8 \/ 3 \(0\.93x\) \| 210 \/ 190 \(1\.11x\) \| -40 \(-90 to \+10; 80 writes\): no difference shown \|.*\| \*\*missed\*\* \(update\) \|/,
    );
    expect(md).toMatch(/\| in-memory \| 100,000 \|.*\| 4 of 2,001 events \(not judged\) \| \*\*met\*\* \|/);
  });
});
