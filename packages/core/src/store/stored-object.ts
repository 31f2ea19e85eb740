import type { KubernetesObject } from '../model/object.js';
import type { KatesState, LocalWrite, ObjectEntry, StoredObject } from './state.js';
import { treeForEach, treeGet } from './tree.js';

/**
 * What a kind's objects tree holds for a UID is the object itself, unless a write, a deletion or a
 * floor of it is pending: then an {@link ObjectEntry} around it. Every object the store holds has
 * `metadata` (its uid is its key) and an entry never has, so that tells them apart whatever
 * fields a custom resource has at its top level. Proved by `normalization.test.ts` ('takes an
 * object whose own top-level fields are named object, groupKind and local for itself').
 */
export function isEntry(stored: StoredObject): stored is ObjectEntry {
  return (stored as KubernetesObject).metadata === undefined;
}

/** The object stored for a UID, with or without a pending write. */
export function objectOf(stored: StoredObject): KubernetesObject {
  return isEntry(stored) ? stored.object : stored;
}

/** The pending write, deletion or floor of a stored object, if any. */
export function localOf(stored: StoredObject | undefined): LocalWrite | undefined {
  return stored && isEntry(stored) ? stored.local : undefined;
}

/** The resourceVersion of a stored object (`''` for the reference a deletion answered with a Status leaves). */
export function versionOf(stored: StoredObject): string {
  return objectOf(stored).metadata?.resourceVersion ?? '';
}

/**
 * What the store holds for `uid`: the object, or an entry while a write of it is pending. Looked
 * up in `groupKind`'s tree when given, else in each kind's.
 */
export function storedOf(state: KatesState, uid: string, groupKind?: string): StoredObject | undefined {
  if (groupKind !== undefined) {
    const tree = state.objects[groupKind];
    return tree && treeGet(tree, uid);
  }
  for (const groupKind in state.objects) {
    const stored = treeGet(state.objects[groupKind]!, uid);
    if (stored) return stored;
  }
  return undefined;
}

/** How many objects the store holds, all kinds together. */
export function objectCount(state: KatesState): number {
  let n = 0;
  for (const groupKind in state.objects) n += state.objects[groupKind]!.size;
  return n;
}

/** Calls `fn` for every object the store holds, kind by kind; stops early when it returns `false`. */
export function forEachStored(
  state: KatesState,
  fn: (stored: StoredObject, uid: string, groupKind: string) => unknown,
): void {
  for (const groupKind in state.objects) {
    let stop = false;
    treeForEach(state.objects[groupKind]!, (stored, uid) => {
      if (fn(stored, uid, groupKind) === false) stop = true;
      return !stop;
    });
    if (stop) return;
  }
}
