import { createKatesSelectors, type KatesState, type KubernetesObject, nameOf } from '@kates/core';
import { compareResourceVersions } from '@kates/core/internal';

const selectors = createKatesSelectors((state: KatesState) => state);

/** `ConfigMap`, or `Widget.chaos.kates.dev`: the group-kind the store files an object under. */
function groupKindOf(obj: KubernetesObject): string {
  const apiVersion = obj.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  return slash >= 0 ? `${obj.kind}.${apiVersion.slice(0, slash)}` : `${obj.kind ?? ''}`;
}

/**
 * Why a snapshot may lack an object a fresh LIST shows, from the faulted client's store: the
 * version the store holds it at (or that it holds none), and where every watch of its kind has
 * got to, those behind the listed version marked. A divergence then says whether a watch missed
 * the object (the store holds none, or an older version) or the store hides an object it holds
 * (a pending write or deletion waits for every watch of the kind, and one of them is behind).
 *
 * `chaos-b/configmap-505 (listed at 1204): store holds 1204; watches of ConfigMap: k1 at 1204,
 * k2 at 1187 (behind)`
 */
export function explainMissing(state: KatesState, listed: KubernetesObject): string {
  const uid = listed.metadata?.uid ?? '';
  const listedAt = listed.metadata?.resourceVersion ?? '';
  const held = uid ? selectors.selectObject(uid)(state) : undefined;
  const heldAt = held?.metadata?.resourceVersion;
  const store = held ? `store holds ${heldAt}` : 'store holds no object of its uid';
  const groupKind = groupKindOf(listed);
  const watches = Object.values(state.reflectors)
    .filter((r) => r.groupKind === groupKind)
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((r) => {
      const c = compareResourceVersions(r.resourceVersion, listedAt);
      const behind = c !== undefined && c < 0 ? ' (behind)' : '';
      return `${r.key} ${r.phase} at ${r.resourceVersion || 'none'}${behind}`;
    });
  return (
    `${nameOf(listed)} (listed at ${listedAt}): ${store}; ` +
    `watches of ${groupKind}: ${watches.length ? watches.join(', ') : 'none'}`
  );
}
