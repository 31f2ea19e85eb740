import type { QueryStatus } from '@kates/core/browser';
import { useMemo } from 'react';
import { useKatesSelector, useViewStore } from './context.js';
import type { SyncStatus } from './types.js';

const failingPhases = new Set<QueryStatus['phase']>(['backing-off', 'forbidden', 'unserved', 'error']);

/** Summarizes query statuses: complete when every query has listed, failing where one cannot deliver. */
export function syncStatusOf(queries: Readonly<Record<string, QueryStatus>>): SyncStatus {
  const all = Object.values(queries);
  return {
    synced: all.length > 0 && all.every((q) => q.synced),
    failing: Object.keys(queries).filter((name) => failingPhases.has(queries[name]!.phase)),
    queries,
  };
}

/**
 * Whether the provider's view is complete, and the status of each query (`synced`, `relisting`,
 * `backing-off`, `forbidden`, ...), for a status bar.
 * @public
 */
export function useSyncStatus(): SyncStatus {
  useViewStore('useSyncStatus');
  const statuses = useKatesSelector((view) => view.statuses);
  return useMemo(() => syncStatusOf(statuses), [statuses]);
}
