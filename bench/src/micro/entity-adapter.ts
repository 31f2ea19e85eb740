import { type KubernetesObject, katesActions } from '@kates/core';
import type { WatchEventPayload } from '@kates/core/internal';
import { configureStore, createEntityAdapter, createSlice, type EntityState, freeze } from '@reduxjs/toolkit';

/**
 * The internal baseline: the layout the Redux Toolkit docs suggest, and the one ARCHITECTURE.md
 * measured before choosing the sharded tree. `createEntityAdapter` keyed by uid inside
 * `createSlice` (immer), with one `setOne`/`removeOne` per watch event. Unsorted, as the adapter
 * is by default: a `sortComparer` (kates' snapshot order) makes each `setOne` several times slower
 * again, so the unsorted adapter is the kinder baseline.
 */
const adapter = createEntityAdapter<KubernetesObject, string>({
  selectId: (obj) => obj.metadata?.uid ?? '',
});

const slice = createSlice({
  name: 'objects',
  initialState: adapter.getInitialState(),
  reducers: {
    setOne: adapter.setOne,
    setMany: adapter.setMany,
    removeOne: adapter.removeOne,
  },
});

export const entityActions = slice.actions;

interface EntityRoot {
  objects: EntityState<KubernetesObject, string>;
}

const selectors = adapter.getSelectors((root: EntityRoot) => root.objects);

/**
 * The state `setMany(objects)` leaves in an empty slice, made without the adapter: ids in the
 * order first seen, the last object of each id, deep-frozen as immer leaves what an action adds.
 * At 100k Pods the adapter's own way, in chunks of 20,000 (each `setMany` copying the
 * entities of the ones before), took 13.8 s after the 7.2 s of parsing the pages; this way the
 * whole build took 11.1 s (2026-12-07). The benchmarks time what comes after it. 'holds what
 * setMany leaves, built without the adapter' (entity-adapter.test.ts) proves it the same.
 */
export function entityStateOf(objects: Iterable<KubernetesObject>): EntityState<KubernetesObject, string> {
  const ids: string[] = [];
  const entities: Record<string, KubernetesObject> = {};
  for (const obj of objects) {
    const id = adapter.selectId(obj);
    if (!(id in entities)) ids.push(id);
    entities[id] = obj;
  }
  return freeze({ ids, entities }, true);
}

/**
 * A store holding one entity-adapter slice; `snapshot()` is its memoized, sorted `selectAll`.
 * `preloaded`: the slice's state to start from (see {@link entityStateOf}).
 */
export function createEntityAdapterStore(preloaded?: EntityState<KubernetesObject, string>) {
  const store = configureStore({
    reducer: { objects: slice.reducer },
    ...(preloaded ? { preloadedState: { objects: preloaded } } : {}),
    // Same settings as the kates store: the dev checks walk the whole state on every action.
    middleware: (getDefault) => getDefault({ serializableCheck: false, immutableCheck: false }),
    devTools: false,
  });
  return {
    store,
    snapshot: (): readonly KubernetesObject[] => selectors.selectAll(store.getState()),
    /** One action per event, as an application written on the entity adapter does. */
    applyEvents(events: readonly WatchEventPayload[]): void {
      for (const ev of events) {
        if (ev.type === 'DELETED') store.dispatch(entityActions.removeOne(ev.object.metadata?.uid ?? ''));
        else if (ev.type !== 'BOOKMARK') store.dispatch(entityActions.setOne(ev.object));
      }
    },
  };
}

export type EntityAdapterStore = ReturnType<typeof createEntityAdapterStore>;

/**
 * A dispatch for the kates Reflector that writes into the entity-adapter store instead: list pages
 * with `setMany`, watch events one by one. So the baseline shares the transport, the parse and the
 * reflector, and differs only in the store.
 */
export function entityAdapterDispatch(target: EntityAdapterStore, onChange: () => void) {
  let listed: Set<string> | undefined;
  return (action: { type: string }): unknown => {
    if (katesActions.listStarted.match(action)) listed = new Set();
    else if (katesActions.listPage.match(action)) {
      for (const o of action.payload.items) listed?.add(o.metadata?.uid ?? '');
      target.store.dispatch(entityActions.setMany(action.payload.items));
    } else if (katesActions.listCompleted.match(action)) {
      // A relist removes what the new list no longer holds.
      for (const uid of target.store.getState().objects.ids) {
        if (!listed?.has(uid)) target.store.dispatch(entityActions.removeOne(uid));
      }
      listed = undefined;
      onChange();
    } else if (katesActions.watchEvents.match(action)) {
      target.applyEvents(action.payload.events);
      onChange();
    }
    return action;
  };
}
