import { describe, expect, it } from 'vitest';
import { runStoreBench } from './store-bench.js';

describe('the store micro-benchmark', () => {
  for (const impl of ['kates', 'kates-frozen', 'map', 'entity-adapter'] as const) {
    it(`leaves the ${impl} snapshot with every object in its newest state`, async () => {
      const r = await runStoreBench({
        impl,
        kind: 'Pod',
        n: 300,
        warmupEvents: 10,
        singleEvents: 40,
        batchSize: 25,
        batches: 3,
        updates: 5,
        budgetMs: 10_000,
      });
      expect(r.problems).toEqual([]);
      expect(r.correct).toBe(true);
      expect(r.single.events).toBe(40);
      expect(r.batched.batches).toBe(3);
      expect(r.updateMs.n).toBe(5);
      expect(r.single.parseMeanUs).toBeGreaterThan(0);
      expect(r.single.parseMeanUs).toBeLessThan(r.single.meanUs);
    });
  }
});
