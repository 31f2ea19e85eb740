import type { KubernetesObject } from '@kates/core';

// Stored objects are frozen, so their JSON is computed once and shared by every list page and watcher.
const cache = new WeakMap<object, string>();

/** `JSON.stringify` of a stored object, memoized. */
export function jsonOf(obj: KubernetesObject): string {
  let json = cache.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    if (Object.isFrozen(obj)) cache.set(obj, json);
  }
  return json;
}
