import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod, StoreDriver } from './__fixtures__/store.js';
import { buildSortedItems } from './sorted-items.js';
import { forEachStored, localOf, objectCount, objectOf, versionOf } from './stored-object.js';
import { type Tree, treeForEach } from './tree.js';

/**
 * The first list of the only watch of a kind is entered in bulk (`Batch.adoptFirstList`); these
 * compare it with the general case, which a second watch of the kind forces. The model test
 * (`model.property.test.ts`, one watch or two) checks both paths against the reference model.
 */

const entries = <V>(t: Tree<V>) => {
  const out: [string, V][] = [];
  treeForEach(t, (v, k) => {
    out.push([k, v]);
  });
  return out.sort(([a], [b]) => (a < b ? -1 : 1));
};

const keys = (t: Tree<unknown>) => entries(t).map(([k]) => k);

function objectsOf(d: StoreDriver) {
  const out: [string, unknown, string, unknown][] = [];
  forEachStored(d.state, (e, uid) => {
    out.push([uid, objectOf(e), versionOf(e), localOf(e)]);
  });
  return out.sort(([a], [b]) => (a < b ? -1 : 1));
}

/** 60 pods over two namespaces in the server's order (namespace, then name), a third labelled web. */
function serverList(): KubernetesObject[] {
  const pods: KubernetesObject[] = [];
  for (const ns of ['a', 'b'])
    for (let i = 0; i < 30; i++)
      pods.push(
        pod(`p${String(i).padStart(2, '0')}`, {
          uid: `u-${ns}-${(i * 7919) % 97}`,
          namespace: ns,
          rv: String(i + 1),
          labels: { app: i % 3 === 0 ? 'web' : 'db' },
        }),
      );
  return pods;
}

/**
 * The same store twice: one with watch `all` (app=web) alone, one with a second watch of the kind
 * (which has listed past everything, so that it keeps nothing hidden) to force the general case.
 */
function drivers(): [lone: StoreDriver, general: StoreDriver] {
  const make = (second: boolean) => {
    const d = new StoreDriver().watch('all', { labelSelector: 'app=web' });
    if (second) d.watch('other', { labelSelector: 'app=none' }).list('other', '1000', []);
    return d
      .query('web', 'all', { labelSelector: 'app=web' })
      .query('web2', 'all', { labelSelector: 'app=web' });
  };
  return [make(false), make(true)];
}

