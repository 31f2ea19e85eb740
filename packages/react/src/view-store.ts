import type { KubernetesObject, QueryStatus } from '@kates/core/browser';
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
  /** The newest view, whether or not the listeners have been told of it yet. */
  getState(): KatesView;
  /** Called when the view changed, once per batch of source changes (see `NotifySchedule`). */
  subscribe(listener: () => void): () => void;
  /**
   * Called only when the object with `uid` in query `name` changes (or appears, or goes): a row
   * among 10k is not woken by the other 9,999.
   */
  subscribeItem(name: string, uid: string, listener: () => void): () => void;
  dispatch<A>(action: A): A;
}

const noItems: readonly KubernetesObject[] = Object.freeze([]);

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
 * A view store over a source: one subscription to the source while anyone listens. A change of the
 * source only marks the view stale and asks `schedule` for a flush; the flush computes the view
 * once, wakes the per-object listeners of the objects that changed since the last flush, then
 * react-redux's listeners. So the events of one frame cost one view, one pass of the selectors and
 * one render, however many they are.
 */
export function createViewStore(
  compute: () => KatesView,
  subscribeSource: (listener: () => void) => () => void,
  schedule: (flush: () => void) => void,
): KatesViewStore {
  const listeners = new Set<() => void>();
  const items = new Map<string, Map<string, Set<() => void>>>();
  let unsubscribeSource: (() => void) | undefined;
  /** What the listeners were last told. */
  let notified: KatesView | undefined;
  /** A flush is scheduled and has not run. */
  let scheduled = false;
  // While subscribed, the view is computed at most once per change of the source, however many
  // hooks read it; unsubscribed (a server render), every read computes.
  let current: KatesView | undefined;
  const read = () => {
    if (current && unsubscribeSource) return current;
    current = compute();
    return current;
  };

  const flush = () => {
    scheduled = false;
    // Everyone left before the frame: nobody to tell.
    if (!unsubscribeSource) return;
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
  const onSourceChange = () => {
    current = undefined;
    if (scheduled) return;
    scheduled = true;
    schedule(flush);
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
