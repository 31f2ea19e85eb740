import type { KubernetesObject } from '@kates/core/browser';
import { describe, expect, it } from 'vitest';
import { makeObject, podType } from './__fixtures__/pods.js';
import { indexByName, itemByUid, positionalChanges, uidsOf } from './indexes.js';

const items = (n: number, rv = 1): KubernetesObject[] =>
  Array.from({ length: n }, (_, i) => makeObject(podType, i, rv + i));

describe('query indexes', () => {
  it('returns the same uid list for a new items array that only modified objects', () => {
    const a = items(100);
    const b = a.slice();
    b[40] = makeObject(podType, 40, 999);
    const ua = uidsOf(a);
    expect(uidsOf(b)).toBe(ua);
    const c = a.slice(1);
    expect(uidsOf(c)).not.toBe(ua);
    expect(uidsOf(c)).toEqual(ua.slice(1));
  });

  it('does not reuse a uid list of the same length when the order differs', () => {
    const a = items(3);
    const b = [a[1]!, a[0]!, a[2]!];
    expect(uidsOf(a)).toEqual(['pods-uid-0', 'pods-uid-1', 'pods-uid-2']);
    expect(uidsOf(b)).toEqual(['pods-uid-1', 'pods-uid-0', 'pods-uid-2']);
  });

  it('finds an object at its position hint, or by uid when the hint is stale', () => {
    const a = items(10);
    expect(itemByUid(a, 'pods-uid-4', 4)).toBe(a[4]);
    expect(itemByUid(a, 'pods-uid-4', 5)).toBe(a[4]);
    expect(itemByUid(a, 'pods-uid-42', 5)).toBeUndefined();
    expect(indexByName(a).get('default/pods-00007')).toBe(a[7]);
  });

  it('lists the positions a modification changed, and nothing for arrays of different lengths', () => {
    const a = items(50);
    const b = a.slice();
    b[3] = makeObject(podType, 3, 500);
    b[44] = makeObject(podType, 44, 501);
    expect(positionalChanges(a, b)).toEqual([3, 44]);
    expect(positionalChanges(a, a.slice(1))).toBeUndefined();
  });
});
