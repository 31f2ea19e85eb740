import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../results.js';
import { emptyRun } from './__fixtures__/run.js';
import type { BrowserRow } from './browser.js';
import { renderBrowserChart, renderChart } from './chart.js';
import { renderMarkdown } from './markdown.js';

const summary = (median: number) => ({ median, min: median * 0.9, max: median * 1.2, n: 3 });

const results: BenchResults = {
  ...emptyRun,
  mode: 'quick',
  durationS: 95,
  go: { error: 'bench/go-kates/build.sh exited with code 1:\ngo: module lookup disabled' },
  store: [
    {
      impl: 'kates',
      kind: 'Pod',
      n: 100_000,
      buildMs: 1,
      single: { events: 10, us: summary(40), meanUs: 42, eventsPerSec: 23_800, parseMeanUs: 20 },
      batched: {
        batchSize: 1000,
        batches: 2,
        eventsPerSec: 60_000,
        storeEventsPerSec: 90_000,
        parseOnlyPerSec: 180_000,
      },
      updateMs: summary(0.5),
      correct: true,
      problems: [],
    },
    {
      impl: 'entity-adapter',
      kind: 'Pod',
      n: 100_000,
      buildMs: 1,
      single: { events: 3, us: summary(100_000), meanUs: 100_000, eventsPerSec: 10, parseMeanUs: 20 },
      batched: {
        batchSize: 1000,
        batches: 0,
        eventsPerSec: 9,
        storeEventsPerSec: 9,
        parseOnlyPerSec: 50_000,
      },
      updateMs: summary(30),
      correct: true,
      problems: [],
    },
  ],
  memory: [
    {
      holder: 'raw',
      kind: 'Pod',
      n: 100_000,
      dropManagedFields: false,
      heapPerObject: 8000,
      jsonPerObject: 4800,
      count: 100_000,
    },
    {
      holder: 'kates',
      kind: 'Pod',
      n: 100_000,
      dropManagedFields: false,
      heapPerObject: 8400,
      jsonPerObject: 4800,
      count: 100_000,
    },
    {
      holder: 'kates',
      kind: 'Pod',
      n: 100_000,
      dropManagedFields: true,
      heapPerObject: 5600,
      jsonPerObject: 4800,
      count: 100_000,
    },
  ],
  fake: {
    setupMs: 1000,
    collections: '1000 ConfigMaps',
    bootstrap: [
      {
        server: 'fake',
        kind: 'ConfigMap',
        n: 1000,
        peer: 'floor',
        ms: summary(50),
        heapPerObject: 2900,
        correct: true,
      },
      {
        server: 'fake',
        kind: 'ConfigMap',
        n: 1000,
        peer: 'kates',
        ms: summary(60),
        heapPerObject: 3100,
        correct: true,
      },
      {
        server: 'fake',
        kind: 'ConfigMap',
        n: 1000,
        peer: 'client-node',
        ms: summary(90),
        heapPerObject: 3300,
        correct: true,
      },
      {
        server: 'fake',
        kind: 'ConfigMap',
        n: 1000,
        peer: 'go-kates',
        ms: summary(Number.NaN),
        heapPerObject: Number.NaN,
        correct: false,
        error: 'not built (see the Go kates section)',
      },
    ],
    churn: [
      {
        server: 'fake',
        kind: 'ConfigMap',
        n: 1000,
        peer: 'kates',
        updateAfterOneUs: summary(60),
        trickleLatencyMs: summary(4),
        steady: {
          offeredPerSec: 500,
          ingestedPerSec: 498,
          p50Ms: 25,
          p99Ms: 50,
          updates: 80,
          events: 2000,
          lagMs: 30,
        },
        burst: { events: 5001, ingestedPerSec: 40_000, drainMs: 125, updates: 3 },
        correct: true,
      },
      {
        server: 'fake',
        kind: 'ConfigMap',
        n: 1000,
        peer: 'client-node',
        updateAfterOneUs: summary(9),
        trickleLatencyMs: summary(3),
        steady: {
          offeredPerSec: 500,
          ingestedPerSec: 499,
          p50Ms: 2,
          p99Ms: 40,
          updates: 2000,
          events: 2000,
          lagMs: 1,
        },
        burst: { events: 5001, ingestedPerSec: 20_000, drainMs: 250, updates: 5001 },
        correct: true,
      },
    ],
    slow: [
      {
        server: 'fake',
        n: 1000,
        peer: 'kates',
        events: 2001,
        reconcileMs: 500,
        updates: 5,
        peakRssBytes: 2 ** 28,
        drainMs: 300,
        correct: true,
      },
    ],
  },
  real: { bootstrap: [], churn: [], slow: [], error: 'Go is not installed' },
  notes: [],
};

