import type { KubernetesObject } from '../model/object.js';
import { diffTrees, type Tree, treeGet, treeNote } from './tree.js';

/**
 * Which uids a query's members changed, kept beside each members tree the reducer makes, so that
 * `update()` finds what changed since a snapshot was filled without walking the trees. Data
 * derived from the state, not state: a note on each tree the reducer makes (`treeNote`), saying
 * "this tree differs from `prev` at most in these uids"; a members tree made
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
  /**
   * The tree this one was made from. Held strongly, but a chain is cut after {@link MAX_STEPS}
   * (see {@link membersStep}), so a query keeps at most that many earlier members trees alive.
   */
  prev: Tree<KubernetesObject> | undefined;
  readonly uids: readonly string[];
  readonly depth: number;
}

/** Beyond these, walking the trees costs no more than looking each uid up. */
const MAX_UIDS = 1024;
const MAX_STEPS = 16;

/**
 * The note (`TreeEditor.finish(note)`) saying that the members tree being finished differs from
 * `prev` at most in `uids`; undefined when there are too many to be worth it.
 */
export function membersStep(prev: Tree<KubernetesObject>, uids: ReadonlySet<string>): object | undefined {
  if (uids.size > MAX_UIDS) return undefined;
  const before = treeNote(prev) as Step | undefined;
  let depth = (before?.depth ?? 0) + 1;
  if (before && depth > MAX_STEPS) {
    // Cut the chain behind `prev`: it starts again from here.
    before.prev = undefined;
    depth = 1;
  }
  const step: Step = { prev, uids: Array.from(uids), depth };
  return step;
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

/**
 * What differs between two members trees, as {@link diffMembers} reports it: `uids[k]` was
 * `before[k]` in `from` and is `after[k]` in `to` (either undefined, never both). The sorted items
 * of a query keep the changes of their last patch, so that `updateWithDeltas` takes its deltas
 * from that diff rather than making a second one (`changesFrom` in incremental-items.ts).
 */
export interface MemberChanges {
  readonly from: Tree<KubernetesObject>;
  readonly to: Tree<KubernetesObject>;
  readonly uids: readonly string[];
  readonly before: readonly (KubernetesObject | undefined)[];
  readonly after: readonly (KubernetesObject | undefined)[];
}

/** The changes from `prev` to `next`, as arrays (see {@link MemberChanges}). */
export function memberChanges(prev: Tree<KubernetesObject>, next: Tree<KubernetesObject>): MemberChanges {
  const uids: string[] = [];
  const before: (KubernetesObject | undefined)[] = [];
  const after: (KubernetesObject | undefined)[] = [];
  diffMembers(prev, next, (uid, b, a) => {
    uids.push(uid);
    before.push(b);
    after.push(a);
  });
  return { from: prev, to: next, uids, before, after };
}

/** The uids recorded from `prev` to `next` (each once), or undefined when no chain of notes joins them. */
function changedSince(
  prev: Tree<KubernetesObject>,
  next: Tree<KubernetesObject>,
): readonly string[] | Set<string> | undefined {
  let uids: readonly string[] | Set<string> | undefined;
  let at = next;
  for (let n = 0; n <= MAX_STEPS; n++) {
    const step = treeNote(at) as Step | undefined;
    const before = step?.prev;
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
