/**
 * `@kates/react`: React hooks over a kates accumulator or store, built on `useSyncExternalStore`
 * (through react-redux). Components re-render only when what they select changes.
 * @packageDocumentation
 */

export { countBy } from './count-by.js';
export {
  type KatesDevToolsOptions,
  katesDevTools,
  sanitizeKatesAction,
  sanitizeKatesState,
} from './devtools.js';
export { indexByName, indexByUid, itemByUid, namespacedName, sameElements, uidsOf } from './indexes.js';
export type { NotifySchedule } from './notify-schedule.js';
export { KatesProvider, type KatesProviderProps } from './provider.js';
export type { KatesSnapshot, QueryResult, SyncStatus } from './types.js';
export { useQuery } from './use-query.js';
export { useQueryItem, useQueryUids } from './use-query-item.js';
export { useResource } from './use-resource.js';
export { useSnapshot } from './use-snapshot.js';
export { useSyncStatus } from './use-sync-status.js';
export type { StoreLike } from './view.js';
