/**
 * A persistent map from string keys to values, sharded in two levels of 64 by a hash of the key.
 *
 * Why not a plain object or an entity adapter: at 100k objects, copying a 100k-key object on every
 * watch event costs 100 ms (measured, see ARCHITECTURE.md). Here a write copies the root (64 slots),
 * one middle node (64 slots) and one leaf (about n/4096 entries), so one event costs the same at
 * 1k or 1M objects, and unchanged subtrees keep their identity, which makes `diffTrees` cost what
 * changed rather than what exists. Nodes are plain arrays, frozen when created.
 *
 * A leaf is a flat array of keys and values (`[k0, v0, k1, v1, ...]`), searched linearly. Why not
 * an object keyed by UID: each UID is seen in one leaf only, so V8 gives such an object a
 * dictionary, and copying one of 25 entries costs about 2 us (a third of a watch event at 100k
 * Pods, three leaves copied per event); copying the array costs about 0.1 us, and a scan of 25
 * UIDs, which differ in their first characters, costs less than hashing one.
 */
export interface Tree<V> {
  readonly size: number;
  readonly root: readonly (Middle<V> | undefined)[];
}
type Leaf<V> = readonly (string | V)[];
type Middle<V> = readonly (Leaf<V> | undefined)[];

const WIDTH = 64;
const EMPTY_ROOT: readonly undefined[] = Object.freeze(new Array(WIDTH).fill(undefined));
const EMPTY: Tree<never> = Object.freeze({ size: 0, root: EMPTY_ROOT });

/** The empty tree. */
export function emptyTree<V>(): Tree<V> {
  return EMPTY as Tree<V>;
}

/** FNV-1a over the key's UTF-16 code units; 12 bits used. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The index of `key` in a leaf, or -1. */
function indexIn<V>(leaf: Leaf<V>, key: string): number {
  for (let i = 0; i < leaf.length; i += 2) if (leaf[i] === key) return i;
  return -1;
}

function leafOf<V>(root: readonly (Middle<V> | undefined)[], h: number): Leaf<V> | undefined {
  return root[h & 63]?.[(h >>> 6) & 63];
}

function lookup<V>(root: Tree<V>['root'], key: string): V | undefined {
  const leaf = leafOf(root, hash(key));
  if (!leaf) return undefined;
  const i = indexIn(leaf, key);
  return i < 0 ? undefined : (leaf[i + 1] as V);
}

function contains<V>(root: Tree<V>['root'], key: string): boolean {
  const leaf = leafOf(root, hash(key));
  return leaf !== undefined && indexIn(leaf, key) >= 0;
}

/** The value under `key`, or undefined. */
export function treeGet<V>(tree: Tree<V>, key: string): V | undefined {
  return lookup(tree.root, key);
}

/** Whether `key` is in the tree. */
export function treeHas<V>(tree: Tree<V>, key: string): boolean {
  return contains(tree.root, key);
}

/**
 * Calls `fn` for every entry, in hash order (stable for a given set of keys and writes); stops
 * early when `fn` returns `false`.
 */
export function treeForEach<V>(tree: Tree<V>, fn: (value: V, key: string) => unknown): void {
  for (const middle of tree.root) {
    if (!middle) continue;
    for (const leaf of middle) {
      if (!leaf) continue;
      for (let i = 0; i < leaf.length; i += 2) if (fn(leaf[i + 1] as V, leaf[i] as string) === false) return;
    }
  }
}

/** All values, in hash order. */
export function treeValues<V>(tree: Tree<V>): V[] {
  const out: V[] = [];
  treeForEach(tree, (v) => {
    out.push(v);
  });
  return out;
}

/**
 * Edits a tree as a batch: each node touched is copied once per batch, then written in place,
 * so a batch of k writes costs O(k) whatever the tree's size. `finish()` freezes the copies and
 * returns the new tree; the input tree is never changed.
 */
export class TreeEditor<V> {
  private root: (Middle<V> | undefined)[] | undefined;
  /**
   * Nodes copied in this batch, to freeze in `finish`. Whether a node is ours is its not being
   * frozen yet: every node of a finished tree is frozen, copies are not until `finish`. (Sets of
   * owned ids cost two allocations per editor, and an event runs three or four editors.)
   */
  private ownedMiddles: number[] = [];
  private ownedLeaves: number[] = [];
  /** Whether a delete may have emptied a leaf (and so a middle node): `finish` drops empty nodes. */
  private deleted = false;
  private size: number;

  constructor(private base: Tree<V>) {
    this.size = base.size;
  }

