import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod } from '../store/__fixtures__/store.js';
import * as actions from '../store/actions.js';
import { isSortedField } from '../store/sorted-items.js';
import { service, TestHost } from './__fixtures__/host.js';
import { type Accumulator, createAccumulator } from './accumulator.js';
import type { Delta } from './delta.js';

type Snap = { pods?: readonly KubernetesObject[]; services?: readonly KubernetesObject[] };
const names = (items: readonly KubernetesObject[] | undefined) => items?.map((o) => o.metadata?.name);
const summary = (deltas: Delta[]) =>
  deltas.map((d) => `${d.type} ${d.query} ${d.name}@${d.object.metadata?.resourceVersion}`);

describe('update', () => {
  let host: TestHost;
  let acc: Accumulator;
  beforeEach(async () => {
    host = new TestHost();
    acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods' },
      { name: 'services', kind: 'svc' },
    ]);
    await host.settled();
    host.list(acc, 'pods', '10', [pod('b', { rv: '5' }), pod('a', { rv: '6' })]);
    host.list(acc, 'services', '10', [service('s', '7')]);
    return () => acc.close();
  });

  it('returns true the first time, then only when something changed', () => {
    const snap: Snap = {};
    expect(acc.update(snap)).toBe(true);
    expect(names(snap.pods)).toEqual(['a', 'b']);
    expect(acc.update(snap)).toBe(false);
    host.events(acc, 'pods', ['MODIFIED', pod('a', { rv: '11', phase: 'Running' })]);
    expect(acc.update(snap)).toBe(true);
    expect(acc.update(snap)).toBe(false);
    // A bookmark or a duplicate changes nothing.
    host.events(acc, 'pods', ['MODIFIED', pod('a', { rv: '11', phase: 'Running' })]);
    expect(acc.update(snap)).toBe(false);
  });

  it('tracks each snapshot on its own', () => {
    const one: Snap = {};
    const two: Snap = {};
    expect(acc.update(one)).toBe(true);
    host.events(acc, 'pods', ['ADDED', pod('c', { rv: '11' })]);
    expect(acc.update(one)).toBe(true);
    expect(acc.update(two)).toBe(true);
    expect(acc.update(one)).toBe(false);
    expect(acc.update(two)).toBe(false);
  });

  it('keeps the identity of a field that did not change, and of unchanged objects', () => {
    const snap: Snap = {};
    acc.update(snap);
    const { pods, services } = snap;
    host.events(acc, 'pods', ['MODIFIED', pod('b', { rv: '11', phase: 'Running' })]);
    acc.update(snap);
    expect(snap.services).toBe(services);
    expect(snap.pods).not.toBe(pods);
    expect(snap.pods?.[0]).toBe(pods?.[0]);
    expect(snap.pods?.[1]).not.toBe(pods?.[1]);
  });

  it('shows a write through the client in the next snapshot, before the watch delivers it', () => {
    const snap: Snap = {};
    acc.update(snap);
    host.store.dispatch(
      actions.localWrite({
        groupKind: 'Pod',
        object: pod('c', { rv: '12' }),
        deleted: false,
        verb: 'create',
      }),
    );
    host.store.dispatch(
      actions.localWrite({ groupKind: 'Pod', object: pod('a', { rv: '13' }), deleted: true, verb: 'delete' }),
    );
    expect(acc.update(snap)).toBe(true);
    expect(names(snap.pods)).toEqual(['b', 'c']);
  });
});

