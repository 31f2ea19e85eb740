import type { KubernetesObject } from '../model/object.js';
import { queryMatches, type Selectors } from './match.js';
import { compareObjects } from './sorted-items.js';
import { keyHash, type Tree, treeOfKeyed } from './tree.js';

/**
 * A list in progress, as its pages came: the objects with a uid, in the order the API server sent
 * them. Readers see the previous complete state until the list completes (rule 3), so nothing
 * reads a page's objects by uid before then, and `listCompleted` builds the list's tree once.
 *
 * Why pages rather than a tree built page by page: a page written into a tree copies every leaf it
 * touches, and at 100k objects each page of 2000 touches most of the 4096 leaves, so the copies
 * grew with the square of the list (100k ConfigMaps: 270 to 830 ms of `listPage` in all, against
 * a parse of 410 to 1070 ms; one tree built from the pages at the end costs tens of ms). The
 * pages also keep the list's order, which the first sort of a query uses (`list-order.ts`).
 *
 * Why each page is read on arrival (uids and their hashes, the watch's judgement, the order): the
 * page's objects have just been parsed, so they are in the processor's caches, and the reflector
 * reads a page while the API server prepares the next one. At `listCompleted` the same reads met
 * every object cold, after the last page, with nothing left to overlap. Measured in fresh
 * processes on the in-memory server (NODE_ENV=production, 2026-12-07):
 * - 10k ConfigMaps, pages of 2000: `listCompleted` took 8 to 16 ms against 17 to 23, and the first
 *   `update()` 0.5 ms against 2.6 to 3.9 (its sort had nothing left to do); each page took 1 to
 *   3 ms more (the first up to 9), while the next page was on its way;
 * - 100k ConfigMaps, streamed: `listCompleted` 20 to 37 ms against 55 to 146, the first `update()`
 *   0.5 to 1.3 ms against 15 to 27; the pages 67 to 74 ms in all against 25 to 40;
 * - 10k Pods, streamed: `listCompleted` 8 to 22 ms against 25 to 99; outside production, where
 *   each object is deep-frozen, 6 to 53 ms against 176 to 256, since the reducer's `listPage`
 *   freezes each page's objects as they come (at 1k Pods, one page: 3 to 5 ms against 18 to 19).
 * Proved by 'reads each page on arrival: its uids, what the watch shows and whether the list is
 * still in snapshot order' (list-in-progress.test.ts) and by first-list.test.ts.
 */
export interface ListInProgress {
  /** The pages, in the order they came. */
  readonly pages: readonly ListInProgressPage[];
  /** Objects in the pages (a uid that came twice counts twice). */
  readonly size: number;
  /** Objects in the pages that the watch's own namespace and selectors match. */
  readonly shown: number;
  /** Whether the pages' objects, in the order they came, are in snapshot order (`compareObjects`). */
  readonly sorted: boolean;
}

/**
 * One page of a list in progress: its objects that have a uid, with their uids and the uids' hashes
 * (as trees file them), one for one.
 */
export interface ListInProgressPage {
  /** The page's objects that have a uid, in the order they came. */
  readonly values: readonly KubernetesObject[];
  /** Their uids. */
  readonly keys: readonly string[];
  /** The uids' hashes, as trees file them. */
  readonly hashes: readonly number[];
}

/** A list that has just started. */
export const EMPTY_LIST: ListInProgress = Object.freeze({
  pages: Object.freeze([]),
  size: 0,
  shown: 0,
  sorted: true,
});

/** `list` and then `page` (the objects of `page` that have a uid), the page read for `watch`. */
export function withPage(
  list: ListInProgress,
  page: readonly KubernetesObject[],
  watch: Selectors,
): ListInProgress {
  const values = page.every(hasUid) ? page : page.filter(hasUid);
  if (values.length === 0) return list;
  const keys: string[] = [];
  const hashes: number[] = [];
  let shown = 0;
  let sorted = list.sorted;
  const last = list.pages[list.pages.length - 1]?.values;
  let before = last?.[last.length - 1];
  for (let i = 0; i < values.length; i++) {
    const obj = values[i]!;
    const uid = obj.metadata!.uid!;
    keys.push(uid);
    hashes.push(keyHash(uid));
    if (queryMatches(watch, obj)) shown++;
    if (sorted && before !== undefined && compareObjects(before, obj) > 0) sorted = false;
    before = obj;
  }
  return {
    pages: [...list.pages, { values, keys, hashes }],
    size: list.size + values.length,
    shown: list.shown + shown,
    sorted,
  };
}

/**
 * The list's objects by uid (where a uid came twice, its last object), and whether each object
 * brought a uid of its own: then the pages list the tree's values one for one, in order.
 */
export function listTree(list: ListInProgress): { tree: Tree<KubernetesObject>; distinct: boolean } {
  const tree = treeOfKeyed(list.pages);
  return { tree, distinct: tree.size === list.size };
}

const hasUid = (obj: KubernetesObject) => !!obj.metadata?.uid;
