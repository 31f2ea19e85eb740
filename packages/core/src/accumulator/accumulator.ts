import type { KubernetesObject } from '../model/object.js';
import type { QueryStatus } from '../store/selectors.js';
import { ChangeSignal } from './change-signal.js';
import type { Delta } from './delta.js';
import { ExternalStore } from './external-store.js';
import type { AccumulatorHost } from './host.js';
import type { Query, SnapshotOf } from './query.js';
import { QueryBindings } from './query-bindings.js';
import { SnapshotFiller } from './snapshot-fill.js';

/** Options of an accumulator. */
export interface AccumulatorOptions {
  /**
   * The least time between two change signals, in ms (default 0: none). Without one, a consumer
   * waiting in `changed()` is woken as soon as a change is in the store, and a busy consumer reads
   * everything that happened meanwhile in one update when it next asks: the consumer's pace is the
   * only throttle. With one, a burst is signalled at most once per interval (an isolated change
   * still at once): for a loop that redraws on each signal and wants fewer redraws.
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

/**
 * Keeps a coherent snapshot of several queries (Go kates' Accumulator). A façade over the parts
 * that do the work, each in its own file: `QueryBindings` (kinds, watches, status), `ChangeSignal`
 * (when to read), `SnapshotFiller` (what a read yields) and `ExternalStore` (React).
 *
 * Guarantees, stated once:
 * - **Bootstrap**: nothing is signalled until every query has completed its initial list (an empty
 *   list counts); unserved and forbidden queries count as done unless `waitForUnserved`.
 * - **Coalescing**: the change signal is a level, not a queue. A waiting consumer is woken in the
 *   same macrotask as the change; a busy one gets everything that happened meanwhile in its next
 *   `update()`, which always yields the newest state; a consumer that never reads costs no memory;
 *   unchanged fields keep their identity.
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
  private readonly bindings: QueryBindings;
  private readonly signal: ChangeSignal;
  private readonly filler: SnapshotFiller;
  private readonly view: ExternalStore<S>;
  private readonly waitForUnserved: boolean;
  private readonly unsubscribeStore: () => void;
  private closed = false;

  /**
   * Made by `client.watch()`, which gives the accumulator its host (store, kind resolution, shared
   * watches); other kates packages and tests use `createAccumulator` from `@kates/core/internal`.
   * @internal
   */
  constructor(
    private readonly host: AccumulatorHost,
    queries: readonly Query[],
    options: AccumulatorOptions = {},
  ) {
    this.id = `acc${++nextId}`;
    const getState = () => host.store.getState();
    this.bindings = new QueryBindings(host, this.id, queries, options.rediscoverEvery ?? 5000);
    this.signal = new ChangeSignal(() => this.bindings.members(getState()), options.interval ?? 0);
    this.filler = new SnapshotFiller(this.bindings);
    this.view = new ExternalStore<S>(this.bindings, getState);
    this.waitForUnserved = options.waitForUnserved ?? false;
    this.unsubscribeStore = host.store.subscribe(() => this.onStoreChange());
    this.bindings.start();
  }

  private onStoreChange(): void {
    if (this.closed) return;
    const state = this.host.store.getState();
    if (this.signal.isReady) this.signal.storeChanged();
    else if (this.bindings.synced(state, this.waitForUnserved)) this.signal.bootstrapped();
    this.view.storeChanged(state);
  }

  /** Whether every query has completed its initial list (or is unserved, unless waited for). */
  get ready(): boolean {
    return this.signal.isReady;
  }

  /**
   * Resolves when every query is bootstrapped and something changed since the last `update`
   * (at once if that is already so). After `close()` it resolves at once.
   */
  changed(): Promise<void> {
    return this.signal.changed();
  }

  /** `for await (const _ of acc) { acc.update(snapshot); ... }`: one turn per change signal, until closed. */
  [Symbol.asyncIterator](): AsyncIterator<void> {
    return this.signal.turns();
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
   * Sets `deltas` to the changes since `cursor` was last read (every object as added the first
   * time), and fills no snapshot: O(changes) at any number of objects, where `update` hands out
   * new arrays of every object of a changed field (2.4 ms at 100k ConfigMaps, bench/RESULTS.md).
   * For a consumer that needs only what changed: a work queue fed with keys (the controller's
   * `watchKeys`), or an index of its own. `cursor` is any object the caller keeps, one per
   * reader; it marks the change signal read, as `update` does. Proved by 'reads deltas without
   * a snapshot, each cursor from where it last read' (update.test.ts) and 'does not signal a
   * change that readDeltas already read' (signal.test.ts).
   * @returns whether anything changed since this cursor was last read (true the first time).
   */
  readDeltas(cursor: object, deltas: Delta[]): boolean {
    const changed = this.filler.readDeltas(this.host.store.getState(), cursor, deltas);
    this.signal.read();
    return changed;
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
    const state = this.host.store.getState();
    const members = this.bindings.members(state);
    const changed = this.filler.fill(state, members, snapshot, deltas, predicate);
    this.signal.read(members);
    return changed;
  }

  /** The status of each query, by name. */
  status(): Record<string, QueryStatus> {
    return this.bindings.status(this.host.store.getState());
  }

  /**
   * For `useSyncExternalStore`: calls `listener` when a field or a status changes, immediately
   * (React batches renders itself). Returns the unsubscribe function.
   */
  subscribe(listener: () => void): () => void {
    return this.view.subscribe(listener);
  }

  /** The current snapshot as an immutable object; the same object while nothing changed. */
  getSnapshot(): S {
    return this.view.getSnapshot();
  }

  /** The query ids of this accumulator in the store, by name (for mounting selectors elsewhere). */
  queryId(name: string): string | undefined {
    return this.bindings.idOf(name);
  }

  /** Stops its watches (shared ones stay while others use them), ends iteration, frees timers. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeStore();
    this.bindings.close();
    this.signal.close();
    this.view.close();
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
