import { createKatesSelectors } from '../store/selectors.js';
import type { KatesRootState } from '../store/store.js';

/**
 * The selectors every accumulator reads its queries with, over a store made by
 * `createKatesStore`. One set for all: each query id has its own memoized selectors, forgotten
 * when the query is removed.
 */
export const rootSelectors = createKatesSelectors((root: KatesRootState) => root.kates);
