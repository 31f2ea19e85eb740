import type { KubernetesObject } from '../model/object.js';
import type { Tree } from './tree.js';

/**
 * The order a list arrived in, kept beside the trees built from it: data derived from the state,
 * not state, cached by tree identity (as `PendingIndex` is), and never needed for a correct
 * result, only for a fast one.
 *
 * Why: a tree iterates in hash order, and the API server sends a list sorted by namespace and
 * name, which is the snapshot's order. Sorting 100k ConfigMaps in hash order took 309 to 870 ms
 * of a bootstrap; in the list's order, 36 to 49 ms (issue 18). So each page of a list in progress
 * is remembered beside its `relist` tree ({@link recordPage}), and the first list of a watch hands
 * its members' order to the first sort ({@link setListOrder}, {@link takeListOrder}).
 *
 * A state from elsewhere (a checkpoint, a replay) has no order remembered: its trees are iterated
 * in hash order, as before.
 */

/** The pages of a list in progress, by its `relist` tree; absent when a uid came twice. */
const pagesOf = new WeakMap<Tree<KubernetesObject>, readonly (readonly KubernetesObject[])[]>();
/** A query's members in list order, by members tree, until its first sort takes them. */
const membersOrder = new WeakMap<Tree<KubernetesObject>, KubernetesObject[]>();

/**
 * Remembers that `next` is `prev` and the objects of `page`, in that order. `distinct` says
 * whether each object of the page added a uid `prev` did not hold (no uid twice); otherwise the
 * order is forgotten, as it no longer lists the tree's values one for one.
 */
export function recordPage(
  prev: Tree<KubernetesObject>,
  next: Tree<KubernetesObject>,
  page: readonly KubernetesObject[],
  distinct: boolean,
): void {
  const pages = prev.size === 0 ? [] : pagesOf.get(prev);
  if (!pages || !distinct) return;
  pagesOf.set(next, [...pages, page]);
}

/**
 * The objects of the list whose `relist` tree is `relist`, in arrival order, each uid once and each
 * the very value the tree holds; undefined when the order is not known.
 */
export function listPagesOf(
  relist: Tree<KubernetesObject>,
): readonly (readonly KubernetesObject[])[] | undefined {
  return relist.size === 0 ? [] : pagesOf.get(relist);
}

/** Remembers `items`, the values of `members` one for one, in list order, for its first sort. */
export function setListOrder(members: Tree<KubernetesObject>, items: KubernetesObject[]): void {
  if (items.length === members.size) membersOrder.set(members, items);
}

/**
 * The values of `members` in list order, to be sorted in place, if they are known; forgotten once
 * taken, so that the array does not outlive the first sort.
 */
export function takeListOrder(members: Tree<KubernetesObject>): KubernetesObject[] | undefined {
  const items = membersOrder.get(members);
  if (items) membersOrder.delete(members);
  return items;
}
