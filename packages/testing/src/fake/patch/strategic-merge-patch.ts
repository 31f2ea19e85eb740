import { clone, isObject } from '../json.js';
import { listTypeAt, sameListItem } from '../list-types.js';

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds, the subset
 * kubectl uses: objects merge like a merge patch; keyed lists (containers, ports, env, volumes,
 * volumeMounts, conditions; see list-types.ts) merge by key; `metadata.finalizers` merges as a set;
 * `$patch: delete` removes a list item or map, `$patch: replace` replaces one;
 * `$deleteFromPrimitiveList/<field>` removes set values. `$setElementOrder` and `$retainKeys`
 * are accepted and ignored (order is the target's, then new items). Other lists are replaced.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  return merge(target, patch, []);
}

const DELETE = Symbol('delete');

function merge(target: unknown, patch: unknown, path: string[]): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'delete') return DELETE;
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const name = k.slice('$deleteFromPrimitiveList/'.length);
      const current = result[name];
      if (Array.isArray(current) && Array.isArray(v)) result[name] = current.filter((x) => !v.includes(x));
      continue;
    }
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete result[k];
      continue;
    }
    const childPath = [...path, k];
    if (Array.isArray(v)) {
      result[k] = mergeList(result[k], v, childPath);
      continue;
    }
    const merged = merge(result[k], v, childPath);
    if (merged === DELETE) delete result[k];
    else result[k] = merged;
  }
  return result;
}

function mergeList(target: unknown, patch: unknown[], path: string[]): unknown[] {
  const type = listTypeAt(path, true);
  const current = Array.isArray(target) ? [...target] : [];
  if (type.type === 'set') {
    for (const v of patch) if (!current.includes(v)) current.push(v);
    return current;
  }
  if (type.type === 'atomic') {
    return clone(patch.filter((item) => !(isObject(item) && item.$patch === 'delete')));
  }
  if (patch.some((item) => isObject(item) && item.$patch === 'replace' && Object.keys(item).length === 1)) {
    return clone(patch.filter((item) => !(isObject(item) && item.$patch === 'replace')));
  }
  for (const item of patch) {
    const at = current.findIndex((c) => sameListItem(type, c, item));
    if (isObject(item) && item.$patch === 'delete') {
      if (at >= 0) current.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = merge(current[at], item, path);
      if (merged === DELETE) current.splice(at, 1);
      else current[at] = merged;
    } else current.push(merge(undefined, item, path));
  }
  return current;
}
