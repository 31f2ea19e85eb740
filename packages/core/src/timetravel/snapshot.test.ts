import { describe, expect, it } from 'vitest';
import { createKatesStore } from '../store/store.js';
import { sessionActions } from './__fixtures__/session.js';
import { diffObjects, diffStates } from './diff.js';
import { createRecorder } from './recorder.js';
import { replay } from './replay.js';
import { memorySink } from './sink.js';
import { replayReconcile, snapshotOf } from './snapshot.js';

function recording(): string {
  const sink = memorySink();
  const store = createKatesStore({ enhancers: [createRecorder({ sink }).enhancer] });
  for (const a of sessionActions()) store.dispatch(a);
  return sink.text();
}

describe('snapshots of a replay', () => {
  const text = recording();

  it('run a reconcile function against the snapshot the process saw at a step', () => {
    const session = replay(text);
    const step = session.find((r) => r.action.type === 'kates/localWrite')!;
    const names = replayReconcile(
      session,
      step,
      ({ snapshot, status }) => ({
        names: snapshot.ConfigMaps!.map((o) => o.metadata?.name),
        phase: status.ConfigMaps!.phase,
      }),
      { accumulator: 'acc1' },
    );
    expect(names).toEqual({ names: ['local', 'one', 'three', 'two'], phase: 'synced' });
    expect(
      replayReconcile(text, step - 1, ({ snapshot }) => snapshot.ConfigMaps!.length, { accumulator: 'acc1' }),
    ).toBe(3);
  });

  it('ask which accumulator is meant when a step holds several', () => {
    const state = replay(text).stateAt(20);
    expect(() => snapshotOf(state)).toThrow(
      /holds 2 accumulators \(acc1 \(ConfigMaps, Secrets, Widgets\); acc2 \(Shared\)\)/,
    );
    expect(() => snapshotOf(state, 'acc9')).toThrow(/accumulator "acc9" has no queries at this step/);
    expect(Object.keys(snapshotOf(state, 'acc2').snapshot)).toEqual(['Shared']);
  });

  it('diff two steps by query: added, removed and updated objects, and status changes', () => {
    const session = replay(text);
    const step = session.find((r) => r.action.type === 'kates/watchEvents')!;
    const diff = diffStates(session.stateAt(step - 1), session.stateAt(step));
    const cms = diff.find((d) => d.id === 'acc1/ConfigMaps')!;
    expect(cms.added.map((o) => o.metadata?.name)).toEqual(['three']);
    expect(cms.updated.map((u) => u.after.metadata?.name)).toEqual(['one']);
    expect(cms.removed).toEqual([]);
    expect(diffObjects(cms.updated[0]!.before, cms.updated[0]!.after)).toEqual([
      { path: 'metadata.resourceVersion', before: '101', after: '104' },
      { path: 'data.k', before: 'v1', after: 'v1b' },
    ]);
    const relist = session.find(
      (r) =>
        r.action.type === 'kates/reflectorStatus' &&
        (r.action.payload as { phase: string }).phase === 'relisting',
    )!;
    const statusDiff = diffStates(session.stateAt(relist - 1), session.stateAt(relist));
    expect(statusDiff.map((d) => [d.id, d.statusBefore?.phase, d.statusAfter?.phase])).toEqual([
      ['acc1/ConfigMaps', 'backing-off', 'relisting'],
      ['acc2/Shared', 'backing-off', 'relisting'],
    ]);
  });
});
