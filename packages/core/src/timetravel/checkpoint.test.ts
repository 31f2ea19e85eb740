import { describe, expect, it } from 'vitest';
import { pendingRecord, pod, StoreDriver } from '../store/__fixtures__/store.js';
import { initialKatesState, katesReducer } from '../store/reducer.js';
import type { KatesState } from '../store/state.js';
import { objectOf, storedOf } from '../store/stored-object.js';
import { treeGet } from '../store/tree.js';
import { sessionActions } from './__fixtures__/session.js';
import { type CheckpointLine, checkpointLines, stateFromCheckpoint } from './checkpoint.js';
import { Redactor } from './redact.js';
import { SnapshotHasher } from './snapshot-hash.js';

describe('checkpoints', () => {
  const actions = sessionActions();
  const live: KatesState[] = [initialKatesState];
  for (const a of actions) live.push(katesReducer(live.at(-1)!, a));
  const hasher = new SnapshotHasher(new Redactor());

  it('rebuild, at any step, a state that goes on exactly as the live one did', () => {
    for (let k = 0; k < live.length; k++) {
      const lines = JSON.parse(JSON.stringify(checkpointLines(live[k]!, new Redactor())));
      let state = stateFromCheckpoint(lines);
      expect(hasher.hash(state), `checkpoint at step ${k}`).toBe(hasher.hash(live[k]!));
      expect(state.seq).toBe(live[k]!.seq);
      for (let s = k + 1; s < live.length; s++) {
        state = katesReducer(state, actions[s - 1]!);
        expect(hasher.hash(state), `step ${s} after a checkpoint at ${k}`).toBe(hasher.hash(live[s]!));
        expect(state.seq).toBe(live[s]!.seq);
      }
    }
  });

  it('make query members the very stored objects, as the reducer does', () => {
    const state = stateFromCheckpoint(JSON.parse(JSON.stringify(checkpointLines(live[22]!, new Redactor()))));
    const q = state.queries['acc1/ConfigMaps']!;
    expect(q.members.size).toBeGreaterThan(0);
    expect(treeGet(q.members, 'u1')).toBe(objectOf(storedOf(state, 'u1')!));
    expect(Object.isFrozen(objectOf(storedOf(state, 'u1')!))).toBe(true);
  });

  it('keep a relist in progress, its objects frozen as the reducer leaves them, and the local writes not yet confirmed', () => {
    const during = live.findIndex((s) =>
      Object.values(s.reflectors).some((r) => r.relist && r.relist.size === 3),
    );
    expect(during).toBeGreaterThan(0);
    const state = stateFromCheckpoint(
      JSON.parse(JSON.stringify(checkpointLines(live[during]!, new Redactor()))),
    );
    const relist = state.reflectors['ConfigMap|ns||']!.relist!;
    expect(relist.size).toBe(3);
    // The reducer's listPage owns each page's objects; listCompleted takes them as they are.
    for (const page of relist.pages) for (const obj of page.values) expect(Object.isFrozen(obj)).toBe(true);
    expect(pendingRecord(state)).toEqual(pendingRecord(live[during]!));
    expect(state.localPending.size).toBeGreaterThan(0);
  });

  it('redact a Secret stored without a pending write by the kind of the watch that holds it, even without a kind of its own', () => {
    const d = new StoreDriver().watch('secrets', { groupKind: 'Secret' });
    const secret = pod('s1', { uid: 'u-s1', namespace: 'a', rv: '5' });
    delete secret.kind;
    d.list('secrets', '5', [{ ...secret, data: { password: 'aHVudGVyMg==' } }]);
    const lines = checkpointLines(d.state, new Redactor());
    const line = lines.find((l) => l.checkpoint === 'object');
    expect(line).toMatchObject({
      entry: { groupKind: 'Secret', object: { data: { password: '<redacted>' } } },
    });
    expect(JSON.stringify(lines)).not.toContain('aHVudGVyMg==');
  });

  it('read object lines written before objects were stored bare, with their resourceVersion and arrival', () => {
    for (const k of [22, live.length - 1]) {
      const lines = (
        JSON.parse(JSON.stringify(checkpointLines(live[k]!, new Redactor()))) as CheckpointLine[]
      ).map((l) =>
        l.checkpoint === 'object'
          ? {
              ...l,
              entry: {
                ...l.entry,
                resourceVersion: l.entry.object.metadata?.resourceVersion ?? '',
                arrival: 1,
              },
            }
          : l,
      );
      expect(hasher.hash(stateFromCheckpoint(lines)), `checkpoint at step ${k}`).toBe(hasher.hash(live[k]!));
    }
  });

  it('name the uid of an object line whose object has no metadata', () => {
    const lines = checkpointLines(live[22]!, new Redactor()).map((l) =>
      l.checkpoint === 'object' && l.uid === 'u1'
        ? { ...l, entry: { ...l.entry, object: { kind: 'ConfigMap' } } }
        : l,
    );
    expect(() => stateFromCheckpoint(lines)).toThrow(/object line of uid u1 holds no object with metadata/);
  });

  it('name the query and uid when a checkpoint refers to an object it does not hold', () => {
    const lines = checkpointLines(live[22]!, new Redactor()).filter((l) => l.checkpoint !== 'object');
    expect(() => stateFromCheckpoint(lines)).toThrow(
      /query "acc1\/\w+" holds uid \w+, which no object line holds/,
    );
  });
});
