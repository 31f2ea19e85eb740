import { describe, expect, it } from 'vitest';
import { runWorkQueueBench } from './workqueue-bench.js';

describe('the work queue micro-benchmark', () => {
  it('processes every key exactly once, never by two workers at once, with and without metrics', async () => {
    const r = await runWorkQueueBench({ keys: 2000, addsPerKey: 3, workers: 4, runs: 2 });
    expect(r.correct).toBe(true);
    expect(r.keysPerSecond.n).toBe(2);
    expect(r.keysPerSecondWithMetrics.n).toBe(2);
    expect(r.addUs.median).toBeGreaterThan(0);
  });
});