describe('the report', () => {
  it('states each issue 4 bar with its verdict, from the numbers of the run', () => {
    const md = renderMarkdown(results);
    expect(md).toContain(
      '| one watch event, 100,000 Pods in the store: parse + store + accumulator listener | ≤ 50 µs | 40 µs median',
    );
    expect(md).toMatch(
      /update\(snapshot\) after one change, 100,000 Pods \| ≤ 1 ms \| 0\.5 \(0\.45–0\.6\) ms \| 30 \(27–36\) ms \(selectAll\) \| \*\*met\*\*/,
    );
    expect(md).toContain('| 1.05x (8,400 B vs 8,000 B an object)');
  });

  it('gives ratios to the floor and to kates-ts, and the exact reason a peer is missing', () => {
    const md = renderMarkdown(results);
    expect(md).toContain('| ConfigMap | 1,000 | 1.20x |');
    expect(md).toContain('go: module lookup disabled');
    expect(md).toContain('Real kube-apiserver: failed: Go is not installed');
    expect(md).toContain('| 1,000 | client-node informer | 0.15x | 0.80x | 2.00x |');
  });

  it('names in the reps column the peers that ran fewer times than the rounds of their case', () => {
    const fewer: BenchResults = {
      ...results,
      fake: {
        ...results.fake,
        bootstrap: results.fake.bootstrap.map((b) =>
          b.peer === 'client-node' ? { ...b, ms: { ...b.ms, n: 1 } } : b,
        ),
      },
    };
    expect(renderMarkdown(results)).toMatch(/\| ConfigMap \| 1,000 \| 3 \| 50 \(pages of 500\) \|/);
    expect(renderMarkdown(fewer)).toMatch(/\| ConfigMap \| 1,000 \| 3 \(client-node informer 1\) \| 50 /);
  });

  it('says why no peer is named at 100k Pods on the in-memory server when the plan ran none', () => {
    const pods = (peer: 'kates' | 'floor-stream' | 'client-node') => ({
      server: 'fake' as const,
      kind: 'Pod',
      n: 100_000,
      peer,
      ms: summary(9000),
      heapPerObject: 9000,
      correct: true,
    });
    const without = {
      ...results,
      fake: { ...results.fake, bootstrap: [pods('kates'), pods('floor-stream')] },
    };
    expect(renderMarkdown(without)).toContain(
      'client-node is not run at 100,000 Pods on the in-memory server',
    );
    const withIt = {
      ...without,
      fake: { ...without.fake, bootstrap: [...without.fake.bootstrap, pods('client-node')] },
    };
    expect(renderMarkdown(withIt)).not.toContain('client-node is not run');
    expect(renderMarkdown(results)).not.toContain('client-node is not run');
  });

  it('draws the chart as plain SVG with one series per peer', () => {
    const svg = renderChart(results);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>client-node</text>');
    expect((svg.match(/<polyline /g) ?? []).length).toBe(5);
    expect(svg).not.toContain('NaN');
  });

  it('writes the browser part: the bar of issue 24 with verdicts from one run, a table per rate, a chart', () => {
    const row = (variant: string, over: Partial<BrowserRow>): BrowserRow => ({
      variant,
      events: 800,
      ingestP50: 0.02,
      ingestP95: 0.1,
      flushes: 0,
      perEventMs: 0.02,
      commits: 400,
      commitP50: 0.1,
      commitP95: 0.5,
      commitMax: 4,
      latencyP50: 8,
      latencyP95: 16,
      latencyMax: 30,
      reactMsPerS: 5,
      busyMsPerS: 25,
      mainMsPerS: 150,
      scriptMsPerS: 60,
      fps: 60,
      frameP50: 16.7,
      frameP95: 16.7,
      frameP99: 33.3,
      frameMax: 40,
      longFrames: 0,
      blockingMs: 0,
      heapLiveMB: 8,
      ...over,
    });
    const withBrowser: BenchResults = {
      ...results,
      browser: {
        pods: 10_000,
        seconds: 8,
        repeat: 1,
        date: '2026-01-01',
        rates: [
          {
            rate: 100,
            rows: [
              row('kates', { flushes: 450, flushP50: 0.2, flushP95: 0.5 }),
              row('naive', { busyMsPerS: 40, heapLiveMB: 6.4, ingestP50: 0.01 }),
            ],
          },
          {
            rate: 1000,
            rows: [
              // An ingest p50 of 0.1 ms as Chromium's clock reads it: 20 steps of 5 us, and float error.
              row('kates', { busyMsPerS: 45, longFrames: 2, frameMax: 66.7, ingestP50: 0.10000000149011612 }),
              row('naive', { busyMsPerS: 240, heapLiveMB: 8 }),
            ],
          },
        ],
        notes: [],
      },
    };
    const md = renderMarkdown(withBrowser);
    expect(md).toContain('## Browser: 10k pods in Chromium (issue 24)');
    expect(md).toContain(
      "| 100 events/s: kates ingest + React ms/s ≤ the naive list's | 25.0 against 40.0 (0.63x) | **met** |",
    );
    expect(md).toContain(
      "| 100 events/s: live heap ≤ 1.5x the naive list's | 8.0 MB against 6.4 MB (1.25x) | **met** |",
    );
    expect(md).toContain('| 1000 events/s: no frame over 50 ms | 2 (longest 66.7 ms;');
    expect(md).toMatch(
      /\| 1000 events\/s: ingest p50 ≤ 0\.1 ms per event \| 0\.100 ms [^|]* \| \*\*met\*\* \|/,
    );
    expect(md).toContain('**missed**');
    expect(md).toContain('| kates | 800 | 0.020 / 0.100 | 450: 0.20 / 0.50 |');
    expect(md).toContain('kates / naive: ingest + React 0.19x');
    const svg = renderBrowserChart(withBrowser)!;
    expect((svg.match(/<polyline /g) ?? []).length).toBe(6);
    expect(svg).not.toContain('NaN');
    expect(renderMarkdown(results)).toContain('_Not run in this run');
    expect(renderBrowserChart(results)).toBeUndefined();
  });
});
