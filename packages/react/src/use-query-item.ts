import type { KubernetesObject } from '@kates/core/browser';
import { useCallback, useSyncExternalStore } from 'react';
import { useViewStore } from './context.js';
import { itemByUid, sameElements, uidsOf } from './indexes.js';
import { useSnapshot } from './use-snapshot.js';

const noItems: readonly KubernetesObject[] = Object.freeze([]);

/**
 * The uids of a query's items, in order: a list re-renders only when membership or order changes,
 * not when one object is modified. Pair it with {@link useQueryItem} in each row.
 * @public
 */
export function useQueryUids(name: string): readonly string[] {
  return useSnapshot((s) => uidsOf(s[name] ?? noItems), sameElements);
}

/**
 * One object of a query by uid, for a row: the row re-renders only when its object's identity
 * changes, and is not even asked when another object changes (a subscription per object, so 10k
 * mounted rows cost one check per changed object, not 10k). `position` (the row's index in the
 * query's items) makes the lookup O(1) while positions hold.
 * @public
 */
export function useQueryItem<T extends KubernetesObject = KubernetesObject>(
  name: string,
  uid: string,
  position?: number,
): T | undefined {
  const store = useViewStore('useQueryItem');
  const subscribe = useCallback(
    (listener: () => void) => store.subscribeItem(name, uid, listener),
    [store, name, uid],
  );
  const read = () => itemByUid(store.getState().snapshot[name] ?? noItems, uid, position) as T | undefined;
  return useSyncExternalStore(subscribe, read, read);
}
