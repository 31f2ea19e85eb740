import { groupKindOf } from '../discovery/types.js';
import type { KubernetesObject } from '../model/object.js';
import { queryAdded, queryBound, queryFailed, queryRemoved } from '../store/actions.js';
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

/**
 * What `update` fills: an object with (some of) the query names as fields. Declare it typed,
 * `const snap: Partial<SnapshotOf<typeof queries>> = {}`, or loosely, `{ services?: readonly
 * KubernetesObject[] }`; either way each field receives the query's sorted, read-only items.
 */
export type SnapshotTarget<S> = { [K in keyof S]?: S[K] | readonly KubernetesObject[] };

let nextId = 0;
const selectors = createKatesSelectors((root: KatesRootState) => root.kates);

/** What one snapshot object was last filled with, per field (query name). */
interface SnapshotRecord {
  readonly fields: Map<string, FieldRecord>;
}
interface FieldRecord {
  /** The query's members when the field was last filled: deltas are the diff from them. */
  members: Tree<KubernetesObject>;
  /** The sorted items it was filled from, and what it was set to (fewer, when filtered). */
  source: readonly KubernetesObject[];
  items: readonly KubernetesObject[];
  /** UIDs a filteredUpdate predicate left out of this field. */
  excluded: Set<string>;
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
export class Accumulator<
  S extends Record<string, readonly KubernetesObject[]> = Record<string, readonly KubernetesObject[]>,
> implements AsyncIterable<void>
{
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
  /** At most one: every caller of `changed()` shares `waiting`, so asking often costs nothing. */
  private waiters: (() => void)[] = [];
  private waiting: Promise<void> | undefined;
  private bootstrapped = false;
  private signalled = false;
  private firedOnce = false;
  /** Whether the consumer called update() during the current `for await` turn. */
  private updatedThisTurn = false;
  private closed = false;
  private lastFire = 0;
  private fireTimer: ReturnType<typeof setTimeout> | undefined;
  /** Members of each query when the consumer last updated. */
  private seen: Tree<KubernetesObject>[];
  private lastMembers: Tree<KubernetesObject>[] = [];
  private lastStatuses: (QueryStatus | undefined)[] = [];
  private cachedSnapshot: S | undefined;

  constructor(
    private readonly host: AccumulatorHost,
    queries: readonly Query[],
    options: AccumulatorOptions = {},
  ) {
    this.id = `acc${++nextId}`;
    this.specs = queries.map(normalizeQuery);
    const names = new Set<string>();
    for (const s of this.specs) {
      if (names.has(s.name))
        throw new TypeError(`two queries are named "${s.name}": each names one snapshot field`);
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
      const message =
        phase === 'unserved'
          ? `query "${spec.name}": kind "${spec.kind}" is not served by this cluster; waiting for it to appear`
          : `query "${spec.name}": resolving kind "${spec.kind}" failed: ${err.message}; retrying`;
      this.host.store.dispatch(
        queryFailed({
          id,
          phase,
          error: { message, ...(err.code ? { code: err.code } : {}), at: new Date().toISOString() },
        }),
      );
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
    // The snapshot changes with the data only: a bookmark or a counter must not re-render a view.
    if (dataChanged) this.cachedSnapshot = undefined;
    if (dataChanged || anyChanged) for (const l of this.listeners) l();
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
    // A trailing signal for changes the consumer has read meanwhile would carry nothing. The
    // first signal (bootstrap) is always given, even when every query is empty.
    if (this.firedOnce && !this.hasUnseenChanges()) return;
    this.firedOnce = true;
    this.lastFire = Date.now();
    this.signalled = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.waiting = undefined;
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
    this.waiting ??= new Promise((resolve) => this.waiters.push(resolve));
    return this.waiting;
  }

  /** `for await (const _ of acc) { acc.update(snapshot); ... }`: one turn per change signal, until closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<void> {
    while (!this.closed) {
      await this.changed();
      if (this.closed) return;
      const atSignal = this.currentMembers();
      this.updatedThisTurn = false;
      yield;
      // A consumer that did not update has still seen this turn: what was there at the signal.
      // Changes that arrived during the turn are not swallowed: they get a turn of their own.
      if (!this.updatedThisTurn) {
        this.seen = atSignal;
        this.signalled = false;
        if (this.hasUnseenChanges()) this.schedule();
      }
    }
  }

  private consume(): void {
    this.signalled = false;
    this.updatedThisTurn = true;
    this.seen = this.currentMembers();
  }

  private currentMembers(): Tree<KubernetesObject>[] {
    const queries = this.host.store.getState().kates.queries;
    return this.queryIds.map((id) => queries[id]?.members ?? emptyTree());
  }

  /**
   * Fills the fields of `snapshot` named after the queries with their newest sorted items.
   * @returns whether any field changed since this snapshot was last updated (true the first time).
   */
  update(snapshot: SnapshotTarget<S>): boolean {
    return this.filteredUpdate(snapshot, undefined, undefined);
  }

  /** Like `update`, and sets `deltas` to the changes since this snapshot was last updated. */
  updateWithDeltas(snapshot: SnapshotTarget<S>, deltas: Delta[]): boolean {
    return this.filteredUpdate(snapshot, deltas, undefined);
  }

  /**
   * Like `updateWithDeltas`, but leaves out of the snapshot the objects for which `predicate`
   * returns false. The predicate is called on added and updated objects only, as in Go kates.
   */
  filteredUpdate(
    snapshot: SnapshotTarget<S>,
    deltas: Delta[] | undefined,
    predicate: ((obj: KubernetesObject) => boolean) | undefined,
  ): boolean {
    if (deltas) deltas.length = 0;
    const state = this.host.store.getState();
    let record = this.snapshots.get(snapshot);
    const first = !record;
    if (!record) {
      record = { fields: new Map() };
      this.snapshots.set(snapshot, record);
    }
    let changed = first;
    this.specs.forEach((spec, i) => {
      const id = this.queryIds[i]!;
      const members = state.kates.queries[id]?.members ?? emptyTree<KubernetesObject>();
      let field = record.fields.get(spec.name);
      if (!field) {
        field = { members: emptyTree(), source: [], items: [], excluded: new Set() };
        record.fields.set(spec.name, field);
      }
      // Exclusions belong to this snapshot and this field; an update without a predicate has none.
      let exclusionsChanged = false;
      if (!predicate && field.excluded.size > 0) {
        field.excluded.clear();
        exclusionsChanged = true;
      }
      if (deltas || predicate) {
        const excluded = field.excluded;
        diffTrees(field.members, members, (uid, was, now) => {
          const obj = (now ?? was)!;
          if (predicate) {
            const out = now !== undefined && !predicate(now);
            if (out !== excluded.has(uid)) {
              if (out) excluded.add(uid);
              else excluded.delete(uid);
              exclusionsChanged = true;
            }
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
      const source = selectors.selectQueryItems(id)(state);
      // Filtering is O(n): done again only when the field or its exclusions changed, so that an
      // unchanged field keeps its identity.
      const items =
        field.excluded.size === 0
          ? source
          : source === field.source && !exclusionsChanged
            ? field.items
            : Object.freeze(source.filter((o) => !field.excluded.has(o.metadata?.uid ?? '')));
      if (items !== field.items) changed = true;
      field.members = members;
      field.source = source;
      field.items = items;
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
    this.wake();
    this.listeners.clear();
  }
}

/** Creates an accumulator over a host: what `client.watch(...)` does with the client as host. */
export function createAccumulator<const Qs extends readonly Query[]>(
  host: AccumulatorHost,
  queries: Qs,
  options?: AccumulatorOptions,
): Accumulator<SnapshotOf<Qs>> {
  return new Accumulator<SnapshotOf<Qs>>(host, queries, options);
}
