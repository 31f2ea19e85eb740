import type { Accumulator, KatesSelectors, KubernetesObject, QueryStatus } from '@kates/core/browser';
import type { KatesSnapshot } from './types.js';
import { createViewStore, type KatesView, type KatesViewStore } from './view-store.js';

export type { KatesView, KatesViewStore } from './view-store.js';

/** A Redux store whose state holds a kates slice. */
export interface StoreLike<Root> {
  getState(): Root;
  subscribe(listener: () => void): () => void;
}

const noAmbiguity: Readonly<Record<string, readonly string[]>> = Object.freeze({});

/** `next` if any value differs from `prev`, else `prev`: keeps identity across equal records. */
function stableRecord<V>(
  prev: Readonly<Record<string, V>> | undefined,
  next: Record<string, V>,
): Readonly<Record<string, V>> {
  if (!prev) return Object.freeze(next);
  const keys = Object.keys(next);
  if (keys.length !== Object.keys(prev).length) return Object.freeze(next);
  for (const k of keys) if (prev[k] !== next[k]) return Object.freeze(next);
  return prev;
}

function viewOf(
  prev: KatesView | undefined,
  snapshot: KatesSnapshot,
  statuses: Record<string, QueryStatus>,
  ambiguous: Readonly<Record<string, readonly string[]>>,
): KatesView {
  const stableSnapshot = stableRecord(prev?.snapshot, { ...snapshot });
  const stableStatuses = stableRecord(prev?.statuses, statuses);
  if (
    prev &&
    prev.snapshot === stableSnapshot &&
    prev.statuses === stableStatuses &&
    prev.ambiguous === ambiguous
  )
    return prev;
  return Object.freeze({ snapshot: stableSnapshot, statuses: stableStatuses, ambiguous });
}

/**
 * The view of one accumulator: its fields and statuses, by query name. `schedule` decides when
 * listeners hear of changes (see `NotifySchedule`).
 */
export function accumulatorViewStore(
  accumulator: Accumulator,
  schedule: (flush: () => void) => void,
): KatesViewStore {
  let last: KatesView | undefined;
  return createViewStore(
    () => {
      // status() builds a new record; its values are memoized, and viewOf keeps what did not change.
      last = viewOf(last, accumulator.getSnapshot(), accumulator.status(), noAmbiguity);
      return last;
    },
    (listener) => accumulator.subscribe(listener),
    schedule,
  );
}

/**
 * The view of every query of a store, by name. A name used by two queries (two accumulators on
 * one store) is listed in `ambiguous`, and those queries are reachable by their ids only.
 */
export function storeViewStore<Root>(
  store: StoreLike<Root>,
  selectors: KatesSelectors<Root>,
  schedule: (flush: () => void) => void,
): KatesViewStore {
  let lastRoot: Root | undefined;
  let last: KatesView | undefined;
  let lastAmbiguous = noAmbiguity;
  return createViewStore(
    () => {
      const root = store.getState();
      if (last && root === lastRoot) return last;
      lastRoot = root;
      const queries = selectors.selectSlice(root).queries;
      const ids: Record<string, string[]> = {};
      for (const id in queries) {
        const list = ids[queries[id]!.name];
        if (list) list.push(id);
        else ids[queries[id]!.name] = [id];
      }
      const snapshot: Record<string, readonly KubernetesObject[]> = {};
      const statuses: Record<string, QueryStatus> = {};
      const ambiguous: Record<string, readonly string[]> = {};
      for (const [name, list] of Object.entries(ids)) {
        if (list.length > 1) ambiguous[name] = list;
        for (const id of list) {
          const key = list.length > 1 ? id : name;
          snapshot[key] = selectors.selectQueryItems(id)(root);
          const status = selectors.selectQueryStatus(id)(root);
          if (status) statuses[key] = status;
        }
      }
      lastAmbiguous = stableAmbiguity(lastAmbiguous, ambiguous);
      last = viewOf(last, snapshot, statuses, lastAmbiguous);
      return last;
    },
    (listener) => store.subscribe(listener),
    schedule,
  );
}

function stableAmbiguity(
  prev: Readonly<Record<string, readonly string[]>>,
  next: Record<string, readonly string[]>,
): Readonly<Record<string, readonly string[]>> {
  const a = Object.keys(prev);
  const b = Object.keys(next);
  if (a.length === 0 && b.length === 0) return prev;
  if (a.length === b.length && b.every((k) => prev[k]?.join() === next[k]!.join())) return prev;
  return Object.freeze(next);
}
