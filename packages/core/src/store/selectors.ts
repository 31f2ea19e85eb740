import { createSelector, lruMemoize } from 'reselect';
import { defer } from '../defer.js';
import type { KubernetesObject } from '../model/object.js';
import { buildSortedItems, updateSortedItems } from './sorted-items.js';
import type { ErrorInfo, KatesState, QueryState, ReflectorCounters, ReflectorState } from './state.js';
import { objectOf, storedOf } from './stored-object.js';
import { emptyTree, type Tree } from './tree.js';

/** Where the kates slice sits in a root state; `state.kates` by default. */
export type SliceSelector<Root> = (root: Root) => KatesState;

/**
 * What a query reports about itself: plain data, for dashboards and for controllers that must know
 * whether they read a complete view.
 */
export interface QueryStatus {
  readonly name: string;
  readonly kind: string;
  /** `resolving`, `listing`, `synced`, `relisting`, `backing-off`, `unserved`, `forbidden` or `error`. */
  readonly phase:
    | 'resolving'
    | 'listing'
    | 'synced'
    | 'relisting'
    | 'backing-off'
    | 'unserved'
    | 'forbidden'
    | 'error';
  /** Its initial list has completed: its field holds a complete view (possibly stale while backing off). */
  readonly synced: boolean;
  readonly resourceVersion: string;
  readonly error?: ErrorInfo;
  readonly attempt: number;
  readonly retryAt?: string;
  readonly counters: ReflectorCounters;
  readonly count: number;
  readonly lastPoisonLine?: string;
}

const noCounters: ReflectorCounters = Object.freeze({
  events: 0,
  bookmarks: 0,
  relists: 0,
  reconnects: 0,
  poisonLines: 0,
});

/** The status of one query, from its own state and its watch's. */
export function queryStatusOf(q: QueryState, r: ReflectorState | undefined): QueryStatus {
  const base = { name: q.name, kind: q.kind, count: q.members.size };
  if (q.phase !== 'bound' || !r) {
    return {
      ...base,
      phase: q.phase === 'bound' ? 'resolving' : q.phase,
      synced: false,
      resourceVersion: '',
      attempt: 0,
      counters: noCounters,
      ...(q.error ? { error: q.error } : {}),
    };
  }
  const phase: QueryStatus['phase'] =
    r.phase === 'watching'
      ? 'synced'
      : r.phase === 'pending'
        ? 'listing'
        : r.phase === 'closed'
          ? 'error'
          : r.phase;
  return {
    ...base,
    phase,
    synced: r.synced,
    resourceVersion: r.resourceVersion,
    attempt: r.attempt,
    counters: r.counters,
    ...(r.error ? { error: r.error } : {}),
    ...(r.retryAt ? { retryAt: r.retryAt } : {}),
    ...(r.lastPoisonLine ? { lastPoisonLine: r.lastPoisonLine } : {}),
  };
}

/**
 * From this many items, the copy that the next change of a query's items starts from is made
 * ahead, on a later turn of the event loop than the one that produced the items (`defer`): in the
 * time a controller waits for its next change, not in its `update()`. The copy is what
 * `update()` after one change costs at large N: a fresh array of 100k pointers takes about 2.5 ms
 * (its memory pages touched for the first time), against some 50 us for the rest (issue 18). It
 * costs one array of pointers per query beside its items (8 B an object), and a copy made for
 * items that a large change then rebuilds is wasted: at most one per change of the items. Below
 * 2,048 items, deferring gains nothing: a copy of 2,048 took 1.6 us and asking for a later turn
 * (`setImmediate`) 1.4 us, in a process idle 1 ms between calls (Node 24, 2026-12-06).
 */
const SPARE_MIN = 2048;

