import { freezeSorted } from '@kates/core/internal';
import { describe, expect, it } from 'vitest';
import { objectByKey, objectKey, splitKey } from './keys.js';

const cm = (namespace: string | undefined, name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('work queue keys', () => {
  it('keys a namespaced object namespace/name and a cluster-scoped one by name, and splits them back', () => {
    expect(objectKey(cm('shop', 'web'))).toBe('shop/web');
    expect(objectKey(cm(undefined, 'node-1'))).toBe('node-1');
    expect(splitKey('shop/web')).toEqual({ namespace: 'shop', name: 'web' });
    expect(splitKey('node-1')).toEqual({ name: 'node-1' });
  });

  it('refuses an object without a name, saying to use an object read from the API server', () => {
    expect(() => objectKey({ kind: 'Pod', metadata: { generateName: 'web-' } })).toThrow(
      /Pod has no metadata.name.*read from the API server/,
    );
  });

  it('finds an object of a snapshot field by key, in a frozen field through an index and in a plain array', () => {
    const items = [cm('a', 'x'), cm('b', 'x'), cm(undefined, 'x')];
    const frozen = Object.freeze([...items]);
    for (const field of [items, frozen]) {
      expect(objectByKey(field, 'b/x')).toBe(items[1]);
      expect(objectByKey(field, 'x')).toBe(items[2]);
      expect(objectByKey(field, 'c/x')).toBeUndefined();
    }
    expect(objectByKey(undefined, 'a/x')).toBeUndefined();
  });

  it('finds an object of a field kates sorted by binary search, the last of two of one name', () => {
    const recreated = { ...cm('b', 'x'), metadata: { name: 'x', namespace: 'b', uid: 'new' } };
    // In snapshot order: cluster-scoped first (namespace ''), then by namespace and name.
    const items = [cm(undefined, 'x'), cm('a', 'x'), cm('a', 'y'), cm('b', 'x'), recreated];
    const field = freezeSorted([...items]);
    expect(objectByKey(field, 'x')).toBe(items[0]);
    expect(objectByKey(field, 'a/y')).toBe(items[2]);
    expect(objectByKey(field, 'b/x')).toBe(recreated);
    expect(objectByKey(field, 'a/z')).toBeUndefined();
    expect(objectByKey(field, 'c/x')).toBeUndefined();
  });
});