describe('the first list of a watch', () => {
  it('holds, shows and sorts the same objects in bulk as one by one', () => {
    const [lone, general] = drivers();
    for (const d of [lone, general]) d.list('all', '100', serverList(), 7);
    expect(objectsOf(lone)).toEqual(objectsOf(general));
    // A watch's tree is read for its keys only.
    expect(keys(lone.state.reflectors.all!.held)).toEqual(keys(general.state.reflectors.all!.held));
    for (const q of ['web', 'web2']) {
      expect(entries(lone.state.queries[q]!.members)).toEqual(entries(general.state.queries[q]!.members));
      expect(lone.items(q)).toEqual(general.items(q));
      expect(lone.items(q)).toEqual(buildSortedItems(lone.state.queries[q]!.members));
    }
    // The watch's selectors are judged again on the objects (a list is not trusted to match).
    expect(lone.items('web')).toHaveLength(20);
  });

  it("shares the list's tree as its kind's objects, its watch's uids and its queries' members when every object matches", () => {
    const shared = new StoreDriver().watch('all').query('pods', 'all').query('pods2', 'all');
    const general = new StoreDriver()
      .watch('all')
      .watch('other', { labelSelector: 'app=none' })
      .list('other', '1000', [])
      .query('pods', 'all')
      .query('pods2', 'all');
    for (const d of [shared, general]) d.list('all', '100', serverList(), 7);
    const members = shared.state.queries.pods!.members;
    expect(shared.state.queries.pods2!.members).toBe(members);
    expect(shared.state.reflectors.all!.held).toBe(members);
    expect(shared.state.objects.Pod).toBe(members);
    expect(entries(members)).toEqual(entries(general.state.queries.pods!.members));
    expect(objectsOf(shared)).toEqual(objectsOf(general));
    // Events then part them where they touch, and each reads as the general case's.
    for (const d of [shared, general])
      d.events(
        'all',
        ['MODIFIED', pod('p01', { uid: 'u-a-62', namespace: 'a', rv: '101', labels: { app: 'web' } })],
        ['DELETED', pod('p02', { uid: 'u-a-27', namespace: 'a', rv: '102', labels: { app: 'db' } })],
      );
    expect(shared.state.reflectors.all!.held).not.toBe(shared.state.queries.pods!.members);
    expect(shared.state.objects.Pod).not.toBe(shared.state.queries.pods!.members);
    expect(keys(shared.state.reflectors.all!.held)).toEqual(keys(general.state.reflectors.all!.held));
    expect(keys(shared.state.reflectors.all!.held)).toHaveLength(59);
    expect(shared.items('pods')).toEqual(general.items('pods'));
    expect(objectsOf(shared)).toEqual(objectsOf(general));
  });

  it('shares it so beside objects of another kind, and keeps those apart', () => {
    const make = (second: boolean) => {
      const d = new StoreDriver()
        .watch('cm', { groupKind: 'ConfigMap' })
        .query('cms', 'cm', { groupKind: 'ConfigMap' });
      d.list('cm', '50', [pod('c1', { uid: 'u-cm-1', namespace: 'a', rv: '50' })]);
      d.watch('all');
      if (second) d.watch('other', { labelSelector: 'app=none' }).list('other', '1000', []);
      return d.query('pods', 'all');
    };
    const [lone, general] = [make(false), make(true)];
    for (const d of [lone, general]) d.list('all', '100', serverList(), 7);
    const members = lone.state.queries.pods!.members;
    expect(lone.state.reflectors.all!.held).toBe(members);
    expect(lone.state.objects.Pod).toBe(members);
    expect(lone.state.objects.ConfigMap!.size).toBe(1);
    expect(objectCount(lone.state)).toBe(61);
    expect(objectsOf(lone)).toEqual(objectsOf(general));
    expect(lone.items('pods')).toEqual(general.items('pods'));
    expect(lone.items('cms')).toHaveLength(1);
  });

  it('sorts right when a list brings a uid twice or comes out of order', () => {
    const [lone, general] = drivers();
    const list = serverList().reverse();
    // The same uid on two pages: the later one is what the list holds.
    list.push(pod('p00', { uid: list[0]!.metadata!.uid!, namespace: 'b', rv: '99', labels: { app: 'web' } }));
    for (const d of [lone, general]) d.list('all', '100', list, 7);
    expect(objectsOf(lone)).toEqual(objectsOf(general));
    expect(lone.items('web')).toEqual(general.items('web'));
    // Twenty labelled web, and the one whose later copy is.
    expect(lone.items('web')).toHaveLength(21);
    expect(
      lone.items('web').find((o) => o.metadata?.uid === list[0]!.metadata!.uid)?.metadata?.resourceVersion,
    ).toBe('99');
  });

  it("sorts a cluster-wide list that comes in etcd's key order, and takes one in snapshot order as it is", () => {
    // etcd sorts by key: namespace `a-b` before `a` ('-' < '/'); a snapshot sorts `a` first.
    const etcdOrder = ['a-b', 'a', 'b'].flatMap((ns) =>
      ['p1', 'p2'].map((name, i) =>
        pod(name, { uid: `u-${ns}-${name}`, namespace: ns, rv: String(i + 1), labels: { app: 'web' } }),
      ),
    );
    const snapshotOrder = [...etcdOrder.slice(2, 4), ...etcdOrder.slice(0, 2), ...etcdOrder.slice(4)];
    for (const list of [etcdOrder, snapshotOrder]) {
      const [lone, general] = drivers();
      for (const d of [lone, general]) d.list('all', '100', list, 3);
      expect(lone.items('web').map((o) => o.metadata?.uid)).toEqual(
        snapshotOrder.map((o) => o.metadata?.uid),
      );
      expect(lone.items('web')).toEqual(general.items('web'));
    }
  });

  it('follows the general case once the watch holds objects, and after a relist', () => {
    const [lone, general] = drivers();
    for (const d of [lone, general]) {
      d.list('all', '100', serverList(), 7);
      d.events('all', [
        'MODIFIED',
        pod('p01', { uid: 'u-a-63', namespace: 'a', rv: '101', labels: { app: 'web' } }),
      ]);
      d.list('all', '102', serverList().slice(10), 9);
    }
    expect(objectsOf(lone)).toEqual(objectsOf(general));
    for (const q of ['web', 'web2']) expect(lone.items(q)).toEqual(general.items(q));
  });
});
