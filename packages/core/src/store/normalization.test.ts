import { describe, expect, it } from 'vitest';
import { pod, StoreDriver } from './__fixtures__/store.js';
import { freezeByDefault } from './reducer.js';
import { localOf, objectCount, storedOf } from './stored-object.js';

describe('objects are normalized by uid', () => {
  it('holds an object once whatever the number of queries that show it', () => {
    const d = new StoreDriver()
      .watch('all')
      .watch('web', { labelSelector: 'app=web' })
      .query('q1', 'all')
      .query('q2', 'all')
      .query('q3', 'web', { labelSelector: 'app=web' });
    const p = pod('a', { rv: '10', labels: { app: 'web' } });
    d.list('all', '10', [p]).list('web', '10', [p]);
    expect(objectCount(d.state)).toBe(1);
    expect(d.items('q1')).toHaveLength(1);
    expect(d.items('q2')).toHaveLength(1);
    expect(d.items('q3')).toHaveLength(1);
  });

  it('shares the very same object between two overlapping queries', () => {
    const d = new StoreDriver()
      .watch('web', { labelSelector: 'app=web' })
      .watch('ns1', { namespace: 'ns1' })
      .query('web', 'web', { labelSelector: 'app=web' })
      .query('ns1', 'ns1', { namespace: 'ns1' });
    const shared = pod('a', { namespace: 'ns1', rv: '10', labels: { app: 'web' } });
    // Each watch delivers its own parsed copy of the same version.
    d.list('web', '10', [
      structuredClone(shared),
      pod('b', { namespace: 'ns2', rv: '9', labels: { app: 'web' } }),
    ]);
    d.list('ns1', '10', [structuredClone(shared), pod('c', { namespace: 'ns1', rv: '8' })]);
    const inWeb = d.items('web').find((o) => o.metadata?.name === 'a');
    const inNs1 = d.items('ns1').find((o) => o.metadata?.name === 'a');
    expect(inWeb).toBeDefined();
    expect(inWeb).toBe(inNs1);
    expect(inWeb).toBe(d.object('uid-a'));
    expect(objectCount(d.state)).toBe(3);

    // A newer version from either watch replaces it in both queries at once.
    d.events('ns1', [
      'MODIFIED',
      pod('a', { namespace: 'ns1', rv: '11', labels: { app: 'web' }, phase: 'Running' }),
    ]);
    const a2 = d.object('uid-a');
    expect(a2?.metadata?.resourceVersion).toBe('11');
    expect(d.items('web').find((o) => o.metadata?.name === 'a')).toBe(a2);
    expect(d.items('ns1').find((o) => o.metadata?.name === 'a')).toBe(a2);
  });

  it('freezes the objects it hands out', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '5', [pod('a', { rv: '5', labels: { app: 'web' } })]);
    const a = d.items('q')[0]!;
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.metadata)).toBe(true);
    expect(Object.isFrozen(a.metadata?.labels)).toBe(true);
    expect(Object.isFrozen(d.items('q'))).toBe(true);
  });

  it('leaves objects unfrozen when told not to freeze, with the same snapshots', () => {
    const d = new StoreDriver({ freeze: false }).watch('all').query('q', 'all');
    d.list('all', '5', [pod('a', { rv: '5', labels: { app: 'web' } })]);
    const a = d.items('q')[0]!;
    expect(Object.isFrozen(a)).toBe(false);
    expect(Object.isFrozen(a.metadata?.labels)).toBe(false);
    expect(a.metadata?.name).toBe('a');
    // The snapshot array itself stays frozen: it is the store's own, built once per change.
    expect(Object.isFrozen(d.items('q'))).toBe(true);
  });

  it('freezes by default outside production and not in production', () => {
    const saved = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      expect(freezeByDefault()).toBe(false);
      const prod = new StoreDriver().watch('all').query('q', 'all');
      prod.list('all', '5', [pod('a', { rv: '5' })]);
      expect(Object.isFrozen(prod.items('q')[0])).toBe(false);
      process.env.NODE_ENV = 'development';
      expect(freezeByDefault()).toBe(true);
      const dev = new StoreDriver().watch('all').query('q', 'all');
      dev.list('all', '5', [pod('a', { rv: '5' })]);
      expect(Object.isFrozen(dev.items('q')[0])).toBe(true);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it('drops an object when no watch holds it any more', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '5', [pod('a', { rv: '5' })]).events('all', ['DELETED', pod('a', { rv: '6' })]);
    expect(objectCount(d.state)).toBe(0);
    expect(d.items('q')).toEqual([]);
  });

  it('keeps an object that one watch let go while another still holds it', () => {
    const d = new StoreDriver()
      .watch('web', { labelSelector: 'app=web' })
      .watch('all')
      .query('web', 'web', { labelSelector: 'app=web' })
      .query('all', 'all');
    const p = pod('a', { rv: '5', labels: { app: 'web' } });
    d.list('web', '5', [p]).list('all', '5', [p]);
    // The label changes: the web watch delivers DELETED (it left the selector), the other MODIFIED.
    const moved = pod('a', { rv: '6', labels: { app: 'db' } });
    d.events('web', ['DELETED', moved]);
    expect(d.names('web')).toEqual([]);
    expect(d.names('all')).toEqual(['default/a@6']);
    d.events('all', ['MODIFIED', moved]);
    expect(d.names('all')).toEqual(['default/a@6']);
    expect(objectCount(d.state)).toBe(1);
  });

  it('takes an object whose own top-level fields are named object, groupKind and local for itself, with and without a write pending', () => {
    const d = new StoreDriver().watch('all').watch('lagging').query('q', 'all');
    const odd = () => ({
      ...pod('a', { rv: '5' }),
      object: { metadata: { name: 'not-me' } },
      groupKind: 'Other',
      local: { resourceVersion: '999', deleted: true },
    });
    d.list('all', '5', [odd()]).list('lagging', '5', [odd()]);
    expect(d.names('q')).toEqual(['default/a@5']);
    expect(d.object('uid-a')?.local).toEqual({ resourceVersion: '999', deleted: true });
    // A write the lagging watch has not reached: held pending, shown as written.
    d.write({ ...odd(), metadata: { ...odd().metadata, resourceVersion: '6' } });
    expect(localOf(storedOf(d.state, 'uid-a'))?.resourceVersion).toBe('6');
    expect(d.names('q')).toEqual(['default/a@6']);
    expect(d.object('uid-a')?.object).toEqual({ metadata: { name: 'not-me' } });
    // Both watches pass it: released, stored bare again.
    d.events('all', ['MODIFIED', { ...odd(), metadata: { ...odd().metadata, resourceVersion: '6' } }]);
    d.events('lagging', ['MODIFIED', { ...odd(), metadata: { ...odd().metadata, resourceVersion: '6' } }]);
    expect(localOf(storedOf(d.state, 'uid-a'))).toBeUndefined();
    expect(d.names('q')).toEqual(['default/a@6']);
    expect(d.object('uid-a')?.groupKind).toBe('Other');
  });

  it("keeps each kind's objects in a tree of its own, which a write or a deletion of another kind leaves as it is", () => {
    const d = new StoreDriver()
      .watch('cm', { groupKind: 'ConfigMap' })
      .query('cms', 'cm', { groupKind: 'ConfigMap' })
      .watch('pods')
      .query('pods', 'pods');
    d.list('cm', '50', [pod('c1', { uid: 'uid-c1', rv: '50' })]).list('pods', '60', [
      pod('p1', { rv: '60' }),
    ]);
    const configMaps = d.state.objects.ConfigMap;
    expect(configMaps?.size).toBe(1);
    expect(d.state.objects.Pod?.size).toBe(1);
    // A write of a Pod: pending in the Pods' tree only.
    d.write(pod('p1', { rv: '61' }));
    expect(localOf(storedOf(d.state, 'uid-p1'))?.resourceVersion).toBe('61');
    expect(d.state.objects.ConfigMap).toBe(configMaps);
    expect(d.names('pods')).toEqual(['default/p1@61']);
    // The ConfigMap goes: its kind's tree with it; the Pod and its pending write stay.
    d.events('cm', ['DELETED', pod('c1', { uid: 'uid-c1', rv: '62' })]);
    expect(d.state.objects.ConfigMap).toBeUndefined();
    expect(objectCount(d.state)).toBe(1);
    expect(d.names('cms')).toEqual([]);
    expect(localOf(storedOf(d.state, 'uid-p1'))?.resourceVersion).toBe('61');
    d.events('pods', ['MODIFIED', pod('p1', { rv: '61' })]);
    expect(localOf(storedOf(d.state, 'uid-p1'))).toBeUndefined();
    expect(d.names('pods')).toEqual(['default/p1@61']);
  });
});
