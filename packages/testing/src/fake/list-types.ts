/**
 * How lists of built-in kinds merge, for strategic merge patch, server-side apply and
 * managedFields: by key (`containers` by `name`), as a set (`finalizers`), or atomically. The
 * apiserver reads this from Go struct tags and OpenAPI; the fake keeps a table of the common ones
 * and treats every other list as atomic (replaced whole), which is also what it does for custom
 * resources, whose schemas it does not read.
 */
export type ListType =
  | { readonly type: 'map'; readonly keys: readonly string[] }
  | { readonly type: 'set' }
  | { readonly type: 'atomic' };

const ATOMIC: ListType = { type: 'atomic' };
const SET: ListType = { type: 'set' };
const byKey = (...keys: string[]): ListType => ({ type: 'map', keys });

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

const BUILTIN: Readonly<Record<string, ListType>> = {
  containers: byKey('name'),
  initContainers: byKey('name'),
  ephemeralContainers: byKey('name'),
  env: byKey('name'),
  volumes: byKey('name'),
  volumeMounts: byKey('mountPath'),
  imagePullSecrets: byKey('name'),
  conditions: byKey('type'),
  hostAliases: byKey('ip'),
  topologySpreadConstraints: byKey('topologyKey', 'whenUnsatisfiable'),
};

/**
 * The list type at `path` (field names from the object root, list indexes left out).
 * `builtin` is false for custom resources.
 */
export function listTypeAt(path: readonly string[], builtin: boolean): ListType {
  const name = path[path.length - 1] ?? '';
  if (path.length === 2 && path[0] === 'metadata') {
    if (name === 'finalizers') return SET;
    if (name === 'ownerReferences') return byKey('uid');
  }
  if (!builtin) return ATOMIC;
  if (name === 'ports') {
    return CONTAINER_LISTS.has(path[path.length - 2] ?? '')
      ? byKey('containerPort', 'protocol')
      : byKey('port', 'protocol');
  }
  return BUILTIN[name] ?? ATOMIC;
}

/** Whether two list items are the same element of a keyed list. */
export function sameListItem(type: ListType, a: unknown, b: unknown): boolean {
  if (type.type !== 'map') return false;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const [ra, rb] = [a as Record<string, unknown>, b as Record<string, unknown>];
  return type.keys.every((k) => ra[k] === rb[k]);
}
