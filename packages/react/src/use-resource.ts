import type { KubernetesObject } from '@kates/core/browser';
import { useKatesSelector, useViewStore } from './context.js';
import { indexByName, namespacedName } from './indexes.js';
import type { KatesView } from './view.js';

/** The object of `kind` named `namespace/name` in any query of the view, or undefined. */
export function findResource(
  view: KatesView,
  kind: string,
  namespace: string | undefined,
  name: string,
): KubernetesObject | undefined {
  const key = namespacedName(namespace || undefined, name);
  const wanted = kind.toLowerCase();
  for (const query in view.snapshot) {
    const items = view.snapshot[query]!;
    if (view.statuses[query]?.kind.toLowerCase() !== wanted && items[0]?.kind?.toLowerCase() !== wanted)
      continue;
    const obj = indexByName(items).get(key);
    if (obj) return obj;
  }
  return undefined;
}

/**
 * One object from the provider's queries, by kind, namespace and name; undefined while no query
 * holds it. The component re-renders only when that object changes (a new resourceVersion), not
 * when others do. `kind` is the query's kind as written (`pods`, `svc`) or the object's (`Pod`).
 *
 * @param namespace the namespace, or undefined for a cluster-scoped object
 * @public
 */
export function useResource<T extends KubernetesObject = KubernetesObject>(
  kind: string,
  namespace: string | undefined,
  name: string,
): T | undefined {
  useViewStore('useResource');
  return useKatesSelector((view) => findResource(view, kind, namespace, name)) as T | undefined;
}
