import { describe, expect, it } from 'vitest';
import { runPendingBench } from './pending-bench.js';

describe('the pending-writes micro-benchmark', () => {
  it('shows every write while it waits and releases each when its watch event comes', async () => {
    const r = await runPendingBench({ kind: 'ConfigMap', n: 500, pending: 120, events: 30 });
    expect(r.correct).toBe(true);
    expect(r.pending).toBe(120);
    expect(r.eventUs.n).toBe(30);
    expect(r.writeMeanUs).toBeGreaterThan(0);
    expect(r.confirmMeanUs).toBeGreaterThan(0);
  });
});
