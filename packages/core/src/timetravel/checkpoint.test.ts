import { describe, expect, it } from 'vitest';
import { pendingRecord } from '../store/__fixtures__/store.js';
import { initialKatesState, katesReducer } from '../store/reducer.js';
import type { KatesState } from '../store/state.js';
import { treeGet } from '../store/tree.js';
import { sessionActions } from './__fixtures__/session.js';
import { checkpointLines, stateFromCheckpoint } from './checkpoint.js';
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
    expect(treeGet(q.members, 'u1')).toBe(treeGet(state.objects, 'u1')!.object);
    expect(Object.isFrozen(treeGet(state.objects, 'u1')!.object)).toBe(true);
  });

  it('keep a relist in progress and the local writes not yet confirmed', () => {
    const during = live.findIndex((s) =>
      Object.values(s.reflectors).some((r) => r.relist && r.relist.size === 3),
    );
    expect(during).toBeGreaterThan(0);
    const state = stateFromCheckpoint(
      JSON.parse(JSON.stringify(checkpointLines(live[during]!, new Redactor()))),
    );
    expect(state.reflectors['ConfigMap|ns||']!.relist!.size).toBe(3);
    expect(pendingRecord(state)).toEqual(pendingRecord(live[during]!));
    expect(state.localPending.size).toBeGreaterThan(0);
  });

  it('name the query and uid when a checkpoint refers to an object it does not hold', () => {
    const lines = checkpointLines(live[22]!, new Redactor()).filter((l) => l.checkpoint !== 'object');
    expect(() => stateFromCheckpoint(lines)).toThrow(
      /query "acc1\/\w+" holds uid \w+, which no object line holds/,
    );
  });
});
