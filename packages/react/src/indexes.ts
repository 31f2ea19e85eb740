import type { KubernetesObject } from '@kates/core/browser';

/**
 * Lookups over a query's items, built once per items array and shared by every component that
 * asks (a WeakMap keyed by the array): a row lookup is O(1), not a scan of 10k objects per render.
 */
const byUid = new WeakMap<readonly KubernetesObject[], ReadonlyMap<string, KubernetesObject>>();
const byName = new WeakMap<readonly KubernetesObject[], ReadonlyMap<string, KubernetesObject>>();
const uids = new WeakMap<readonly KubernetesObject[], readonly string[]>();

/** `namespace/name` (or `/name` for cluster-scoped objects): the key of {@link indexByName}. */
export function namespacedName(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** The index `cache` holds for `items`, built by keying every object with `keyOf` on first use. */
function indexed(
  cache: WeakMap<readonly KubernetesObject[], ReadonlyMap<string, KubernetesObject>>,
  items: readonly KubernetesObject[],
  keyOf: (obj: KubernetesObject) => string,
): ReadonlyMap<string, KubernetesObject> {
  const cached = cache.get(items);
  if (cached) return cached;
  const map = new Map<string, KubernetesObject>();
  for (const obj of items) map.set(keyOf(obj), obj);
  cache.set(items, map);
  return map;
}

/** The items of a query by `metadata.uid`. */
export function indexByUid<T extends KubernetesObject>(items: readonly T[]): ReadonlyMap<string, T> {
  return indexed(byUid, items, (obj) => obj.metadata?.uid ?? '') as ReadonlyMap<string, T>;
}

/** The items of a query by {@link namespacedName}. */
export function indexByName<T extends KubernetesObject>(items: readonly T[]): ReadonlyMap<string, T> {
  return indexed(byName, items, (obj) =>
    namespacedName(obj.metadata?.namespace, obj.metadata?.name ?? ''),
  ) as ReadonlyMap<string, T>;
}

/**
 * Recent uid lists by length: the likely predecessor of a new items array of the same length. A
 * few lengths (queries of different sizes, a count that moves by one and back) are enough.
 */
const recentByLength = new Map<number, { items: readonly KubernetesObject[]; uids: readonly string[] }>();
const RECENT_LENGTHS = 8;

/**
 * The last pair {@link positionalChanges} compared: the uid list and the row subscriptions of one
 * change ask for the same pair. One pair, not a cache keyed by array: an entry that held its
 * `before` array would keep every items array since the page loaded alive, chained one to the next
 * (28 MB after 800 events at 10k pods).
 */
let lastPair:
  | {
      readonly before: readonly KubernetesObject[];
      readonly after: readonly KubernetesObject[];
      readonly changes: readonly number[];
    }
  | undefined;

/**
 * The positions whose object differs between two items arrays of the same length (a pointer
 * comparison each), or undefined when the lengths differ. A watch MODIFIED event changes one
 * position.
 */
export function positionalChanges(
  before: readonly KubernetesObject[],
  after: readonly KubernetesObject[],
): readonly number[] | undefined {
  if (before.length !== after.length) return undefined;
  if (lastPair?.before === before && lastPair.after === after) return lastPair.changes;
  const changes: number[] = [];
  for (let i = 0; i < after.length; i++) if (before[i] !== after[i]) changes.push(i);
  lastPair = { before, after, changes };
  return changes;
}

/** Whether `items` has the uids `prevUids` of `prevItems` at every position. */
function sameUidsAt(
  prevItems: readonly KubernetesObject[],
  prevUids: readonly string[],
  items: readonly KubernetesObject[],
): boolean {
  const changes = positionalChanges(prevItems, items);
  return changes?.every((i) => items[i]!.metadata?.uid === prevUids[i]) ?? false;
}

/**
 * The uids of a query's items, in snapshot order. After a modification (same uids, same order)
 * it returns the previous array itself: no allocation, and lists keyed on it do not re-render.
 */
export function uidsOf(items: readonly KubernetesObject[]): readonly string[] {
  let list = uids.get(items);
  if (!list) {
    const recent = recentByLength.get(items.length);
    list =
      recent && sameUidsAt(recent.items, recent.uids, items)
        ? recent.uids
        : Object.freeze(items.map((o) => o.metadata?.uid ?? ''));
    uids.set(items, list);
    if (recentByLength.size >= RECENT_LENGTHS) recentByLength.clear();
    recentByLength.set(items.length, { items, uids: list });
  }
  return list;
}

/**
 * The object with `uid` in `items`, looked up at `position` first: a watch MODIFIED event keeps
 * every position, so a row finds its object in O(1) without building an index for the new array.
 */
export function itemByUid<T extends KubernetesObject>(
  items: readonly T[],
  uid: string,
  position?: number,
): T | undefined {
  if (position !== undefined) {
    const at = items[position];
    if (at?.metadata?.uid === uid) return at;
  }
  return indexByUid(items).get(uid);
}

/** Whether two arrays hold the same elements in the same order. */
export function sameElements<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
