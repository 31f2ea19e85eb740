/**
 * A persistent map from string keys to values, sharded in two levels of 64 by a hash of the key.
 *
 * Why not a plain object or an entity adapter: at 100k objects, copying a 100k-key object on every
 * watch event costs 100 ms (measured, see ARCHITECTURE.md). Here a write copies the root (64 slots),
 * one middle node (64 slots) and one leaf (about n/4096 entries), so one event costs the same at
 * 1k or 1M objects, and unchanged subtrees keep their identity, which makes `diffTrees` cost what
 * changed rather than what exists. Nodes are plain arrays and objects, frozen when created.
 */
export interface Tree<V> {
  readonly size: number;
  readonly root: readonly (Middle<V> | undefined)[];
}
type Leaf<V> = Readonly<Record<string, V>>;
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

/** The value under `key`, or undefined. */
export function treeGet<V>(tree: Tree<V>, key: string): V | undefined {
  const h = hash(key);
  const leaf = tree.root[h & 63]?.[(h >>> 6) & 63];
  return leaf && Object.hasOwn(leaf, key) ? leaf[key] : undefined;
}

/** Whether `key` is in the tree. */
export function treeHas<V>(tree: Tree<V>, key: string): boolean {
  const h = hash(key);
  const leaf = tree.root[h & 63]?.[(h >>> 6) & 63];
  return leaf !== undefined && Object.hasOwn(leaf, key);
}

/** Calls `fn` for every entry, in hash order. */
export function treeForEach<V>(tree: Tree<V>, fn: (value: V, key: string) => void): void {
  for (const middle of tree.root) {
    if (!middle) continue;
    for (const leaf of middle) {
      if (!leaf) continue;
      for (const key in leaf) fn(leaf[key] as V, key);
    }
  }
}

/** All values, in hash order. */
export function treeValues<V>(tree: Tree<V>): V[] {
  const out: V[] = [];
  treeForEach(tree, (v) => out.push(v));
  return out;
}

/**
 * Edits a tree as a batch: each node touched is copied once per batch, then written in place,
 * so a batch of k writes costs O(k) whatever the tree's size. `finish()` freezes the copies and
 * returns the new tree; the input tree is never changed.
 */
export class TreeEditor<V> {
  private root: (Middle<V> | undefined)[] | undefined;
  private readonly ownedMiddles = new Set<number>();
  private readonly ownedLeaves = new Set<number>();
  private size: number;

  constructor(private base: Tree<V>) {
    this.size = base.size;
  }

  get(key: string): V | undefined {
    return treeGet(this.root ? { size: this.size, root: this.root } : this.base, key);
  }

  has(key: string): boolean {
    return treeHas(this.root ? { size: this.size, root: this.root } : this.base, key);
  }

  /** Sets `key` to `value`; a write of the same value (===) changes nothing. */
  set(key: string, value: V): void {
    const h = hash(key);
    const leaf = this.leafFor(h, false);
    if (leaf && Object.hasOwn(leaf, key) && leaf[key] === value) return;
    const writable = this.leafFor(h, true) as Record<string, V>;
    if (!Object.hasOwn(writable, key)) this.size++;
    writable[key] = value;
  }

  delete(key: string): void {
    const h = hash(key);
    const leaf = this.leafFor(h, false);
    if (!leaf || !Object.hasOwn(leaf, key)) return;
    const writable = this.leafFor(h, true) as Record<string, V>;
    delete writable[key];
    this.size--;
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
      if (leaf) middle[id & 63] = isEmpty(leaf) ? undefined : Object.freeze(leaf);
    }
    for (const m of this.ownedMiddles) {
      const middle = root[m] as (Leaf<V> | undefined)[];
      root[m] = middle.every((x) => x === undefined) ? undefined : Object.freeze(middle);
    }
    const tree = this.size === 0 ? emptyTree<V>() : Object.freeze({ size: this.size, root: Object.freeze(root) });
    // Further edits start from the finished tree (its nodes are frozen now, so they are copied).
    this.base = tree;
    this.root = undefined;
    this.ownedMiddles.clear();
    this.ownedLeaves.clear();
    return tree;
  }

  private leafFor(h: number, write: boolean): Leaf<V> | undefined {
    const m = h & 63;
    const l = (h >>> 6) & 63;
    if (!write) return (this.root ?? this.base.root)[m]?.[l];
    // Spread, not slice(): V8's slice() of a frozen array takes a slow path (about 40x slower).
    if (!this.root) this.root = [...this.base.root];
    let middle = this.root[m];
    if (!this.ownedMiddles.has(m)) {
      middle = middle ? [...middle] : new Array(WIDTH).fill(undefined);
      this.root[m] = middle;
      this.ownedMiddles.add(m);
    }
    const id = (m << 6) | l;
    const mutableMiddle = middle as (Leaf<V> | undefined)[];
    if (!this.ownedLeaves.has(id)) {
      mutableMiddle[l] = copyLeaf(mutableMiddle[l]);
      this.ownedLeaves.add(id);
    }
    return mutableMiddle[l];
  }
}

/**
 * A writable copy of a leaf, without a prototype. Why: leaf keys are UIDs, each seen in one leaf
 * only, so a plain `{ ...leaf }` makes V8 build a new hidden class per key copied (about 1 us
 * each: 30 us per write at 100k objects). An object without a prototype is a hash table from the
 * start and copies in a few hundred ns.
 */
function copyLeaf<V>(leaf: Leaf<V> | undefined): Record<string, V> {
  const copy = Object.create(null) as Record<string, V>;
  if (leaf) for (const key in leaf) copy[key] = leaf[key] as V;
  return copy;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/**
 * Calls `onChange` for every key whose value differs (!==) between two versions of a tree:
 * `before` undefined for an addition, `after` undefined for a removal. Shared subtrees are
 * skipped by identity, so the cost follows the number of changes.
 */
export function diffTrees<V>(a: Tree<V>, b: Tree<V>,
  onChange: (key: string, before: V | undefined, after: V | undefined) => void): void {
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
        for (const key in la) {
          const after = lb && Object.hasOwn(lb, key) ? lb[key] : undefined;
          if (after !== la[key]) onChange(key, la[key], after);
        }
      }
      if (lb) {
        for (const key in lb) if (!la || !Object.hasOwn(la, key)) onChange(key, undefined, lb[key]);
      }
    }
  }
}
