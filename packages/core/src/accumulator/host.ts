import type { ResourceType } from '../discovery/types.js';
import type { QuerySpec } from '../store/state.js';
import type { KatesStore } from '../store/store.js';

/**
 * What an accumulator needs from its client: the store, kind resolution, and shared watches.
 * Tests give a host of their own and feed the store with actions.
 */
export interface AccumulatorHost {
  readonly store: KatesStore;
  /**
   * Resolves a query's kind. Rejects with an error that `isUnserved` recognises for a kind the
   * cluster does not serve (an `UnknownKindError`, or any error with `unserved: true`), and an
   * `ApiError` where the API server refused (`isForbidden`: the query is reported forbidden).
   */
  resolve(kind: string): Promise<ResourceType>;
  /** Starts (or joins) the watch `key`; it dispatches reflector actions into the store. */
  acquireWatch(key: string, resource: ResourceType, spec: QuerySpec): void;
  /** Leaves the watch `key`; the last one out stops it. */
  releaseWatch(key: string): void;
}