describe('deltas', () => {
  let host: TestHost;
  let acc: Accumulator;
  beforeEach(async () => {
    host = new TestHost();
    acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods' },
      { name: 'services', kind: 'svc' },
    ]);
    await host.settled();
    host.list(acc, 'pods', '10', [pod('a', { rv: '5' }), pod('b', { rv: '6' })]);
    host.list(acc, 'services', '10', []);
    return () => acc.close();
  });

  it('are adds for everything on the first update', () => {
    const deltas: Delta[] = [];
    acc.updateWithDeltas({}, deltas);
    expect(summary(deltas).sort()).toEqual(['add pods a@5', 'add pods b@6']);
    expect(deltas[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod', namespace: 'default' });
  });

  it('report adds, updates and deletes since the last update, the last state winning', () => {
    const snap: Snap = {};
    const deltas: Delta[] = [];
    acc.updateWithDeltas(snap, deltas);
    host.events(
      acc,
      'pods',
      ['MODIFIED', pod('a', { rv: '11' })],
      ['MODIFIED', pod('a', { rv: '12' })],
      ['MODIFIED', pod('a', { rv: '13' })],
      ['DELETED', pod('b', { rv: '14', phase: 'Succeeded' })],
      ['ADDED', pod('c', { rv: '15' })],
      ['MODIFIED', pod('c', { rv: '16' })],
    );
    host.events(acc, 'services', ['ADDED', service('s', '17')]);
    expect(acc.updateWithDeltas(snap, deltas)).toBe(true);
    expect(summary(deltas).sort()).toEqual([
      'add pods c@16',
      'add services s@17',
      'delete pods b@6',
      'update pods a@13',
    ]);
    // A delete carries the state this snapshot last showed (not the DELETED event's final state:
    // the store has dropped it by now).
    expect(deltas.find((d) => d.type === 'delete')?.object.metadata?.resourceVersion).toBe('6');
    expect(acc.updateWithDeltas(snap, deltas)).toBe(false);
    expect(deltas).toEqual([]);
  });

  it('reads deltas without a snapshot, each cursor from where it last read', () => {
    const one = {};
    const two = {};
    const deltas: Delta[] = [];
    expect(acc.readDeltas(one, deltas)).toBe(true);
    expect(summary(deltas).sort()).toEqual(['add pods a@5', 'add pods b@6']);
    expect(acc.readDeltas(one, deltas)).toBe(false);
    expect(deltas).toEqual([]);
    host.events(
      acc,
      'pods',
      ['MODIFIED', pod('a', { rv: '11' })],
      ['DELETED', pod('b', { rv: '12' })],
      ['ADDED', pod('c', { rv: '13' })],
    );
    // The same deltas, objects and order as updateWithDeltas gives a snapshot over the same change.
    const snap: Snap = {};
    const viaSnapshot: Delta[] = [];
    acc.updateWithDeltas(snap, viaSnapshot);
    expect(acc.readDeltas(one, deltas)).toBe(true);
    expect(summary(deltas).sort()).toEqual(['add pods c@13', 'delete pods b@6', 'update pods a@11']);
    // A second cursor starts from nothing: what a snapshot updated for the first time gets.
    expect(acc.readDeltas(two, deltas)).toBe(true);
    expect(deltas).toEqual(viaSnapshot);
    // Reading deltas fills no field of anything, and marks the change signal read.
    expect(one).toEqual({});
    expect(acc.readDeltas(two, deltas)).toBe(false);
  });

  it('yield nothing for an object added and deleted between two updates', () => {
    const snap: Snap = {};
    const deltas: Delta[] = [];
    acc.updateWithDeltas(snap, deltas);
    host.events(acc, 'pods', ['ADDED', pod('c', { rv: '11' })]);
    host.events(acc, 'pods', ['DELETED', pod('c', { rv: '12' })]);
    acc.updateWithDeltas(snap, deltas);
    expect(deltas).toEqual([]);
  });

  it('report a delete and an add for an object recreated under a new uid', () => {
    const snap: Snap = {};
    const deltas: Delta[] = [];
    acc.updateWithDeltas(snap, deltas);
    host.events(
      acc,
      'pods',
      ['DELETED', pod('a', { rv: '11' })],
      ['ADDED', pod('a', { uid: 'uid-a2', rv: '12' })],
    );
    acc.updateWithDeltas(snap, deltas);
    expect(deltas.map((d) => `${d.type} ${d.uid}`).sort()).toEqual(['add uid-a2', 'delete uid-a']);
  });
});

