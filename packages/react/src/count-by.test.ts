import type { KubernetesObject } from '@kates/core/browser';
import { describe, expect, it } from 'vitest';
import { makeObject, podType } from './__fixtures__/pods.js';
import { countBy } from './count-by.js';

const phases = ['Running', 'Pending', 'Failed'];
const items = (n: number): KubernetesObject[] =>
  Array.from({ length: n }, (_, i) => makeObject(podType, i, i + 1, phases[i % 3]));

/** A full count, the reference. */
function counted(list: readonly KubernetesObject[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of list) out[p.status!.phase!] = (out[p.status!.phase!] ?? 0) + 1;
  return out;
}

/** A keyOf that counts its calls, so a test can tell a full count from a moved one. */
function phaseKey() {
  const key = Object.assign(
    (p: KubernetesObject) => {
      key.calls++;
      return p.status?.phase ?? 'Unknown';
    },
    { calls: 0 },
  );
  return key;
}

describe('countBy', () => {
  it('counts a query by key once, then moves the counts by the modified objects only', () => {
    const key = phaseKey();
    const a = items(10_000);
    expect(countBy(a, key)).toEqual(counted(a));
    expect(key.calls).toBe(10_000);
    const b = a.slice();
    b[7] = makeObject(podType, 7, 20_000, 'Succeeded');
    b[8] = makeObject(podType, 8, 20_001, 'Running');
    key.calls = 0;
    expect(countBy(b, key)).toEqual(counted(b));
    expect(key.calls).toBe(4);
  });

  it('returns the same counts while no count moved, and the same for the same array', () => {
    const key = phaseKey();
    const a = items(30);
    const first = countBy(a, key);
    expect(countBy(a, key)).toBe(first);
    const b = a.slice();
    b[4] = makeObject(podType, 4, 999, a[4]!.status!.phase);
    expect(countBy(b, key)).toBe(first);
  });

  it('counts again after an addition, a deletion or a new order, as a full count would', () => {
    const key = phaseKey();
    const a = items(30);
    countBy(a, key);
    const added = [...a, makeObject(podType, 30, 100, 'Failed')];
    expect(countBy(added, key)).toEqual(counted(added));
    const removed = added.slice(1);
    expect(countBy(removed, key)).toEqual(counted(removed));
    const swapped = removed.slice();
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    swapped[2] = makeObject(podType, 3, 101, 'Unknown');
    expect(countBy(swapped, key)).toEqual(counted(swapped));
  });

  it('drops a key whose count falls to zero, as a full count would not list it', () => {
    const key = phaseKey();
    const a = items(3);
    countBy(a, key);
    const b = a.slice();
    b[2] = makeObject(podType, 2, 50, 'Running');
    expect(countBy(b, key)).toEqual({ Running: 2, Pending: 1 });
    expect(Object.keys(countBy(b, key))).not.toContain('Failed');
  });
});
