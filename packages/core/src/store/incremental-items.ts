import { defer } from '../defer.js';
import type { KubernetesObject } from '../model/object.js';
import { type MemberChanges, memberChanges } from './member-changes.js';
import { buildSortedItems, markSorted, updateSortedItems } from './sorted-items.js';
import type { Tree } from './tree.js';

/**
 * From this many items, the copy that the next change of a query's items starts from is made
 * ahead, on a later turn of the event loop than the one that produced the items (`defer`): in the
 * time a controller waits for its next change, not in its `update()`. The copy is what
 * `update()` after one change costs at large N: a fresh array of 100k pointers takes about 2.5 ms
 * (its memory pages touched for the first time), against some 50 us for the rest (issue 18). It
 * costs one array of pointers per query beside its items (8 B an object), and a copy made for
 * items that a large change then rebuilds is wasted: at most one per change of the items. Below
 * 2,048 items, deferring gains nothing: a copy of 2,048 took 1.6 us and asking for a later turn
 * (`setImmediate`) 1.4 us, in a process idle 1 ms between calls (Node 24, 2026-12-06).
 */
const SPARE_MIN = 2048;

/**
 * Up to this many, the changes of a query's last patch are kept for `changesFrom`. They hold the
 * members tree before the change and the objects it replaced or removed: bounded, so that a relist
 * that replaced every object does not keep the old ones alive until the next change.
 */
const KEPT_CHANGES = 256;

/**
 * The sorted items of one query, memoized incrementally: given new members, it patches the
 * previous result rather than sorting again. Results equal a full rebuild; only the cost differs.
 * The spare copy (see {@link SPARE_MIN}) is a copy of `lastItems` taken while they are the last:
 * used by the next patch or dropped, never shared. Proved by order.test.ts ("start a change from a
 * copy made ahead between changes, and stay equal to a full sort with every earlier field
 * unchanged", and for any changes, turns and reads of earlier states by "stay equal to a full sort
 * for any changes, turns between them and reads of earlier states, ..." (fast-check)).
 *
 * A closure rather than reselect's `createSelector`: its argument memo (a cache entry per root
 * state, compared and replaced on every call) cost more than the rest of `update()` after one
 * change, in code a controller runs a few times a second and so never optimized (about 30 of the
 * 45 us the items took at 10k objects, measured in the consumer of
 * bench/src/micro/issue18-e2e.ts).
 */
export function incrementalItems(): IncrementalItems {
  let lastMembers: Tree<KubernetesObject> | undefined;
  let lastItems: readonly KubernetesObject[] = [];
  let lastChanges: MemberChanges | undefined;
  let spare: KubernetesObject[] | undefined;
  let spareAsked = false;
  const makeSpare = () => {
    spareAsked = false;
    if (!spare && lastItems.length >= SPARE_MIN) {
      spare = Array.from(lastItems);
      markSorted(spare);
    }
  };
  const items = (members: Tree<KubernetesObject>) => {
    if (members === lastMembers) return lastItems;
    const prevItems = lastItems;
    const base = spare;
    spare = undefined;
    lastChanges = undefined;
    if (lastMembers) {
      const changes = memberChanges(lastMembers, members);
      lastItems = updateSortedItems(prevItems, changes, base);
      if (changes.uids.length <= KEPT_CHANGES) lastChanges = changes;
    } else lastItems = buildSortedItems(members);
    lastMembers = members;
    // Members that changed to the same items (an object shown again as it was) leave it unused.
    if (lastItems === prevItems) spare = base;
    if (lastItems.length >= SPARE_MIN && !spareAsked) {
      spareAsked = true;
      defer(makeSpare);
    }
    return lastItems;
  };
  return { items, changes: () => lastChanges };
}

/** The sorted items of one query (see {@link incrementalItems}), and the changes of their last patch. */
export interface IncrementalItems {
  readonly items: (members: Tree<KubernetesObject>) => readonly KubernetesObject[];
  /** The changes the items were last patched with, when few (see {@link KEPT_CHANGES}). */
  readonly changes: () => MemberChanges | undefined;
}

/** The incremental items behind each `selectQueryItems` selector (see {@link changesFrom}). */
const itemsOf = new WeakMap<object, IncrementalItems>();

/** Notes that `select` reads its items from `of`. */
export function registerItems(select: object, of: IncrementalItems): void {
  itemsOf.set(select, of);
}

/**
 * The changes of a query's members from `from` to `to`, if `select` (a `selectQueryItems`
 * selector) last patched its items with them, for `to` from `from`: the deltas of
 * `updateWithDeltas` without a second diff. Otherwise undefined. Internal: not exported from the
 * store's index. Proved by 'are what changed since each snapshot was last updated, whoever else
 * read the items in between (fast-check)' (update.test.ts).
 */
export function changesFrom(
  select: object,
  from: Tree<KubernetesObject>,
  to: Tree<KubernetesObject>,
): MemberChanges | undefined {
  const changes = itemsOf.get(select)?.changes();
  return changes && changes.from === from && changes.to === to ? changes : undefined;
}