describe('deltas of several readers', () => {
  const step = fc.oneof(
    fc.record({
      t: fc.constant('event' as const),
      n: fc.nat(6),
      type: fc.constantFrom('ADDED' as const, 'MODIFIED' as const, 'DELETED' as const),
    }),
    // Which snapshot updates (its deltas checked), or a React read of the items in between.
    fc.record({ t: fc.constant('update' as const), snap: fc.nat(2) }),
    fc.constant({ t: 'getSnapshot' as const }),
  );

  it('are what changed since each snapshot was last updated, whoever else read the items in between (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const host = new TestHost();
        const acc = createAccumulator(host, [{ name: 'pods', kind: 'pods' }]);
        try {
          await host.settled();
          host.list(acc, 'pods', '10', [pod('p0', { rv: '5' }), pod('p1', { rv: '6' })]);
          const snaps: Snap[] = [{}, {}, {}];
          // What each snapshot showed when it was last updated, by uid.
          const shown = snaps.map(() => new Map<string, KubernetesObject>());
          let rv = 10;
          for (const s of steps) {
            if (s.t === 'event') {
              host.events(acc, 'pods', [s.type, pod(`p${s.n}`, { rv: String(++rv) })]);
            } else if (s.t === 'getSnapshot') {
              acc.getSnapshot();
            } else {
              const deltas: Delta[] = [];
              acc.updateWithDeltas(snaps[s.snap]!, deltas);
              const before = shown[s.snap]!;
              const now = new Map((snaps[s.snap]!.pods ?? []).map((o) => [o.metadata!.uid!, o]));
              const expected: string[] = [];
              for (const [uid, o] of now) {
                const was = before.get(uid);
                if (!was) expected.push(`add ${uid}@${o.metadata?.resourceVersion}`);
                else if (was !== o) expected.push(`update ${uid}@${o.metadata?.resourceVersion}`);
              }
              for (const [uid, o] of before)
                if (!now.has(uid)) expected.push(`delete ${uid}@${o.metadata?.resourceVersion}`);
              const got = deltas.map((d) => `${d.type} ${d.uid}@${d.object.metadata?.resourceVersion}`);
              expect(got.sort()).toEqual(expected.sort());
              shown[s.snap] = now;
            }
          }
        } finally {
          acc.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('filteredUpdate', () => {
  let host: TestHost;
  let acc: Accumulator;
  const notFailed = (o: KubernetesObject) => o.status?.phase !== 'Failed';
  beforeEach(async () => {
    host = new TestHost();
    acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods' },
      { name: 'web', kind: 'pods', labelSelector: 'app=web' },
    ]);
    await host.settled();
    const items = [
      pod('a', { rv: '5', phase: 'Failed', labels: { app: 'web' } }),
      pod('b', { rv: '6', phase: 'Running' }),
    ];
    host.list(acc, 'pods', '10', items);
    host.list(acc, 'web', '10', [items[0]!]);
    return () => acc.close();
  });

  it('leaves out objects for which the predicate is false', () => {
    const snap: Snap & { web?: readonly KubernetesObject[] } = {};
    const deltas: Delta[] = [];
    expect(acc.filteredUpdate(snap, deltas, notFailed)).toBe(true);
    expect(names(snap.pods)).toEqual(['b']);
    expect(snap.web).toEqual([]);
    // An update that makes the predicate true brings it in; one that makes it false takes it out.
    host.events(
      acc,
      'pods',
      ['MODIFIED', pod('a', { rv: '11', phase: 'Running', labels: { app: 'web' } })],
      ['MODIFIED', pod('b', { rv: '12', phase: 'Failed' })],
    );
    acc.filteredUpdate(snap, deltas, notFailed);
    expect(names(snap.pods)).toEqual(['a']);
    // Still in snapshot order, and marked so: objectByKey searches it rather than indexing it.
    expect(isSortedField(snap.pods!)).toBe(true);
  });

  it('keeps the identity of a filtered field that did not change', () => {
    const snap: Snap = {};
    acc.filteredUpdate(snap, undefined, notFailed);
    const pods = snap.pods;
    expect(acc.filteredUpdate(snap, undefined, notFailed)).toBe(false);
    expect(snap.pods).toBe(pods);
  });

  it('does not filter another snapshot updated without a predicate', () => {
    acc.filteredUpdate({}, undefined, notFailed);
    const plain: Snap = {};
    acc.update(plain);
    expect(names(plain.pods)).toEqual(['a', 'b']);
  });

  it('judges each field on its own: leaving one query does not bring an object back into another', () => {
    const snap: Snap & { web?: readonly KubernetesObject[] } = {};
    acc.filteredUpdate(snap, undefined, notFailed);
    // `a` leaves the web query (its label changes) but is still Failed.
    host.events(acc, 'pods', ['MODIFIED', pod('a', { rv: '11', phase: 'Failed', labels: { app: 'db' } })]);
    host.events(acc, 'web', ['DELETED', pod('a', { rv: '11', phase: 'Failed', labels: { app: 'db' } })]);
    acc.filteredUpdate(snap, undefined, notFailed);
    expect(names(snap.pods)).toEqual(['b']);
    expect(snap.web).toEqual([]);
  });
});
