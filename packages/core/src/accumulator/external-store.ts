import type { KubernetesObject } from '../model/object.js';
import type { QueryStatus } from '../store/selectors.js';
import type { KatesRootState } from '../store/store.js';
import type { QueryBindings } from './query-bindings.js';
import { rootSelectors } from './root-selectors.js';
import { Subscribable } from './subscribable.js';

/**
 * The `useSyncExternalStore` contract of an accumulator: an observer that only derives. It calls
 * its listeners at once when a field or a status changes (React batches renders itself), and
 * `getSnapshot()` returns the same frozen object until a field changes: a bookmark, a counter or a
 * duplicate event re-renders nothing.
 */
export class ExternalStore<S> extends Subscribable {
  private lastMembers: readonly unknown[] = [];
  private lastStatuses: (QueryStatus | undefined)[] = [];
  private snapshot: S | undefined;

  constructor(
    private readonly bindings: QueryBindings,
    private readonly getState: () => KatesRootState,
  ) {
    super();
  }

  /**
   * Derives what changed in `state` for these queries, and tells the listeners. Statuses are
   * compared only while someone listens: with no listener (a controller that only awaits the
   * change signal) a store change costs an identity check per query, not the status selectors,
   * which were most of an accumulator's work per watch event. A first listener starts from the
   * statuses of its time ('tells a listener that subscribes after a status change about the next
   * one', external-store.test.ts).
   */
  storeChanged(state: KatesRootState): void {
    const members = this.bindings.members(state);
    let dataChanged = false;
    for (let i = 0; i < members.length; i++) {
      if (members[i] !== this.lastMembers[i]) {
        dataChanged = true;
        break;
      }
    }
    if (dataChanged) {
      this.lastMembers = members;
      this.snapshot = undefined;
    }
    if (!this.hasListeners) return;
    const statusChanged = this.refreshStatuses(state);
    if (dataChanged || statusChanged) this.notify();
  }

  override subscribe(listener: () => void): () => void {
    if (!this.hasListeners) this.refreshStatuses(this.getState());
    return super.subscribe(listener);
  }

  /** Notes the status of each query; returns whether any differs from the one noted before. */
  private refreshStatuses(state: KatesRootState): boolean {
    let changed = false;
    for (let i = 0; i < this.bindings.ids.length; i++) {
      const status = this.bindings.statusOf(state, i);
      if (status !== this.lastStatuses[i]) {
        this.lastStatuses[i] = status;
        changed = true;
      }
    }
    return changed;
  }

  /** The current snapshot as an immutable object; the same object while nothing changed. */
  getSnapshot(): S {
    if (!this.snapshot) {
      const state = this.getState();
      const snap: Record<string, readonly KubernetesObject[]> = {};
      this.bindings.specs.forEach((spec, i) => {
        snap[spec.name] = rootSelectors.selectQueryItems(this.bindings.ids[i]!)(state);
      });
      this.snapshot = Object.freeze(snap) as S;
    }
    return this.snapshot;
  }

  /** Drops every listener. */
  close(): void {
    this.unsubscribeAll();
  }
}