/**
 * The sorted items of one query, memoized incrementally: given new members, it patches the
 * previous result rather than sorting again. Results equal a full rebuild; only the cost differs.
 * The spare copy (see {@link SPARE_MIN}) is a copy of `lastItems` taken while they are the last:
 * used by the next patch or dropped, never shared. Proved by order.test.ts ("start a change from a
 * copy made ahead between changes, and stay equal to a full sort with every earlier field
 * unchanged", and for any changes, turns and reads of earlier states by "stay equal to a full sort
 * for any changes, turns between them and reads of earlier states, ..." (fast-check)).
 *
 * A closure rather than reselect's `createSelector`: its argument memo (a cache entry per root
 * state, compared and replaced on every call) cost more than the rest of `update()` after one
 * change, in code a controller runs a few times a second and so never optimized (about 30 of the
 * 45 us the items took at 10k objects, measured in the consumer of
 * bench/src/micro/issue18-e2e.ts).
 */
function incrementalItems(): (members: Tree<KubernetesObject>) => readonly KubernetesObject[] {
  let lastMembers: Tree<KubernetesObject> | undefined;
  let lastItems: readonly KubernetesObject[] = [];
  let spare: KubernetesObject[] | undefined;
  let spareAsked = false;
  const makeSpare = () => {
    spareAsked = false;
    if (!spare && lastItems.length >= SPARE_MIN) spare = Array.from(lastItems);
  };
  return (members) => {
    if (members === lastMembers) return lastItems;
    const prevItems = lastItems;
    const base = spare;
    spare = undefined;
    lastItems = lastMembers
      ? updateSortedItems(lastMembers, prevItems, members, base)
      : buildSortedItems(members);
    lastMembers = members;
    // Members that changed to the same items (an object shown again as it was) leave it unused.
    if (lastItems === prevItems) spare = base;
    if (lastItems.length >= SPARE_MIN && !spareAsked) {
      spareAsked = true;
      defer(makeSpare);
    }
    return lastItems;
  };
}

const emptyMembers = emptyTree<KubernetesObject>();
const noChecks = { devModeChecks: { inputStabilityCheck: 'never', identityFunctionCheck: 'never' } } as const;

/**
 * Memoized selectors over a kates slice mounted anywhere in a root state. One selector per query
 * id, created on first use and kept.
 */
export function createKatesSelectors<Root>(selectSlice: SliceSelector<Root>) {
  const items = new Map<string, (root: Root) => readonly KubernetesObject[]>();
  const statuses = new Map<string, (root: Root) => QueryStatus | undefined>();

  return {
    selectSlice,
    /** The sorted snapshot field of a query: rebuilt only when its members change. */
    selectQueryItems(queryId: string): (root: Root) => readonly KubernetesObject[] {
      let sel = items.get(queryId);
      if (!sel) {
        const itemsOf = incrementalItems();
        sel = (root: Root) => itemsOf(selectSlice(root).queries[queryId]?.members ?? emptyMembers);
        items.set(queryId, sel);
      }
      return sel;
    },
    /** The status of a query. */
    selectQueryStatus(queryId: string): (root: Root) => QueryStatus | undefined {
      let sel = statuses.get(queryId);
      if (!sel) {
        sel = createSelector(
          [
            (root: Root) => selectSlice(root).queries[queryId],
            (root: Root) => {
              const s = selectSlice(root);
              const key = s.queries[queryId]?.watchKey;
              return key ? s.reflectors[key] : undefined;
            },
          ],
          (q, r) => (q ? queryStatusOf(q, r) : undefined),
          { memoize: lruMemoize, argsMemoize: lruMemoize, ...noChecks },
        );
        statuses.set(queryId, sel);
      }
      return sel;
    },
    /** One object by UID, in its newest known state. */
    selectObject(uid: string) {
      return (root: Root) => {
        const stored = storedOf(selectSlice(root), uid);
        return stored && objectOf(stored);
      };
    },
    /** Forgets the selectors of a removed query. */
    forget(queryId: string): void {
      items.delete(queryId);
      statuses.delete(queryId);
    },
  };
}

export type KatesSelectors<Root> = ReturnType<typeof createKatesSelectors<Root>>;
