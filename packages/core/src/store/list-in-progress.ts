import type { KubernetesObject } from '../model/object.js';
import { type Tree, treeOfValues } from './tree.js';

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
 */
export interface ListInProgress {
  /** The pages, in the order they came; each the objects of one page that have a uid. */
  readonly pages: readonly (readonly KubernetesObject[])[];
  /** Objects in the pages (a uid that came twice counts twice). */
  readonly size: number;
}

/** A list that has just started. */
export const EMPTY_LIST: ListInProgress = Object.freeze({ pages: Object.freeze([]), size: 0 });

/** `list` and then `page` (the objects of `page` that have a uid). */
export function withPage(list: ListInProgress, page: readonly KubernetesObject[]): ListInProgress {
  const kept = page.every(hasUid) ? page : page.filter(hasUid);
  if (kept.length === 0) return list;
  return { pages: [...list.pages, kept], size: list.size + kept.length };
}

/**
 * The list's objects by uid (where a uid came twice, its last object), and whether each object
 * brought a uid of its own: then the pages list the tree's values one for one, in order.
 */
export function listTree(list: ListInProgress): { tree: Tree<KubernetesObject>; distinct: boolean } {
  const tree = treeOfValues(list.pages, uidOf);
  return { tree, distinct: tree.size === list.size };
}

const uidOf = (obj: KubernetesObject) => obj.metadata?.uid;
const hasUid = (obj: KubernetesObject) => !!obj.metadata?.uid;
