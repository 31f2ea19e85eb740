import type { Accumulator, KatesSelectors, KubernetesObject, QueryStatus } from '@kates/core/browser';
import { itemByUid, positionalChanges } from './indexes.js';
import type { KatesSnapshot } from './types.js';

/**
 * The state the hooks select from: one immutable object, the same while nothing the hooks can see
 * changed. It is the state of a tiny store that react-redux's hooks read.
 */
export interface KatesView {
  readonly snapshot: KatesSnapshot;
  readonly statuses: Readonly<Record<string, QueryStatus>>;
  /** Query names shared by several queries of one store (store source only): they need an id. */
  readonly ambiguous: Readonly<Record<string, readonly string[]>>;
}

/** The store react-redux reads (nothing is ever dispatched to it), plus subscriptions to one object. */
export interface KatesViewStore {
  getState(): KatesView;
  /** Called on every change of the view. */
  subscribe(listener: () => void): () => void;
  /**
   * Called only when the object with `uid` in query `name` changes (or appears, or goes): a row
   * among 10k is not woken by the other 9,999.
   */
  subscribeItem(name: string, uid: string, listener: () => void): () => void;
  dispatch<A>(action: A): A;
}

/** A Redux store whose state holds a kates slice. */
export interface StoreLike<Root> {
  getState(): Root;
  subscribe(listener: () => void): () => void;
}

const noAmbiguity: Readonly<Record<string, readonly string[]>> = Object.freeze({});
const noItems: readonly KubernetesObject[] = Object.freeze([]);

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

/** Adds the listeners of the objects that differ between two versions of a query's items to `out`. */
function changedItemListeners(
  before: readonly KubernetesObject[],
  after: readonly KubernetesObject[],
  byUid: ReadonlyMap<string, Set<() => void>>,
  out: Set<() => void>,
): void {
  const add = (obj: KubernetesObject | undefined) => {
    const set = obj?.metadata?.uid !== undefined ? byUid.get(obj.metadata.uid) : undefined;
    if (set) for (const l of set) out.add(l);
  };
  // Modifications keep every position: a pointer comparison per position finds them.
  const changes = positionalChanges(before, after);
  if (changes) {
    for (const i of changes) {
      add(before[i]);
      add(after[i]);
    }
    return;
  }
  for (const [uid, set] of byUid) {
    if (itemByUid(before, uid) !== itemByUid(after, uid)) for (const l of set) out.add(l);
  }
}

/**
 * A view store over a source: one subscription to the source while anyone listens, react-redux's
 * listeners on every change, and per-object listeners only for the objects that changed.
 */
function createViewStore(
  compute: () => KatesView,
  subscribeSource: (listener: () => void) => () => void,
): KatesViewStore {
  const listeners = new Set<() => void>();
  const items = new Map<string, Map<string, Set<() => void>>>();
  let unsubscribeSource: (() => void) | undefined;
  let notified: KatesView | undefined;
  // While subscribed, the view is computed once per change of the source, however many hooks read
  // it; unsubscribed (a server render), every read computes.
  let current: KatesView | undefined;
  const read = () => {
    if (current && unsubscribeSource) return current;
    current = compute();
    return current;
  };

  const onSourceChange = () => {
    current = undefined;
    const next = read();
    const prev = notified;
    notified = next;
    if (prev === next) return;
    const woken = new Set<() => void>();
    if (prev && items.size > 0) {
      for (const [name, byUid] of items) {
        const before = prev.snapshot[name] ?? noItems;
        const after = next.snapshot[name] ?? noItems;
        if (before !== after) changedItemListeners(before, after, byUid, woken);
      }
    }
    for (const l of woken) l();
    for (const l of [...listeners]) l();
  };
  const retain = () => {
    if (unsubscribeSource) return;
    unsubscribeSource = subscribeSource(onSourceChange);
    current = undefined;
    notified = read();
  };
  const release = () => {
    if (!unsubscribeSource || listeners.size > 0 || items.size > 0) return;
    unsubscribeSource();
    unsubscribeSource = undefined;
  };

  return {
    getState: read,
    subscribe(listener) {
      listeners.add(listener);
      retain();
      return () => {
        listeners.delete(listener);
        release();
      };
    },
    subscribeItem(name, uid, listener) {
      const byUid = items.get(name) ?? new Map<string, Set<() => void>>();
      items.set(name, byUid);
      const set = byUid.get(uid) ?? new Set<() => void>();
      byUid.set(uid, set);
      set.add(listener);
      retain();
      return () => {
        set.delete(listener);
        if (set.size === 0) byUid.delete(uid);
        if (byUid.size === 0) items.delete(name);
        release();
      };
    },
    dispatch: (action) => action,
  };
}

/** The view of one accumulator: its fields and statuses, by query name. */
export function accumulatorViewStore(accumulator: Accumulator): KatesViewStore {
  let last: KatesView | undefined;
  return createViewStore(
    () => {
      // status() builds a new record; its values are memoized, and viewOf keeps what did not change.
      last = viewOf(last, accumulator.getSnapshot(), accumulator.status(), noAmbiguity);
      return last;
    },
    (listener) => accumulator.subscribe(listener),
  );
}

/**
 * The view of every query of a store, by name. A name used by two queries (two accumulators on
 * one store) is listed in `ambiguous`, and those queries are reachable by their ids only.
 */
export function storeViewStore<Root>(
  store: StoreLike<Root>,
  selectors: KatesSelectors<Root>,
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
