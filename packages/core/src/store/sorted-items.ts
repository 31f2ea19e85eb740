import type { KubernetesObject } from '../model/object.js';
import { takeListOrder } from './list-order.js';
import type { MemberChanges } from './member-changes.js';
import { type Tree, treeValues } from './tree.js';

/** Snapshot order: namespace, then name, then uid. Deterministic, as kubectl lists. */
export function compareObjects(a: KubernetesObject, b: KubernetesObject): number {
  const ma = a.metadata;
  const mb = b.metadata;
  return (
    cmp(ma?.namespace ?? '', mb?.namespace ?? '') ||
    cmp(ma?.name ?? '', mb?.name ?? '') ||
    cmp(ma?.uid ?? '', mb?.uid ?? '')
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of `obj` in `items`, or of where it would be inserted (as `-(index + 1)`). */
function search(items: readonly KubernetesObject[], obj: KubernetesObject): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareObjects(items[mid]!, obj);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return -(lo + 1);
}

/**
 * The arrays made here (and the filtered copies `filteredUpdate` makes of them): frozen, and in
 * {@link compareObjects} order, so that an object can be found in one by binary search.
 */
const sortedFields = new WeakSet<readonly KubernetesObject[]>();

/** Freezes `items`, which are in {@link compareObjects} order, and marks them as such. */
export function freezeSorted<T extends KubernetesObject>(items: T[]): readonly T[] {
  Object.freeze(items);
  sortedFields.add(items);
  return items;
}

/**
 * Marks `items`, a copy of sorted items made to be edited into the next ones (a spare, see
 * `updateSortedItems`), as sorted ahead: `freezeSorted` without the freeze, on the turn that made
 * it, so that the update that uses it only freezes it.
 */
export function markSorted(items: readonly KubernetesObject[]): void {
  sortedFields.add(items);
}

/** Whether `items` is a snapshot field kates sorted (see {@link findSorted}). */
export function isSortedField(items: readonly KubernetesObject[]): boolean {
  return sortedFields.has(items);
}

/**
 * The object named `name` in `namespace` ('' for a cluster-scoped one) of a field for which
 * {@link isSortedField} holds, by binary search: O(log n), with no index to build for each new
 * array. Where two objects of one name are there (deleted and recreated, different uids), the
 * last in order. Proved by 'find by binary search what a scan finds, for any objects (fast-check)'
 * (order.test.ts).
 */
export function findSorted<T extends KubernetesObject>(
  items: readonly T[],
  namespace: string,
  name: string,
): T | undefined {
  let lo = 0;
  let hi = items.length;
  // The first item not before (namespace, name).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = items[mid]!.metadata;
    if ((cmp(m?.namespace ?? '', namespace) || cmp(m?.name ?? '', name)) < 0) lo = mid + 1;
    else hi = mid;
  }
  let found: T | undefined;
  for (let i = lo; i < items.length; i++) {
    const m = items[i]!.metadata;
    if ((m?.namespace ?? '') !== namespace || m?.name !== name) break;
    found = items[i];
  }
  return found;
}

/**
 * Up to this many objects of the previous items (replaced or removed) are found by a scan for
 * their identity rather than by a binary search. A scan reads only the array, in order; a binary
 * search reads an object, its metadata and two strings at each of its 14 steps, each a cache miss
 * when the consumer's update runs between events: 11 to 13 us of the 40 to 50 us one change cost
 * at 10k ConfigMaps in the churn bench (2026-12-05, timed in the consumer), against 1.5 to 3 us
 * for a scan in a probe. It still holds now that the copy is made ahead, on an earlier turn
 * (`SPARE_MIN` in incremental-items.ts), and so is no longer in cache: one change's update at 10k
 * took 23 to 26 us with the scan, 37 to 45 us with the search (bench/src/micro/churn-latency.ts,
 * 2026-12-06, three rounds each). At 100k a scan costs some 20 us.
 */
const SCAN_MAX = 8;

/** Where `obj`, an object of `items`, is: by identity (`scan`), or by its sort key. */
function positionOf(items: readonly KubernetesObject[], obj: KubernetesObject, scan: boolean): number {
  if (scan) {
    const i = items.indexOf(obj);
    if (i >= 0) return i;
  }
  return search(items, obj);
}

