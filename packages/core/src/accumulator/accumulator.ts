import { groupKindOf } from '../discovery/types.js';
import type { KubernetesObject } from '../model/object.js';
import { queryFailed, queryAdded, queryBound, queryRemoved } from '../store/actions.js';
import { createKatesSelectors, type QueryStatus } from '../store/selectors.js';
import type { QuerySpec } from '../store/state.js';
import type { KatesRootState } from '../store/store.js';
import { diffTrees, emptyTree, type Tree } from '../store/tree.js';
import type { Delta } from './delta.js';
import type { AccumulatorHost } from './host.js';
import { normalizeQuery, type Query, type SnapshotOf, watchKeyOf } from './query.js';

/** Options of an accumulator. */
export interface AccumulatorOptions {
  /**
   * The most often a change is signalled, in ms (default 50). An isolated change is signalled at
   * once; a burst is signalled at most once per interval.
   */
  readonly interval?: number;
  /**
   * Wait for unserved or forbidden queries before the first signal (default false: they are reported
   * in `status()` and the others go on; their field stays empty until they are served).
   */
  readonly waitForUnserved?: boolean;
  /** How often an unserved kind is looked up again, in ms (default 5000). */
  readonly rediscoverEvery?: number;
}

let nextId = 0;
const selectors = createKatesSelectors((root: KatesRootState) => root.kates);

interface SnapshotRecord {
  members: Map<string, Tree<KubernetesObject>>;
  items: Map<string, readonly KubernetesObject[]>;
}

/**
 * Keeps a coherent snapshot of several queries (Go kates' Accumulator).
 *
 * Guarantees, stated once:
 * - **Bootstrap**: nothing is signalled until every query has completed its initial list (an empty
 *   list counts); unserved and forbidden queries count as done unless `waitForUnserved`.
 * - **Coalescing**: the change signal is a level, not a queue. `update()` always yields the newest
 *   state; a consumer that never reads costs no memory; unchanged fields keep their identity.
 * - **Coherence**: writes through the client that match a query show in the next snapshot,
 *   before the watch delivers them, and a late or older watch event never regresses them.
 * - **Order**: each field is sorted by namespace, then name.
 * - **Eventual consistency**: across kinds there is no transaction; each field converges to the API
 *   server's state, per object in resourceVersion order.
 */
