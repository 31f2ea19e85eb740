import { describe, expect, it } from 'vitest';
import { runMemory } from './memory.js';

describe('the memory measurement', () => {
  it('counts every object held and relates the heap to the JSON size', async () => {
    for (const holder of ['raw', 'kates', 'entity-adapter'] as const) {
      const r = await runMemory({ holder, kind: 'Pod', n: 400, dropManagedFields: false });
      expect(r.count).toBe(400);
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
