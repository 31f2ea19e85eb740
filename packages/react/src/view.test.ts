import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createKatesSelectors, type KatesRootState, type KubernetesObject } from '@kates/core/browser';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/pods.js';
import { countBy } from './count-by.js';
import { uidsOf } from './indexes.js';
import { schedulerOf } from './notify-schedule.js';
import { accumulatorViewStore, storeViewStore } from './view.js';

const sync = schedulerOf('sync');

describe('view stores', () => {
  it('wake only the subscriptions of the objects that changed, among 1,000', async () => {
    const f = await fixture({ pods: 1000, services: 5 });
    f.listAll();
    const view = accumulatorViewStore(f.accumulator, sync);
    const woken: string[] = [];
    const unsubscribe = Array.from({ length: 1000 }, (_, i) =>
      view.subscribeItem('pods', `pods-uid-${i}`, () => woken.push(`pods-uid-${i}`)),
    );
    let general = 0;
    const unsubscribeGeneral = view.subscribe(() => general++);

    f.modify('pods', 321);
    expect(woken).toEqual(['pods-uid-321']);
    f.remove('pods', 5);
    expect(woken).toEqual(['pods-uid-321', 'pods-uid-5']);
    f.modify('services', 1);
    expect(woken).toHaveLength(2);
    expect(general).toBe(3);

    for (const u of unsubscribe) u();
    unsubscribeGeneral();
    f.modify('pods', 322);
    expect(woken).toHaveLength(2);
    expect(general).toBe(3);
    f.accumulator.close();
  });

  it('keep the same view while nothing changed, and a new one when only a status changed', async () => {
    const f = await fixture({ pods: 3 });
    f.list('pods');
    const view = accumulatorViewStore(f.accumulator, sync);
    const stop = view.subscribe(() => {});
    const a = view.getState();
    expect(view.getState()).toBe(a);
    f.modify('pods', 1);
    const b = view.getState();
    expect(b).not.toBe(a);
    expect(b.snapshot.pods).not.toBe(a.snapshot.pods);
    stop();
    f.accumulator.close();
  });

  it("of a store see every query, and keep each field's identity across unrelated actions", async () => {
    const f = await fixture({ pods: 3, services: 2 });
    f.listAll();
    const view = storeViewStore(
      f.store,
      createKatesSelectors((root: KatesRootState) => root.kates),
      sync,
    );
    const a = view.getState();
    expect(Object.keys(a.snapshot)).toEqual(['pods', 'services']);
    f.modify('services', 0);
    const b = view.getState();
    expect(b.snapshot.pods).toBe(a.snapshot.pods);
    expect(b.snapshot.services).not.toBe(a.snapshot.services);
    f.store.dispatch({ type: 'app/other' });
    expect(view.getState()).toBe(b);
    f.accumulator.close();
  });

  it('let go of the items arrays of past changes: after 200 modifications only the last two are alive', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const f = await fixture({ pods: 1000 });
    f.list('pods');
    const view = accumulatorViewStore(f.accumulator, sync);
    const phaseOf = (p: KubernetesObject) => p.status?.phase ?? '';
    // What a virtualized table reads on each change: row subscriptions, the uid list, a count.
    const stops = [view.subscribeItem('pods', 'pods-uid-1', () => {})];
    stops.push(
      view.subscribe(() => {
        uidsOf(view.getState().snapshot.pods!);
        countBy(view.getState().snapshot.pods!, phaseOf);
      }),
    );
    const past: WeakRef<readonly KubernetesObject[]>[] = [];
    for (let i = 0; i < 200; i++) {
      f.modify('pods', i, i % 2 ? 'Failed' : 'Running');
      past.push(new WeakRef(view.getState().snapshot.pods!));
    }
    // WeakRefs hold their targets until the end of the job that made them.
    await new Promise((r) => setTimeout(r, 0));
    gc();
    const alive = past.filter((r) => r.deref() !== undefined).length;
    // The current array, and the one before it (the last pair compared).
    expect(alive).toBeLessThanOrEqual(2);
    for (const stop of stops) stop();
    f.accumulator.close();
  });
});
