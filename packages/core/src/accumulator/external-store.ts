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

  /** Derives what changed in `state` for these queries, and tells the listeners. */
  storeChanged(state: KatesRootState): void {
    const members = this.bindings.members(state);
    let dataChanged = false;
    let statusChanged = false;
    for (let i = 0; i < members.length; i++) {
      if (members[i] !== this.lastMembers[i]) dataChanged = true;
      const status = this.bindings.statusOf(state, i);
      if (status !== this.lastStatuses[i]) {
        this.lastStatuses[i] = status;
        statusChanged = true;
      }
    }
    if (dataChanged) {
      this.lastMembers = members;
      this.snapshot = undefined;
    }
    if (dataChanged || statusChanged) this.notify();
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
