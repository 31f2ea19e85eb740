import type { ErrorInfo, KubernetesObject, QueryStatus } from '@kates/core/browser';

/**
 * What the hooks read: the sorted items of each query, by query name. It is the accumulator's
 * snapshot: the same object while nothing changed, and each field keeps its identity while its
 * query's members do not change.
 */
export type KatesSnapshot = Readonly<Record<string, readonly KubernetesObject[]>>;

/** What {@link useQuery} returns for one query. */
export interface QueryResult<T extends KubernetesObject = KubernetesObject> {
  /** The query's objects, sorted by namespace then name; the same array while nothing changed. */
  readonly items: readonly T[];
  /**
   * The query's status (`synced`, `listing`, `relisting`, `backing-off`, `forbidden`, ...), or
   * undefined while its kind is being resolved for the first time.
   */
  readonly status: QueryStatus | undefined;
  /** Why the query is not (or no longer) delivering, when it is not. */
  readonly error: ErrorInfo | undefined;
}

/** What {@link useSyncStatus} returns. */
export interface SyncStatus {
  /** Every query has completed its initial list: the view is complete. */
  readonly synced: boolean;
  /** Names of the queries that cannot deliver now: backing off after a failure, forbidden, unserved, error. */
  readonly failing: readonly string[];
  /** The status of each query, by name. */
  readonly queries: Readonly<Record<string, QueryStatus>>;
}
