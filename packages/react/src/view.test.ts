import { createKatesSelectors, type KatesRootState } from '@kates/core/browser';
import { describe, expect, it } from 'vitest';
import { fixture } from './__fixtures__/pods.js';
import { accumulatorViewStore, storeViewStore } from './view.js';

describe('view stores', () => {
  it('wake only the subscriptions of the objects that changed, among 1,000', async () => {
    const f = await fixture({ pods: 1000, services: 5 });
    f.listAll();
    const view = accumulatorViewStore(f.accumulator);
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
    const view = accumulatorViewStore(f.accumulator);
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
});