export class Accumulator<S extends Record<string, readonly KubernetesObject[]> = Record<string, readonly KubernetesObject[]>>
  implements AsyncIterable<void> {
  readonly id: string;
  private readonly specs: QuerySpec[];
  private readonly queryIds: string[];
  private readonly interval: number;
  private readonly waitForUnserved: boolean;
  private readonly rediscoverEvery: number;
  private readonly unsubscribeStore: () => void;
  private readonly boundKeys = new Map<string, string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly snapshots = new WeakMap<object, SnapshotRecord>();
  private readonly listeners = new Set<() => void>();
  private readonly excluded = new Set<string>();
  private waiters: (() => void)[] = [];
  private bootstrapped = false;
  private signalled = false;
  private closed = false;
  private lastFire = 0;
  private fireTimer: ReturnType<typeof setTimeout> | undefined;
  /** Members of each query when the consumer last updated. */
  private seen: Tree<KubernetesObject>[];
  private lastMembers: Tree<KubernetesObject>[] = [];
  private lastStatuses: (QueryStatus | undefined)[] = [];
  private cachedSnapshot: S | undefined;

  constructor(private readonly host: AccumulatorHost, queries: readonly Query[], options: AccumulatorOptions = {}) {
    this.id = `acc${++nextId}`;
    this.specs = queries.map(normalizeQuery);
    const names = new Set<string>();
    for (const s of this.specs) {
      if (names.has(s.name)) throw new TypeError(`two queries are named "${s.name}": each names one snapshot field`);
      names.add(s.name);
    }
    this.queryIds = this.specs.map((s) => `${this.id}/${s.name}`);
    this.interval = options.interval ?? 50;
    this.waitForUnserved = options.waitForUnserved ?? false;
    this.rediscoverEvery = options.rediscoverEvery ?? 5000;
    this.seen = this.specs.map(() => emptyTree());
    this.unsubscribeStore = host.store.subscribe(() => this.onStoreChange());
    this.specs.forEach((spec, i) => {
      host.store.dispatch(queryAdded({ ...spec, id: this.queryIds[i]!, accumulator: this.id }));
      void this.bind(i);
    });
  }

  /** Resolves the kind of query `i` and joins its watch; an unserved kind is looked up again later. */
  private async bind(i: number): Promise<void> {
    const spec = this.specs[i]!;
    const id = this.queryIds[i]!;
    try {
      const resource = await this.host.resolve(spec.kind);
      if (this.closed) return;
      const groupKind = groupKindOf(resource);
      const key = watchKeyOf(groupKind, spec, resource.namespaced);
      this.host.acquireWatch(key, resource, spec);
      this.boundKeys.set(id, key);
      this.host.store.dispatch(queryBound({ id, groupKind, watchKey: key }));
    } catch (e) {
      if (this.closed) return;
      const err = e as Error & { unserved?: boolean; code?: number };
      const phase = err.unserved ? 'unserved' : err.code === 403 ? 'forbidden' : 'error';
      const message = phase === 'unserved'
        ? `query "${spec.name}": kind "${spec.kind}" is not served by this cluster; waiting for it to appear`
        : `query "${spec.name}": resolving kind "${spec.kind}" failed: ${err.message}; retrying`;
      this.host.store.dispatch(queryFailed({ id, phase, error: { message, ...(err.code ? { code: err.code } : {}),
        at: new Date().toISOString() } }));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.bind(i);
      }, this.rediscoverEvery);
      this.timers.add(timer);
    }
  }

  private onStoreChange(): void {
    if (this.closed) return;
    const state = this.host.store.getState();
    let dataChanged = false;
    let anyChanged = false;
    for (let i = 0; i < this.queryIds.length; i++) {
      const members = state.kates.queries[this.queryIds[i]!]?.members ?? emptyTree();
      if (members !== this.lastMembers[i]) {
        this.lastMembers[i] = members;
        dataChanged = true;
      }
      const status = selectors.selectQueryStatus(this.queryIds[i]!)(state);
      if (status !== this.lastStatuses[i]) {
        this.lastStatuses[i] = status;
        anyChanged = true;
      }
    }
    if (!this.bootstrapped && this.isBootstrapped()) {
      this.bootstrapped = true;
      this.schedule();
    } else if (this.bootstrapped && dataChanged && this.hasUnseenChanges()) this.schedule();
    if (dataChanged || anyChanged) {
      this.cachedSnapshot = undefined;
      for (const l of this.listeners) l();
    }
  }

  private isBootstrapped(): boolean {
    return this.queryIds.every((id) => {
      const st = selectors.selectQueryStatus(id)(this.host.store.getState());
      if (!st) return false;
      if (st.synced) return true;
      return !this.waitForUnserved && (st.phase === 'unserved' || st.phase === 'forbidden');
    });
  }

  private hasUnseenChanges(): boolean {
    return this.lastMembers.some((m, i) => m !== this.seen[i]);
  }

  /** Signals now, or at the end of the current interval. */
  private schedule(): void {
    if (this.fireTimer || this.closed) return;
    const wait = this.lastFire + this.interval - Date.now();
    if (wait <= 0) this.fire();
    else this.fireTimer = setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.fireTimer = undefined;
    this.lastFire = Date.now();
    this.signalled = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Whether every query has completed its initial list (or is unserved, unless waited for). */
  get ready(): boolean {
    return this.bootstrapped;
  }

  /**
   * Resolves when every query is bootstrapped and something changed since the last `update`
   * (at once if that is already so). After `close()` it resolves at once.
   */
  changed(): Promise<void> {
    if (this.signalled || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** `for await (const _ of acc) { acc.update(snapshot); ... }`: one turn per change signal, until closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<void> {
    while (!this.closed) {
      await this.changed();
      if (this.closed) return;
      yield;
      // A consumer that did not update still gets the next turn only for newer changes.
      if (this.signalled) this.consume();
    }
  }

  private consume(): void {
    this.signalled = false;
    this.seen = this.queryIds.map((id) => this.host.store.getState().kates.queries[id]?.members ?? emptyTree());
  }

  /**
   * Fills the fields of `snapshot` named after the queries with their newest sorted items.
   * @returns whether any field changed since this snapshot was last updated (true the first time).
   */
  update(snapshot: Partial<S>): boolean {
    return this.filteredUpdate(snapshot, undefined, undefined);
  }

  /** Like `update`, and sets `deltas` to the changes since this snapshot was last updated. */
  updateWithDeltas(snapshot: Partial<S>, deltas: Delta[]): boolean {
    return this.filteredUpdate(snapshot, deltas, undefined);
  }

  /**
   * Like `updateWithDeltas`, but leaves out of the snapshot the objects for which `predicate`
   * returns false. The predicate is called on added and updated objects only, as in Go kates.
   */
  filteredUpdate(snapshot: Partial<S>, deltas: Delta[] | undefined,
    predicate: ((obj: KubernetesObject) => boolean) | undefined): boolean {
    if (deltas) deltas.length = 0;
    const state = this.host.store.getState();
    let record = this.snapshots.get(snapshot);
    const first = !record;
    if (!record) {
      record = { members: new Map(), items: new Map() };
      this.snapshots.set(snapshot, record);
    }
    let changed = first;
    this.specs.forEach((spec, i) => {
      const id = this.queryIds[i]!;
      const members = state.kates.queries[id]?.members ?? emptyTree<KubernetesObject>();
      const before = record.members.get(spec.name) ?? emptyTree<KubernetesObject>();
      if (deltas || predicate) {
        diffTrees(before, members, (uid, was, now) => {
          const obj = (now ?? was)!;
          if (predicate) {
            if (!now) this.excluded.delete(uid);
            else if (predicate(now)) this.excluded.delete(uid);
            else this.excluded.add(uid);
          }
          deltas?.push({
            type: !was ? 'add' : !now ? 'delete' : 'update',
            query: spec.name,
            ...(obj.apiVersion ? { apiVersion: obj.apiVersion } : {}),
            ...(obj.kind ? { kind: obj.kind } : {}),
            name: obj.metadata?.name ?? '',
            ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
            uid,
            object: obj,
          });
        });
      }
      let items = selectors.selectQueryItems(id)(state);
      if (this.excluded.size > 0) items = Object.freeze(items.filter((o) => !this.excluded.has(o.metadata?.uid ?? '')));
      if (members !== before) changed = true;
      record.members.set(spec.name, members);
      record.items.set(spec.name, items);
      (snapshot as Record<string, unknown>)[spec.name] = items;
    });
    this.consume();
    return changed;
  }

  /** The status of each query, by name. */
  status(): Record<string, QueryStatus> {
    const state = this.host.store.getState();
    const out: Record<string, QueryStatus> = {};
    this.queryIds.forEach((id, i) => {
      const st = selectors.selectQueryStatus(id)(state);
      if (st) out[this.specs[i]!.name] = st;
    });
    return out;
  }

  /**
   * For `useSyncExternalStore`: calls `listener` when a field or a status changes, immediately
   * (React batches renders itself). Returns the unsubscribe function.
   */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current snapshot as an immutable object; the same object while nothing changed. */
  getSnapshot(): S {
    if (!this.cachedSnapshot) {
      const state = this.host.store.getState();
      const snap: Record<string, readonly KubernetesObject[]> = {};
      this.specs.forEach((spec, i) => {
        snap[spec.name] = selectors.selectQueryItems(this.queryIds[i]!)(state);
      });
      this.cachedSnapshot = Object.freeze(snap) as S;
    }
    return this.cachedSnapshot;
  }

  /** The query ids of this accumulator in the store, by name (for mounting selectors elsewhere). */
  queryId(name: string): string | undefined {
    const i = this.specs.findIndex((s) => s.name === name);
    return i >= 0 ? this.queryIds[i] : undefined;
  }

  /** Stops its watches (shared ones stay while others use them), ends iteration, frees timers. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeStore();
    if (this.fireTimer) clearTimeout(this.fireTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const id of this.queryIds) {
      const key = this.boundKeys.get(id);
      this.host.store.dispatch(queryRemoved({ id }));
      selectors.forget(id);
      if (key) this.host.releaseWatch(key);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    this.listeners.clear();
  }
}

/** Creates an accumulator over a host: what `client.watch(...)` does with the client as host. */
export function createAccumulator<const Qs extends readonly Query[]>(host: AccumulatorHost, queries: Qs,
  options?: AccumulatorOptions): Accumulator<SnapshotOf<Qs>> {
  return new Accumulator<SnapshotOf<Qs>>(host, queries, options);
}
