import { describe, expect, it } from 'vitest';
import { runMemory } from './memory.js';

describe('the memory measurement', () => {
  it('counts every object held and relates the heap to the JSON size', async () => {
    // 2000 Pods, not 400: at 400 the heap's own movements inside the window (bytecode of earlier
    // code flushed by the collections: 0.9 KB an object for kates-ts, 1.9 KB with
    // --no-flush-bytecode, against 5 KB raw) came within 10% of the bound; at 2000, 7.1 KB.
    for (const holder of ['raw', 'kates', 'entity-adapter'] as const) {
      const r = await runMemory({ holder, kind: 'Pod', n: 2000, dropManagedFields: false });
      expect(r.count).toBe(2000);
      expect(r.jsonPerObject).toBeGreaterThan(4000);
      expect(r.heapPerObject).toBeGreaterThan(1000);
    }
  });

  it('holds less when managedFields are dropped', async () => {
    const kept = await runMemory({ holder: 'kates', kind: 'Pod', n: 400, dropManagedFields: false });
    const dropped = await runMemory({ holder: 'kates', kind: 'Pod', n: 400, dropManagedFields: true });
    expect(dropped.heapPerObject).toBeLessThan(kept.heapPerObject);
  });
});
