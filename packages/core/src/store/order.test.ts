import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod, StoreDriver } from './__fixtures__/store.js';
import { compareObjects, findSorted, isSortedField } from './sorted-items.js';
import { treeGet } from './tree.js';

/** A later turn of the event loop: where the copy a field's next change starts from is made. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('snapshot fields', () => {
  it('are sorted by namespace, then name', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list(
      'all',
      '10',
      [
        pod('b', { uid: 'u1', namespace: 'ns2', rv: '1' }),
        pod('z', { uid: 'u2', namespace: 'ns1', rv: '2' }),
        pod('a', { uid: 'u3', namespace: 'ns2', rv: '3' }),
        pod('m', { uid: 'u4', namespace: 'ns1', rv: '4' }),
      ],
      1,
    );
    expect(d.names('q')).toEqual(['ns1/m@4', 'ns1/z@2', 'ns2/a@3', 'ns2/b@1']);
    d.events(
      'all',
      ['ADDED', pod('c', { uid: 'u5', namespace: 'ns1', rv: '11' })],
      ['ADDED', pod('a', { uid: 'u6', namespace: 'ns0', rv: '12' })],
    );
    expect(d.names('q')).toEqual(['ns0/a@12', 'ns1/c@11', 'ns1/m@4', 'ns1/z@2', 'ns2/a@3', 'ns2/b@1']);
    d.events('all', ['DELETED', pod('z', { uid: 'u2', namespace: 'ns1', rv: '13' })]);
    expect(d.names('q')).toEqual(['ns0/a@12', 'ns1/c@11', 'ns1/m@4', 'ns2/a@3', 'ns2/b@1']);
  });

  it('order two objects of one name (deleted and recreated) by uid', () => {
    const a = pod('x', { uid: 'u2', rv: '1' });
    const b = pod('x', { uid: 'u1', rv: '2' });
    expect(compareObjects(a, b)).toBeGreaterThan(0);
    expect(compareObjects(b, a)).toBeLessThan(0);
    expect(compareObjects(a, a)).toBe(0);
  });

  it('keep the identity of objects that did not change across updates', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', [pod('a', { rv: '1' }), pod('b', { rv: '2' }), pod('c', { rv: '3' })]);
    const before = d.items('q');
    d.events('all', ['MODIFIED', pod('b', { rv: '11', phase: 'Running' })]);
    const after = d.items('q');
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]?.metadata?.resourceVersion).toBe('11');
    expect(after[2]).toBe(before[2]);
  });

  it('keep the array identity of a field whose members did not change', () => {
    const d = new StoreDriver()
      .watch('web', { labelSelector: 'app=web' })
      .watch('db', { labelSelector: 'app=db' })
      .query('web', 'web', { labelSelector: 'app=web' })
      .query('db', 'db', { labelSelector: 'app=db' });
    d.list('web', '10', [pod('w', { rv: '5', labels: { app: 'web' } })]);
    d.list('db', '10', [pod('d', { rv: '6', labels: { app: 'db' } })]);
    const web = d.items('web');
    const db = d.items('db');
    const members = d.state.queries.web!.members;
    d.events('db', ['MODIFIED', pod('d', { rv: '11', labels: { app: 'db' }, phase: 'Running' })]);
    d.bookmark('web', '12');
    expect(d.state.queries.web!.members).toBe(members);
    expect(d.items('web')).toBe(web);
    expect(d.items('db')).not.toBe(db);
    // A duplicate of what the watch already has changes nothing either.
    const db2 = d.items('db');
    d.events('db', ['MODIFIED', pod('d', { rv: '11', labels: { app: 'db' }, phase: 'Running' })]);
    expect(d.items('db')).toBe(db2);
  });

  it('stay equal to a full sort after many incremental changes', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '100', []);
    let rv = 100;
    // Enough changes at once to take every path of the incremental update (few, many, most).
    // Few: up to 8 replaced or removed objects are found by identity, more by their sort key.
    for (const batch of [3, 40, 300, 5, 700, 9, 1]) {
      const events: ['ADDED' | 'MODIFIED' | 'DELETED', ReturnType<typeof pod>][] = [];
      for (let i = 0; i < batch; i++) {
        const n = (i * 7919 + batch) % 500;
        const type = i % 5 === 0 && batch > 1 ? 'DELETED' : 'ADDED';
        events.push([type, pod(`p${n}`, { namespace: `ns${n % 3}`, rv: String(++rv) })]);
      }
      d.events('all', ...events);
      const items = d.items('q');
      expect([...items].sort(compareObjects)).toEqual(items);
      const uids = new Set(items.map((o) => o.metadata?.uid));
      expect(uids.size).toBe(items.length);
      const members = d.state.queries.q!.members;
      expect(items.length).toBe(members.size);
      // Each item is its uid's newest object, wherever the incremental update found its place.
      for (const item of items) expect(treeGet(members, item.metadata!.uid!)).toBe(item);
    }
  });

  it('start a change from a copy made ahead between changes, and stay equal to a full sort with every earlier field unchanged', async () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    const n = 3000;
    d.list(
      'all',
      '10000',
      Array.from({ length: n }, (_, i) => pod(`p${i}`, { namespace: `ns${i % 4}`, rv: String(i + 1) })),
    );
    const earlier: [readonly KubernetesObject[], KubernetesObject[]][] = [];
    let rv = 10_000;
    // Turns between changes (the copy is made) or none (it is not yet); few and many changes.
    const steps = [1, 1, 2, 0, 1, 40, 1, 3, 0, 1, 900, 1, 1];
    for (const [k, batch] of steps.entries()) {
      if (k % 3 !== 2) await turn();
      const events: ['ADDED' | 'MODIFIED' | 'DELETED', ReturnType<typeof pod>][] = [];
      for (let i = 0; i < batch; i++) {
        const at = (k * 7919 + i * 104_729) % (n + 50);
        const type = i % 4 === 1 ? 'DELETED' : at >= n ? 'ADDED' : 'MODIFIED';
        events.push([type, pod(`p${at}`, { namespace: `ns${at % 4}`, rv: String(++rv) })]);
      }
      if (events.length > 0) d.events('all', ...events);
      const from = vi.spyOn(Array, 'from');
      const items = d.items('q');
      // With a turn before a change of few objects, no copy is made in the read itself.
      if (k % 3 !== 2 && batch > 0 && batch < 256) expect(from).not.toHaveBeenCalled();
      from.mockRestore();
      expect([...items].sort(compareObjects)).toEqual(items);
      const members = d.state.queries.q!.members;
      expect(items.length).toBe(members.size);
      for (const item of items) expect(treeGet(members, item.metadata!.uid!)).toBe(item);
      earlier.push([items, [...items]]);
      for (const [field, copy] of earlier) expect(field).toEqual(copy);
    }
  });

  it('stay equal to a full sort for any changes, turns between them and reads of earlier states, with every field handed out frozen, marked sorted and unchanged (fast-check)', async () => {
    const n = 2100;
    const change = fc.record({
      at: fc.nat({ max: n + 40 }),
      type: fc.constantFrom('ADDED' as const, 'MODIFIED' as const, 'DELETED' as const),
    });
    const step = fc.record({
      // A turn of the event loop before the step: the copy made ahead is ready for it.
      turn: fc.boolean(),
      changes: fc.array(change, { maxLength: 12 }),
      // Also reads the field of an earlier state, as time travel and DevTools do.
      back: fc.option(fc.nat(), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const d = new StoreDriver().watch('all').query('q', 'all');
        const objectAt = (at: number, rv: number) =>
          pod(`p${at}`, { namespace: `ns${at % 3}`, rv: String(rv) });
        d.list(
          'all',
          '100000',
          Array.from({ length: n }, (_, i) => objectAt(i, i + 1)),
        );
        const select = d.selectors.selectQueryItems('q');
        const handed: [readonly KubernetesObject[], KubernetesObject[]][] = [];
        const check = (root: ReturnType<typeof d.store.getState>) => {
          const items = select(root);
          const members = root.kates.queries.q!.members;
          expect(items.length).toBe(members.size);
          expect([...items].sort(compareObjects)).toEqual(items);
          for (const item of items) expect(treeGet(members, item.metadata!.uid!)).toBe(item);
          // Frozen and marked sorted, whether made from a copy made ahead or not.
          expect(Object.isFrozen(items)).toBe(true);
          expect(isSortedField(items)).toBe(true);
          handed.push([items, [...items]]);
        };
        const states = [d.store.getState()];
        check(states[0]!);
        let rv = 100_000;
        for (const s of steps) {
          if (s.turn) await turn();
          if (s.changes.length > 0)
            d.events(
              'all',
              ...s.changes.map((c): [typeof c.type, KubernetesObject] => [c.type, objectAt(c.at, ++rv)]),
            );
          states.push(d.store.getState());
          if (s.back !== undefined) {
            check(states[s.back % states.length]!);
            if (s.turn) await turn();
          }
          check(d.store.getState());
        }
        for (const [field, copy] of handed) expect(field).toEqual(copy);
      }),
      { numRuns: 40 },
    );
  });

  it('are marked sorted whether built whole or updated, and find an object by namespace and name', () => {
    const d = new StoreDriver().watch('all').query('q', 'all');
    d.list('all', '10', [
      pod('b', { namespace: 'ns1', rv: '1' }),
      pod('a', { namespace: 'ns2', rv: '2' }),
      pod('a', { namespace: 'ns1', rv: '3', uid: 'uid-a1' }),
    ]);
    const built = d.items('q');
    expect(isSortedField(built)).toBe(true);
    expect(findSorted(built, 'ns1', 'a')?.metadata?.uid).toBe('uid-a1');
    expect(findSorted(built, 'ns2', 'a')?.metadata?.uid).toBe('uid-a');
    expect(findSorted(built, 'ns1', 'c')).toBeUndefined();
    expect(findSorted(built, 'ns0', 'a')).toBeUndefined();
    // Recreated under a new uid before the old one's deletion came: two of one name, the last in order.
    d.events('all', ['ADDED', pod('b', { namespace: 'ns1', rv: '11', uid: 'uid-b2' })]);
    const updated = d.items('q');
    expect(updated).not.toBe(built);
    expect(isSortedField(updated)).toBe(true);
    expect(findSorted(updated, 'ns1', 'b')?.metadata?.uid).toBe('uid-b2');
    expect(isSortedField(Object.freeze([...updated]))).toBe(false);
  });

  it('find by binary search what a scan finds, for any objects (fast-check)', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'd');
    const entry = fc.record({ ns: fc.constantFrom('', 'x', 'y'), name, uid: fc.constantFrom('1', '2', '3') });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.uid + e.ns + e.name }), (entries) => {
        const d = new StoreDriver().watch('all').query('q', 'all');
        const objects = entries.map((e, i) => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: e.name,
            ...(e.ns ? { namespace: e.ns } : {}),
            uid: `${e.uid}-${e.ns}-${e.name}`,
            resourceVersion: String(i + 1),
          },
        }));
        d.list('all', String(objects.length + 1), objects);
        const items = d.items('q');
        for (const ns of ['', 'x', 'y', 'z']) {
          for (const n of ['a', 'b', 'c', 'd', 'e']) {
            const matches = items.filter(
              (o) => (o.metadata?.namespace ?? '') === ns && o.metadata?.name === n,
            );
            expect(findSorted(items, ns, n)).toBe(matches.at(-1));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
