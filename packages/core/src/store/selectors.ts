import { createSelector, lruMemoize } from 'reselect';
import type { KubernetesObject } from '../model/object.js';
import { incrementalItems, registerItems } from './incremental-items.js';
import type { ErrorInfo, KatesState, QueryState, ReflectorCounters, ReflectorState } from './state.js';
import { objectOf, storedOf } from './stored-object.js';
import { emptyTree } from './tree.js';

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
        const of = incrementalItems();
        sel = (root: Root) => of.items(selectSlice(root).queries[queryId]?.members ?? emptyMembers);
        registerItems(sel, of);
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