  get(key: string): V | undefined {
    return lookup(this.root ?? this.base.root, key);
  }

  has(key: string): boolean {
    return contains(this.root ?? this.base.root, key);
  }

  /** Sets `key` to `value`; a write of the same value (===) changes nothing. */
  set(key: string, value: V): void {
    const h = hash(key);
    const leaf = leafOf(this.root ?? this.base.root, h);
    const i = leaf ? indexIn(leaf, key) : -1;
    if (i >= 0 && leaf![i + 1] === value) return;
    const writable = this.writableLeaf(h);
    if (i >= 0) writable[i + 1] = value;
    else {
      writable.push(key, value);
      this.size++;
    }
  }

  delete(key: string): void {
    const h = hash(key);
    const leaf = leafOf(this.root ?? this.base.root, h);
    const i = leaf ? indexIn(leaf, key) : -1;
    if (i < 0) return;
    const writable = this.writableLeaf(h);
    // Order within a leaf means nothing: the last pair fills the hole.
    const last = writable.length - 2;
    if (i !== last) {
      writable[i] = writable[last]!;
      writable[i + 1] = writable[last + 1]!;
    }
    writable.length = last;
    this.size--;
    this.deleted = true;
  }

  /** Whether anything was written. */
  get changed(): boolean {
    return this.root !== undefined;
  }

  finish(): Tree<V> {
    if (!this.root) return this.base;
    const root = this.root;
    for (const id of this.ownedLeaves) {
      const middle = root[id >>> 6] as (Leaf<V> | undefined)[];
      const leaf = middle[id & 63];
      if (leaf) middle[id & 63] = leaf.length === 0 ? undefined : Object.freeze(leaf);
    }
    for (const m of this.ownedMiddles) {
      const middle = root[m] as (Leaf<V> | undefined)[];
      root[m] = this.deleted && middle.every((x) => x === undefined) ? undefined : Object.freeze(middle);
    }
    const tree =
      this.size === 0 ? emptyTree<V>() : Object.freeze({ size: this.size, root: Object.freeze(root) });
    // Further edits start from the finished tree (its nodes are frozen now, so they are copied).
    this.base = tree;
    this.root = undefined;
    this.ownedMiddles = [];
    this.ownedLeaves = [];
    this.deleted = false;
    return tree;
  }

  /** The leaf of hash `h`, copied once per batch (with the nodes above it) to be written in place. */
  private writableLeaf(h: number): (string | V)[] {
    const m = h & 63;
    const l = (h >>> 6) & 63;
    // Spread, not slice(): V8's slice() of a frozen array takes a slow path (about 40x slower).
    if (!this.root) this.root = [...this.base.root];
    let middle = this.root[m];
    if (!middle || Object.isFrozen(middle)) {
      middle = middle ? [...middle] : new Array(WIDTH).fill(undefined);
      this.root[m] = middle;
      this.ownedMiddles.push(m);
    }
    const mutableMiddle = middle as (Leaf<V> | undefined)[];
    let leaf = mutableMiddle[l];
    if (!leaf || Object.isFrozen(leaf)) {
      leaf = leaf ? [...leaf] : [];
      mutableMiddle[l] = leaf;
      this.ownedLeaves.push((m << 6) | l);
    }
    return leaf as (string | V)[];
  }
}

/**
 * Calls `onChange` for every key whose value differs (!==) between two versions of a tree:
 * `before` undefined for an addition, `after` undefined for a removal. Shared subtrees are
 * skipped by identity, so the cost follows the number of changes.
 */
export function diffTrees<V>(
  a: Tree<V>,
  b: Tree<V>,
  onChange: (key: string, before: V | undefined, after: V | undefined) => void,
): void {
  if (a === b) return;
  for (let m = 0; m < WIDTH; m++) {
    const ma = a.root[m];
    const mb = b.root[m];
    if (ma === mb) continue;
    for (let l = 0; l < WIDTH; l++) {
      const la = ma?.[l];
      const lb = mb?.[l];
      if (la === lb) continue;
      if (la) {
        for (let i = 0; i < la.length; i += 2) {
          const key = la[i] as string;
          const j = lb ? indexIn(lb, key) : -1;
          const after = j < 0 ? undefined : (lb![j + 1] as V);
          if (after !== la[i + 1]) onChange(key, la[i + 1] as V, after);
        }
      }
      if (lb) {
        for (let j = 0; j < lb.length; j += 2) {
          const key = lb[j] as string;
          if (!la || indexIn(la, key) < 0) onChange(key, undefined, lb[j + 1] as V);
        }
      }
    }
  }
}
