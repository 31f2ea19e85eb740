import type { KubernetesObject } from '../model/object.js';
import { queryStatusOf } from '../store/selectors.js';
import type { KatesState } from '../store/state.js';
import { diffTrees, emptyTree, type Tree, treeForEach } from '../store/tree.js';
import { Fnv64 } from './fnv.js';
import type { Redactor } from './redact.js';

/** The name of the hash below, written in each recording's header. */
export const SNAPSHOT_HASH = 'kates-snapshot-fnv1a64-sum/v1';

/** A 64-bit value as two 32-bit halves. */
type Halves = readonly [number, number];

const ZERO: Halves = [0, 0];

/** a + sign * b, mod 2^64. */
function add(a: Halves, b: Halves, sign: 1 | -1): Halves {
  let lo = a[1] + sign * b[1];
  let hi = a[0] + sign * b[0];
  if (lo >= 0x1_0000_0000) {
    lo -= 0x1_0000_0000;
    hi += 1;
  } else if (lo < 0) {
    lo += 0x1_0000_0000;
    hi -= 1;
  }
  return [hi >>> 0, lo >>> 0];
}

const hex = (h: Halves) => h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0');

/**
 * Hashes what a consumer of the store can see. For each query, in id order: its id, its status
 * (phase, synced, resourceVersion, member count, error code and reason) and the hash of its member
 * set, which is the sum mod 2^64 of each member's hash; a member's hash is the FNV-1a 64 of its
 * JSON **as redacted** (so Secret values, which a recording never holds, do not count, and a replay
 * that rebuilds redacted Secrets hashes the same; the JSON holds the uid and resourceVersion).
 * Error messages are left out: credentials are scrubbed from them in recordings.
 *
 * Cheap on every action because states are persistent: an object is hashed once per version
 * received (cached by identity), and a member set's sum is updated from the last set hashed for
 * that query by diffing the two trees, which costs what changed. A sum is a function of the set,
 * not of arrival order, so a replay that reaches the same set by another path hashes the same.
 */
export class SnapshotHasher {
  private readonly objects = new WeakMap<object, Halves>();
  private readonly sums = new WeakMap<Tree<KubernetesObject>, Halves>();
  /** The last members tree hashed per query id, the base of the next diff. */
  private readonly last = new Map<string, Tree<KubernetesObject>>();

  constructor(private readonly redactor: Redactor) {}

  /** The hash of one object, as redacted. */
  objectHash(obj: KubernetesObject, secretHint = false): Halves {
    let h = this.objects.get(obj);
    if (h === undefined) {
      h = new Fnv64().string(JSON.stringify(this.redactor.object(obj, secretHint))).halves();
      this.objects.set(obj, h);
    }
    return h;
  }

  /** The hash of a member set; `base` is a tree of the same query whose sum may be known. */
  membersHash(tree: Tree<KubernetesObject>, secretHint = false, base?: Tree<KubernetesObject>): Halves {
    const known = this.sums.get(tree);
    if (known) return known;
    let sum: Halves;
    const baseSum = base && this.sums.get(base);
    if (base && baseSum) {
      sum = baseSum;
      diffTrees(base, tree, (_uid, before, after) => {
        if (before) sum = add(sum, this.objectHash(before, secretHint), -1);
        if (after) sum = add(sum, this.objectHash(after, secretHint), 1);
      });
    } else {
      sum = ZERO;
      treeForEach(tree, (obj) => {
        sum = add(sum, this.objectHash(obj, secretHint), 1);
      });
    }
    this.sums.set(tree, sum);
    return sum;
  }

  /** The hash of the snapshot-relevant part of a kates state, as 16 hex digits. */
  hash(state: KatesState): string {
    const f = new Fnv64();
    for (const id of Object.keys(state.queries).sort()) {
      const q = state.queries[id]!;
      const st = queryStatusOf(q, q.watchKey ? state.reflectors[q.watchKey] : undefined);
      const members = this.membersHash(q.members, q.groupKind === 'Secret', this.last.get(id) ?? emptyTree());
      this.last.set(id, q.members);
      f.field(id)
        .field(st.phase)
        .field(st.synced ? '1' : '0')
        .field(st.resourceVersion)
        .field(String(st.count))
        .field(String(st.error?.code ?? ''))
        .field(st.error?.reason ?? '')
        .field(hex(members));
    }
    return f.hex();
  }
}
