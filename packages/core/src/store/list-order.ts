import type { KubernetesObject } from '../model/object.js';
import type { Tree } from './tree.js';

/**
 * The order a list arrived in, kept beside the trees built from it: data derived from the state,
 * not state, cached by tree identity (as `PendingIndex` is), and never needed for a correct
 * result, only for a fast one.
 *
 * Why: a tree iterates in hash order, and the API server sends a list sorted by namespace and
 * name, which is the snapshot's order. Sorting 100k ConfigMaps in hash order took 309 to 870 ms
 * of a bootstrap; in the list's order, 36 to 49 ms (issue 18). So the first list of a watch hands
 * its members' order, from the list's pages (`list-in-progress.ts`), to the first sort
 * ({@link setListOrder}, {@link takeListOrder}).
 *
 * A state from elsewhere (a checkpoint, a replay) has no order remembered: its trees are iterated
 * in hash order, as before.
 */

/** The values of a members tree in list order, and whether that order is the snapshot's already. */
export interface ListOrder {
  readonly items: KubernetesObject[];
  readonly sorted: boolean;
}

/** A query's members in list order, by members tree, until its first sort takes them. */
const membersOrder = new WeakMap<Tree<KubernetesObject>, ListOrder>();

/**
 * Remembers `items`, the values of `members` one for one, in list order, for its first sort;
 * `sorted` where that order is the snapshot's (`compareObjects`), as a list read page by page says
 * (`list-in-progress.ts`): the sort then has nothing to do.
 */
export function setListOrder(
  members: Tree<KubernetesObject>,
  items: KubernetesObject[],
  sorted: boolean,
): void {
  if (items.length === members.size) membersOrder.set(members, { items, sorted });
}

/**
 * The values of `members` in list order, to be sorted in place unless `sorted`, if they are known;
 * forgotten once taken, so that the array does not outlive the first sort.
 */
export function takeListOrder(members: Tree<KubernetesObject>): ListOrder | undefined {
  const order = membersOrder.get(members);
  if (order) membersOrder.delete(members);
  return order;
}
