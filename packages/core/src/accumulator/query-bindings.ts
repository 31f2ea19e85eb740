import { groupKindOf } from '../discovery/types.js';
import { ApiError } from '../errors/api-error.js';
import { isForbidden, isUnserved } from '../errors/predicates.js';
import type { KubernetesObject } from '../model/object.js';
import { queryAdded, queryBound, queryFailed, queryRemoved } from '../store/actions.js';
import type { QueryStatus } from '../store/selectors.js';
import type { QuerySpec } from '../store/state.js';
import type { KatesRootState } from '../store/store.js';
import { emptyTree, type Tree } from '../store/tree.js';
import type { AccumulatorHost } from './host.js';
import { normalizeQuery, type Query, watchKeyOf } from './query.js';
import { rootSelectors } from './root-selectors.js';

/**
 * The queries of one accumulator in the store: each added under its own id (`acc1/pods`), its
 * kind resolved and bound to a watch it shares with every query that asks for the same thing. A
 * kind that fails to resolve (not served yet, forbidden, discovery down) is reported in the
 * query's status and looked up again every `rediscoverEvery` ms, until it binds or is closed.
 */
export class QueryBindings {
  readonly specs: readonly QuerySpec[];
  /** Store ids of the queries, in the order of `specs`. */
  readonly ids: readonly string[];
  private readonly watchKeys = new Map<string, string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  /** Validates the queries; a malformed one throws before anything is added to the store. */
  constructor(
    private readonly host: AccumulatorHost,
    private readonly accumulatorId: string,
    queries: readonly Query[],
    private readonly rediscoverEvery: number,
  ) {
    this.specs = queries.map(normalizeQuery);
    const names = new Set<string>();
    for (const s of this.specs) {
      if (names.has(s.name))
        throw new TypeError(`two queries are named "${s.name}": each names one snapshot field`);
      names.add(s.name);
    }
    this.ids = this.specs.map((s) => `${accumulatorId}/${s.name}`);
  }

  /** Adds every query to the store and starts resolving their kinds. */
  start(): void {
    this.specs.forEach((spec, i) => {
      this.host.store.dispatch(queryAdded({ ...spec, id: this.ids[i]!, accumulator: this.accumulatorId }));
      void this.bind(i);
    });
  }

  /** Resolves the kind of query `i` and joins its watch; a failure is retried later. */
  private async bind(i: number): Promise<void> {
    const spec = this.specs[i]!;
    const id = this.ids[i]!;
    try {
      const resource = await this.host.resolve(spec.kind);
      if (this.closed) return;
      const groupKind = groupKindOf(resource);
      const key = watchKeyOf(groupKind, spec, resource.namespaced);
      this.host.acquireWatch(key, resource, spec);
      this.watchKeys.set(id, key);
      this.host.store.dispatch(queryBound({ id, groupKind, watchKey: key }));
    } catch (e) {
      if (this.closed) return;
      const phase = isUnserved(e) ? 'unserved' : isForbidden(e) ? 'forbidden' : 'error';
      const message =
        phase === 'unserved'
          ? `query "${spec.name}": kind "${spec.kind}" is not served by this cluster; waiting for it to appear`
          : `query "${spec.name}": resolving kind "${spec.kind}" failed: ${(e as Error)?.message ?? String(e)}; retrying`;
      const answer = e instanceof ApiError ? { code: e.code, reason: e.reason } : {};
      this.host.store.dispatch(
        queryFailed({ id, phase, error: { message, ...answer, at: new Date().toISOString() } }),
      );
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.bind(i);
      }, this.rediscoverEvery);
      this.timers.add(timer);
    }
  }

  /** The members of each query: a tree whose identity changes exactly when the query's data does. */
  members(state: KatesRootState): Tree<KubernetesObject>[] {
    const queries = state.kates.queries;
    return this.ids.map((id) => queries[id]?.members ?? emptyTree());
  }

  /** The status of query `i`; the same object while it did not change. */
  statusOf(state: KatesRootState, i: number): QueryStatus | undefined {
    return rootSelectors.selectQueryStatus(this.ids[i]!)(state);
  }

  /** The status of each query, by name. */
  status(state: KatesRootState): Record<string, QueryStatus> {
    const out: Record<string, QueryStatus> = {};
    this.specs.forEach((spec, i) => {
      const st = this.statusOf(state, i);
      if (st) out[spec.name] = st;
    });
    return out;
  }

  /**
   * Whether every query has completed its initial list (an empty list counts); unserved and
   * forbidden queries count as done unless `waitForUnserved`.
   */
  synced(state: KatesRootState, waitForUnserved: boolean): boolean {
    return this.ids.every((_, i) => {
      const st = this.statusOf(state, i);
      if (!st) return false;
      if (st.synced) return true;
      return !waitForUnserved && (st.phase === 'unserved' || st.phase === 'forbidden');
    });
  }

  /** The store id of the query named `name`. */
  idOf(name: string): string | undefined {
    const i = this.specs.findIndex((s) => s.name === name);
    return i >= 0 ? this.ids[i] : undefined;
  }

  /** Removes the queries from the store and leaves their watches (shared ones stay for the others). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const id of this.ids) {
      const key = this.watchKeys.get(id);
      this.host.store.dispatch(queryRemoved({ id }));
      rootSelectors.forget(id);
      if (key) this.host.releaseWatch(key);
    }
  }
}