/**
 * All members, sorted. O(n log n) in general, and O(n) when the members came from a list in the
 * order the server sent it (`list-order.ts`): a list is sorted by namespace and name already, and
 * sorting a sorted array costs one comparison per item (100k ConfigMaps: 36 to 49 ms, against 309
 * to 870 ms from hash order; issue 18). Where the list was found in snapshot order as its pages
 * came (`list-in-progress.ts`), those comparisons were made then, on objects still in the caches,
 * and the first sort makes none. (Not every list is: etcd orders a cluster-wide list by key, and
 * `a-b/x` comes before `a/x` there.) Used once per query, and after very large changes.
 */
export function buildSortedItems(members: Tree<KubernetesObject>): readonly KubernetesObject[] {
  const listed = takeListOrder(members);
  if (listed?.sorted) return freezeSorted(listed.items);
  return freezeSorted((listed?.items ?? treeValues(members)).sort(compareObjects));
}

/**
 * The sorted items of `changes.to`, from `prevItems`, the sorted items of `changes.from`: the cost
 * follows the number of changes, plus one array copy. Unchanged objects keep their identity.
 * `spare`, when given, is a copy of `prevItems` made beforehand and marked sorted (`markSorted`;
 * see `incrementalItems`), which this edits and returns in place of the copy; the caller gives it
 * up.
 *
 * Written with indexed loops and no destructuring: `update()` runs this a few times a second, so
 * V8 never optimizes it, and in the interpreter a `for...of` over pairs (an iterator and two
 * `next()` calls per pair) took most of the 22 us one replacement cost at 10k items (measured in
 * the consumer of bench/src/micro/issue18-e2e.ts).
 */
export function updateSortedItems(
  prevItems: readonly KubernetesObject[],
  changes: MemberChanges,
  spare?: KubernetesObject[],
): readonly KubernetesObject[] {
  const added: KubernetesObject[] = [];
  const removed: KubernetesObject[] = [];
  // Replacements: `befores[k]` became `afters[k]`.
  const befores: KubernetesObject[] = [];
  const afters: KubernetesObject[] = [];
  for (let k = 0; k < changes.uids.length; k++) {
    const before = changes.before[k];
    const after = changes.after[k];
    if (before && after) {
      befores.push(before);
      afters.push(after);
    } else if (after) added.push(after);
    else if (before) removed.push(before);
  }
  const count = added.length + removed.length + befores.length;
  if (count === 0) return prevItems;
  if (count > 256 && count * 8 > prevItems.length) return buildSortedItems(changes.to);
  // Array.from, not slice() or a spread: of a frozen array, slice() always takes a slow path, and
  // a spread does until the function is optimized, which update() (a few calls a second) never is:
  // 10k items cost 200 to 240 us either way, Array.from 5 to 6 us optimized or not (Node 24).
  const items = spare ?? Array.from(prevItems);
  const scan = befores.length + removed.length <= SCAN_MAX;
  for (let k = 0; k < befores.length; k++) {
    const i = positionOf(items, befores[k]!, scan);
    // Name, namespace and uid never change for one uid, so the position holds.
    if (i >= 0) items[i] = afters[k]!;
  }
  if (added.length + removed.length <= 32) {
    for (let k = 0; k < removed.length; k++) {
      const i = positionOf(items, removed[k]!, scan);
      if (i >= 0) items.splice(i, 1);
    }
    for (let k = 0; k < added.length; k++) {
      const i = search(items, added[k]!);
      items.splice(i >= 0 ? i : -i - 1, 0, added[k]!);
    }
    // A spare was marked when it was made: a WeakSet entry is some 1 us of an update after a pause.
    return items === spare ? Object.freeze(items) : freezeSorted(items);
  }
  return freezeSorted(merge(items, added, removed));
}

/** One pass: drops `removed` and merges `added` (sorted here) into `items`. */
function merge(
  items: KubernetesObject[],
  added: KubernetesObject[],
  removed: KubernetesObject[],
): KubernetesObject[] {
  const gone = new Set(removed.map((o) => o.metadata?.uid));
  added.sort(compareObjects);
  const out: KubernetesObject[] = [];
  let j = 0;
  for (const obj of items) {
    if (gone.has(obj.metadata?.uid)) continue;
    while (j < added.length && compareObjects(added[j]!, obj) < 0) out.push(added[j++]!);
    out.push(obj);
  }
  while (j < added.length) out.push(added[j++]!);
  return out;
}
