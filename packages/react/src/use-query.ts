import type { KubernetesObject } from '@kates/core/browser';
import { useMemo } from 'react';
import { useKatesSelector, useViewStore } from './context.js';
import type { QueryResult } from './types.js';
import type { KatesView } from './view.js';

const noItems: readonly KubernetesObject[] = Object.freeze([]);

/** Throws a clear error for a name that is not a query of the provider. */
export function assertQueryName(view: KatesView, name: string, hook: string): void {
  if (name in view.snapshot) return;
  const ids = view.ambiguous[name];
  if (ids) {
    throw new Error(
      `${hook}("${name}"): ${ids.length} queries of this store are named "${name}" (${ids.join(', ')}); ` +
        'ask for one by its id',
    );
  }
  const names = Object.keys(view.snapshot);
  throw new Error(
    `${hook}("${name}"): no query is named "${name}"; ` +
      `${names.length ? `the queries are: ${names.join(', ')}` : 'the provider has no queries yet'}`,
  );
}

/**
 * One query of the provider's accumulator: its sorted items, its status and its error. `items`
 * is the same array while the query's members do not change, so it can be a memo dependency.
 *
 * @example
 * ```tsx
 * const { items, status, error } = useQuery<Pod>('pods');
 * ```
 * @public
 */
export function useQuery<T extends KubernetesObject = KubernetesObject>(name: string): QueryResult<T> {
  assertQueryName(useViewStore('useQuery').getState(), name, 'useQuery');
  const items = useKatesSelector((view) => view.snapshot[name] ?? noItems) as readonly T[];
  const status = useKatesSelector((view) => view.statuses[name]);
  return useMemo(() => ({ items, status, error: status?.error }), [items, status]);
}
