import type { KubernetesObject } from '../model/object.js';
import { diffTrees, emptyTree, type Tree, treeGet } from './tree.js';

/**
 * Which uids a query's members changed, kept beside each members tree the reducer makes, so that
 * `update()` finds what changed since a snapshot was filled without walking the trees. Data
 * derived from the state, not state (as `PendingIndex` is): a statement about two trees, "`next`
 * differs from `prev` at most in these uids", cached by tree identity; a members tree made
 * without one (a bootstrap, a query bound late, a checkpoint) is diffed by walking the trees, as
 * before. Results equal `diffTrees`; only the cost differs (proved by `member-changes.test.ts`,
 * and by the model test, whose fields are filled incrementally and compared with a full sort).
 *
 * Why: `update()` after one change diffed the members twice (once for the deltas, once for the
 * sorted items), each a walk of 64 root slots, 64 slots of a middle node and a leaf. A controller
 * updates a few times a second, so that code never gets optimized, and each walk cost 10 to 30 us
 * (measured in the consumer of bench/src/micro/issue18-e2e.ts), against 28 us for client-node's
 * whole `list()` at 10k objects.
 */

interface Step {
  /** Held weakly: otherwise each members tree would keep every earlier one alive. */
  readonly prev: WeakRef<Tree<KubernetesObject>>;
  readonly uids: readonly string[];
}

const steps = new WeakMap<Tree<KubernetesObject>, Step>();

/** Beyond these, walking the trees costs no more than looking each uid up. */
const MAX_UIDS = 1024;
const MAX_STEPS = 64;

/** Records that `next` differs from `prev` at most in `uids`. */
export function recordMembersChange(
  prev: Tree<KubernetesObject>,
  next: Tree<KubernetesObject>,
  uids: ReadonlySet<string>,
): void {
  // The empty tree is shared by every query: no statement is kept about it.
  if (prev === next || next === emptyTree() || uids.size > MAX_UIDS) return;
  steps.set(next, { prev: new WeakRef(prev), uids: [...uids] });
}

/**
 * Calls `onChange` for every uid whose member differs (!==) between `prev` and `next`, as
 * {@link diffTrees} does (in another order): from the recorded changes when they lead from `next`
 * back to `prev`, else by walking the trees.
 */
export function diffMembers(
  prev: Tree<KubernetesObject>,
  next: Tree<KubernetesObject>,
  onChange: (uid: string, before: KubernetesObject | undefined, after: KubernetesObject | undefined) => void,
): void {
  if (prev === next) return;
  const uids = changedSince(prev, next);
  if (!uids) {
    diffTrees(prev, next, onChange);
    return;
  }
  // An indexed loop where it can be: this runs unoptimized (see updateSortedItems).
  if (Array.isArray(uids)) {
    for (let i = 0; i < uids.length; i++) report(prev, next, uids[i] as string, onChange);
  } else for (const uid of uids) report(prev, next, uid, onChange);
}

function report(
  prev: Tree<KubernetesObject>,
  next: Tree<KubernetesObject>,
  uid: string,
  onChange: (uid: string, before: KubernetesObject | undefined, after: KubernetesObject | undefined) => void,
): void {
  const before = treeGet(prev, uid);
  const after = treeGet(next, uid);
  if (before !== after) onChange(uid, before, after);
}

/** The uids recorded from `prev` to `next` (each once), or undefined when no chain of records joins them. */
function changedSince(
  prev: Tree<KubernetesObject>,
  next: Tree<KubernetesObject>,
): Iterable<string> | undefined {
  let uids: readonly string[] | Set<string> | undefined;
  let at = next;
  for (let n = 0; n < MAX_STEPS; n++) {
    const step = steps.get(at);
    const before = step?.prev.deref();
    if (!step || !before) return undefined;
    if (uids === undefined) uids = step.uids;
    else {
      if (!(uids instanceof Set)) uids = new Set(uids);
      for (let i = 0; i < step.uids.length; i++) uids.add(step.uids[i]!);
      if (uids.size > MAX_UIDS) return undefined;
    }
    if (before === prev) return uids;
    at = before;
  }
  return undefined;
}
