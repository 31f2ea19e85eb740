import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectStore, ResourceVersionExpired } from './store.js';

const CM = '/configmaps';
const put = (store: ObjectStore, key: string, v: string) =>
  store.commit(CM, key, (rv) => ({ metadata: { name: key, resourceVersion: rv }, data: { v } }));
const remove = (store: ObjectStore, key: string) => store.commit(CM, key, () => undefined);
const view = (store: ObjectStore, ns?: string, after?: string, rv?: number) =>
  [...store.keysFrom(CM, ns, after, rv)].map(([k, o]) => `${k}=${o.data.v}`);

describe('the object store', () => {
  it('counts resourceVersions globally and records ADDED, MODIFIED and DELETED with the previous state', () => {
    const store = new ObjectStore(100);
    const a = put(store, 'ns/a', '1');
    const b = put(store, 'ns/a', '2');
    const c = remove(store, 'ns/a');
    expect([a.rv, b.rv, c.rv]).toEqual([2, 3, 4]);
    expect([a.type, b.type, c.type]).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(c.object.metadata?.resourceVersion).toBe('4');
    expect(c.object.data).toEqual({ v: '2' });
    expect(Object.isFrozen(b.object)).toBe(true);
  });

  it('reads the state at an older resourceVersion, for consistent pages', () => {
    const store = new ObjectStore(100);
    put(store, 'ns/a', '1');
    put(store, 'ns/b', '1');
    put(store, 'other/z', '1');
    const snapshot = store.resourceVersion;
    put(store, 'ns/a', '2');
    remove(store, 'ns/b');
    put(store, 'ns/c', '1');
    expect(view(store, 'ns')).toEqual(['ns/a=2', 'ns/c=1']);
    expect(view(store, 'ns', undefined, snapshot)).toEqual(['ns/a=1', 'ns/b=1']);
    expect(view(store, 'ns', 'ns/a', snapshot)).toEqual(['ns/b=1']);
    expect(view(store, undefined, undefined, snapshot)).toEqual(['ns/a=1', 'ns/b=1', 'other/z=1']);
    expect(store.countFrom(CM, 'ns', 'ns/a')).toBe(1);
    expect(store.countFrom(CM, undefined, 'ns/a', snapshot)).toBe(2);
  });

  it('forgets events beyond its window, and all of them on compact', () => {
    const store = new ObjectStore(3);
    const start = store.resourceVersion;
    for (let i = 0; i < 3; i++) put(store, `k${i}`, '1');
    expect(store.eventsSince(CM, start)).toHaveLength(3);
    put(store, 'k3', '1');
    expect(() => store.eventsSince(CM, start)).toThrow(ResourceVersionExpired);
    expect(store.eventsSince(CM, start + 1)).toHaveLength(3);
    store.compact();
    expect(() => store.eventsSince(CM, start + 1)).toThrow(ResourceVersionExpired);
    expect(store.eventsSince(CM, store.resourceVersion)).toEqual([]);
  });

  it('keeps keys in order through any sequence of writes and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 400 })), { maxLength: 1500 }),
        (ops) => {
          const store = new ObjectStore(10);
          const model = new Set<string>();
          ops.forEach(([write, n], i) => {
            const key = `k${String(n).padStart(3, '0')}`;
            if (write) {
              put(store, key, String(i));
              model.add(key);
            } else if (model.has(key)) {
              remove(store, key);
              model.delete(key);
            }
            if (i % 397 === 0) expect(view(store).map((s) => s.split('=')[0])).toEqual([...model].sort());
          });
          expect(view(store).map((s) => s.split('=')[0])).toEqual([...model].sort());
        },
      ),
      { numRuns: 50 },
    );
  });
});
