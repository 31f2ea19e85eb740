/**
 * A persistent map from string keys to values, sharded in two levels of 64 by a hash of the key.
 *
 * Why not a plain object or an entity adapter: at 100k objects, copying a 100k-key object on every
 * watch event costs about 100 ms (bench/RESULTS.md, the entity adapter's row: immer copies the
 * `entities` record on every write). Here a write copies the root (64 slots),
 * one middle node (64 slots) and one leaf (about n/4096 entries), so one event costs the same at
 * 1k or 1M objects, and unchanged subtrees keep their identity, which makes `diffTrees` cost what
 * changed rather than what exists.
 *
 * Nodes are plain arrays of one element kind (V8's PACKED_ELEMENTS), never written once the editor
 * that made them has finished, and not frozen: a frozen array has another element kind, and
 * mixing frozen and unfrozen nodes made every read of the tree polymorphic (a lookup at 100k
 * objects cost 0.44 us with frozen nodes, 0.38 us without). Trees are internal state, typed
 * read-only; what users receive (objects, snapshot arrays) is frozen as the store's option says.
 *
 * A leaf is a flat array of hashes, keys and values (`[h0, k0, v0, h1, k1, v1, ...]`), searched
 * linearly. Why not an object keyed by UID: each UID is seen in one leaf only, so V8 gives such an
 * object a dictionary, and copying one of 25 entries costs about 2 us (three leaves are copied per
 * event); copying the array costs about 0.1 us. Why the hash beside each key: at 100k objects the
 * keys' strings are scattered in memory, and comparing one means a cache miss; a leaf of 25 cost
 * about 1 us a lookup that way. The stored hash bits are a small integer held in the array itself,
 * so a scan reads one array and compares a string only when the hash bits match.
 */
export interface Tree<V> {
  readonly size: number;
  readonly root: readonly (Middle<V> | undefined)[];
}
type Leaf<V> = readonly (number | string | V)[];
/** Entries are `[hash bits, key, value]` triples. */
const STRIDE = 3;
type Middle<V> = readonly (Leaf<V> | undefined)[];

const WIDTH = 64;

/** WIDTH empty slots, PACKED_ELEMENTS (`new Array(n)` would be holey); never written, only copied. */
const EMPTY_NODE: readonly undefined[] = (() => {
  const node: undefined[] = [];
  for (let i = 0; i < WIDTH; i++) node.push(undefined);
  return node;
})();

/**
 * A node of WIDTH empty slots, PACKED_ELEMENTS like every copy. A copy of one made once: in code
 * that runs a few times (a first list builds its trees once), 64 pushes were interpreted for each
 * node, where `slice()` is one builtin call.
 */
function emptyNode<T>(): (T | undefined)[] {
  return EMPTY_NODE.slice();
}

function treeOf<V>(size: number, root: readonly (Middle<V> | undefined)[], note?: object): Tree<V> {
  // Every tree has the three fields, so that reads of `root` stay monomorphic.
  return Object.freeze({ size, root, note });
}

/**
 * What the maker of a tree noted beside it when it finished it (`TreeEditor.finish(note)`): not
 * part of the tree's contents. A field of the tree object rather than a WeakMap entry: the
 * reducer notes each members tree it makes (`member-changes.ts`), and a WeakMap entry for a new
 * key cost about 1.7 us, a third of a whole watch event at 10k objects.
 */
export function treeNote(tree: Tree<unknown>): object | undefined {
  return (tree as { readonly note?: object }).note;
}

const EMPTY: Tree<never> = treeOf(0, emptyNode());

/** The empty tree. */
export function emptyTree<V>(): Tree<V> {
  return EMPTY as Tree<V>;
}

/**
 * The hash a tree files `key` under: FNV-1a over its UTF-16 code units. Exported for the groups of
 * {@link treeOfKeyed}, whose makers hash each key where it is at hand.
 */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// One action hashes the same UID string several times (the object, the watch, each query's
// members): the last one is kept. A string compare with the same string object is one pointer compare.
let lastKey = '';
let lastHash = keyHash('');

function hash(key: string): number {
  if (key !== lastKey) {
    lastHash = keyHash(key);
    lastKey = key;
  }
  return lastHash;
}

/** The bits of a hash kept in a leaf beside its key: those not used to pick the leaf (a small integer). */
function tag(h: number): number {
  return h >>> 12;
}

/** The index of `key`'s triple in a leaf, or -1. */
function indexIn<V>(leaf: Leaf<V>, key: string, t: number): number {
  for (let i = 0; i < leaf.length; i += STRIDE) if (leaf[i] === t && leaf[i + 1] === key) return i;
  return -1;
}

function leafOf<V>(root: readonly (Middle<V> | undefined)[], h: number): Leaf<V> | undefined {
  return root[h & 63]?.[(h >>> 6) & 63];
}

function lookup<V>(root: Tree<V>['root'], key: string): V | undefined {
  const h = hash(key);
  const leaf = leafOf(root, h);
  if (!leaf) return undefined;
  const i = indexIn(leaf, key, tag(h));
  return i < 0 ? undefined : (leaf[i + 2] as V);
}

function contains<V>(root: Tree<V>['root'], key: string): boolean {
  const h = hash(key);
  const leaf = leafOf(root, h);
  return leaf !== undefined && indexIn(leaf, key, tag(h)) >= 0;
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
  // Indexed loops: a walk at a first list or a relist runs interpreted, where a `for...of` costs an
  // iterator and a `next()` call per node.
  const root = tree.root;
  for (let m = 0; m < root.length; m++) {
    const middle = root[m];
    if (!middle) continue;
    for (let l = 0; l < middle.length; l++) {
      const leaf = middle[l];
      if (!leaf) continue;
      for (let i = 0; i < leaf.length; i += STRIDE)
        if (fn(leaf[i + 2] as V, leaf[i + 1] as string) === false) return;
    }
  }
}

/** Whether `fn` holds for every value; stops at the first for which it does not. */
export function treeEvery<V>(tree: Tree<V>, fn: (value: V) => boolean): boolean {
  let every = true;
  treeForEach(tree, (v) => {
    if (!fn(v)) every = false;
    return every;
  });
  return every;
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
 * A tree of the keys of `tree` whose `fn(value, key)` is not undefined, with that as their value.
 * Built node by node from `tree`'s own: no key is hashed or searched, so it costs a walk of the
 * tree (a list's objects, watch and members trees are made this way at bootstrap, issue 18).
 */
export function treeMap<V, W>(tree: Tree<V>, fn: (value: V, key: string) => W | undefined): Tree<W> {
  let size = 0;
  const root = emptyNode<Middle<W>>();
  for (let m = 0; m < WIDTH; m++) {
    const middle = tree.root[m];
    if (!middle) continue;
    let out: (Leaf<W> | undefined)[] | undefined;
    for (let l = 0; l < WIDTH; l++) {
      const leaf = middle[l];
      if (!leaf) continue;
      const mapped: (number | string | W)[] = [];
      for (let i = 0; i < leaf.length; i += STRIDE) {
        const w = fn(leaf[i + 2] as V, leaf[i + 1] as string);
        if (w !== undefined) mapped.push(leaf[i] as number, leaf[i + 1] as string, w);
      }
      // No empty nodes, as the editor keeps none.
      if (mapped.length === 0) continue;
      out ??= emptyNode<Leaf<W>>();
      // A copy of exact length: `mapped` grew by push, with spare room (see TreeEditor.grown).
      out[l] = mapped.slice();
      size += mapped.length / STRIDE;
    }
    if (out) root[m] = out;
  }
  return size === 0 ? emptyTree<W>() : treeOf(size, root);
}

/**
 * Values with their keys and the keys' {@link keyHash}es, one for one: a group of
 * {@link treeOfKeyed}.
 */
export interface KeyedValues<V> {
  readonly values: readonly V[];
  readonly keys: readonly string[];
  readonly hashes: readonly number[];
}

/**
 * A new tree of the values of `groups` under their keys (where a key comes twice, its last value),
 * built in one pass: each leaf is grown in place and copied once to its exact length, with no
 * editor's bookkeeping (a list's tree at `listCompleted`, issue 18). The keys come hashed, so the
 * pass reads neither the values nor the keys' characters: a list's pages are hashed as each
 * arrives (`list-in-progress.ts`).
 */
export function treeOfKeyed<V>(groups: readonly KeyedValues<V>[]): Tree<V> {
  const root = emptyNode<Middle<V>>();
  let size = 0;
  // Indexed loops: a first list runs this once, interpreted, where iterators cost (see `treeForEach`).
  for (let g = 0; g < groups.length; g++) {
    const { values, keys, hashes } = groups[g]!;
    for (let v = 0; v < values.length; v++) {
      const value = values[v]!;
      const key = keys[v]!;
      const h = hashes[v]!;
      let middle = root[h & 63] as (Leaf<V> | undefined)[] | undefined;
      if (!middle) {
        middle = emptyNode<Leaf<V>>();
        root[h & 63] = middle;
      }
      let leaf = middle[(h >>> 6) & 63] as (number | string | V)[] | undefined;
      if (!leaf) {
        leaf = [];
        middle[(h >>> 6) & 63] = leaf;
      }
      const t = tag(h);
      const i = indexIn(leaf, key, t);
      if (i >= 0) leaf[i + 2] = value;
      else {
        leaf.push(t, key, value);
        size++;
      }
    }
  }
  if (size === 0) return emptyTree<V>();
  // Exact lengths: a leaf grown by push keeps spare room (see TreeEditor.grown).
  for (let m = 0; m < WIDTH; m++) {
    const middle = root[m] as (Leaf<V> | undefined)[] | undefined;
    if (!middle) continue;
    for (let l = 0; l < WIDTH; l++) {
      const leaf = middle[l];
      if (leaf) middle[l] = leaf.slice();
    }
  }
  return treeOf(size, root);
}

/**
 * Edits a tree as a batch: each node touched is copied once per batch, then written in place,
 * so a batch of k writes costs O(k) whatever the tree's size. `finish()` returns the new tree;
 * the input tree is never changed.
 */
export class TreeEditor<V> {
  private root: (Middle<V> | undefined)[] | undefined;
  /**
   * The nodes copied in this batch, which it may write in place: middle node `m` as `m`, leaf `l`
   * of middle `m` as `WIDTH + (m * WIDTH + l)`. Made on the first write.
   */
  private owned: Set<number> | undefined;
  /**
   * Leaves this batch added keys to, trimmed by `finish()`. Why: an array grown by `push` keeps
   * spare room (V8 grows it by half plus 16 slots), and at 10k objects a leaf holds 2 or 3 keys, so
   * the spare room of the three trees each object is in (objects, its watch, its queries' members)
   * cost more memory than the entries themselves.
   */
  private grown: Set<number> | undefined;

  /** Whether `adopt` replaced the tree since the last `finish()`. */
  private adopted = false;

  private noteGrown(leafIndex: number): void {
    if (!this.grown) this.grown = new Set();
    this.grown.add(leafIndex);
  }
  private count: number;

  constructor(private base: Tree<V>) {
    this.count = base.size;
  }

  /** The number of keys, as edited so far. */
  get size(): number {
    return this.count;
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
    const i = leaf ? indexIn(leaf, key, tag(h)) : -1;
    if (i >= 0 && leaf![i + 2] === value) return;
    const writable = this.writableLeaf(h);
    if (i >= 0) writable[i + 2] = value;
    else {
      writable.push(tag(h), key, value);
      this.count++;
      this.noteGrown(h & 0xfff);
    }
  }

  delete(key: string): void {
    const h = hash(key);
    const leaf = leafOf(this.root ?? this.base.root, h);
    const i = leaf ? indexIn(leaf, key, tag(h)) : -1;
    if (i < 0) return;
    const writable = this.writableLeaf(h);
    // Order within a leaf means nothing: the last triple fills the hole.
    const last = writable.length - STRIDE;
    if (i !== last) {
      writable[i] = writable[last]!;
      writable[i + 1] = writable[last + 1]!;
      writable[i + 2] = writable[last + 2]!;
    }
    writable.length = last;
    this.count--;
    // No empty nodes: `diffTrees` and the sizes of snapshots rely on none being kept.
    if (last === 0) this.dropLeaf(h);
  }

  /** Removes the (owned, empty) leaf of hash `h`, and its middle node if that leaves it empty. */
  private dropLeaf(h: number): void {
    const root = this.root!;
    const middle = root[h & 63] as (Leaf<V> | undefined)[];
    middle[(h >>> 6) & 63] = undefined;
    if (middle.every((x) => x === undefined)) root[h & 63] = undefined;
  }

  /**
   * Becomes `tree`, sharing its nodes, when this tree holds nothing (else throws): a kind's first
   * list is its kind's objects tree, with no node copied (issue 18).
   */
  adopt(tree: Tree<V>): void {
    if (this.count !== 0) throw new Error(`TreeEditor.adopt: the tree holds ${this.count} keys, not none`);
    this.base = tree;
    this.count = tree.size;
    this.root = undefined;
    this.owned = undefined;
    this.grown = undefined;
    this.adopted = true;
  }

  /** Whether anything was written. */
  get changed(): boolean {
    return this.root !== undefined || this.adopted;
  }

  /** The edited tree, noting `note` beside it if it is a new one (see {@link treeNote}). */
  finish(note?: object): Tree<V> {
    this.adopted = false;
    if (!this.root) return this.base;
    if (this.grown) {
      // Leaves owned by this batch: written in place, and a copy of exact length leaves no spare room.
      for (const h of this.grown) {
        const middle = this.root[h & 63] as (Leaf<V> | undefined)[] | undefined;
        const leaf = middle?.[(h >>> 6) & 63];
        if (leaf) middle![(h >>> 6) & 63] = leaf.slice();
      }
      this.grown = undefined;
    }
    const tree = this.count === 0 ? emptyTree<V>() : treeOf(this.count, this.root, note);
    // Further edits start from the finished tree, copying again what they touch.
    this.base = tree;
    this.root = undefined;
    this.owned = undefined;
    return tree;
  }

  /** Middle node `m`, copied once per batch (with the root) to be written in place. */
  private writableMiddle(m: number): (Leaf<V> | undefined)[] {
    if (!this.root) {
      this.root = [...this.base.root];
      this.owned = new Set();
    }
    let middle = this.root[m] as (Leaf<V> | undefined)[] | undefined;
    if (!middle || !this.owned!.has(m)) {
      middle = middle ? [...middle] : emptyNode<Leaf<V>>();
      this.root[m] = middle;
      this.owned!.add(m);
    }
    return middle;
  }

  /** The leaf of hash `h`, copied once per batch (with the nodes above it) to be written in place. */
  private writableLeaf(h: number): (number | string | V)[] {
    const m = h & 63;
    const l = (h >>> 6) & 63;
    const leafId = WIDTH + ((m << 6) | l);
    const middle = this.writableMiddle(m);
    const owned = this.owned!;
    let leaf = middle[l];
    if (!leaf || !owned.has(leafId)) {
      leaf = leaf ? [...leaf] : [];
      middle[l] = leaf;
      owned.add(leafId);
    }
    return leaf as (number | string | V)[];
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
        for (let i = 0; i < la.length; i += STRIDE) {
          const key = la[i + 1] as string;
          const j = lb ? indexIn(lb, key, la[i] as number) : -1;
          const after = j < 0 ? undefined : (lb![j + 2] as V);
          if (after !== la[i + 2]) onChange(key, la[i + 2] as V, after);
        }
      }
      if (lb) {
        for (let j = 0; j < lb.length; j += STRIDE) {
          const key = lb[j + 1] as string;
          if (!la || indexIn(la, key, lb[j] as number) < 0) onChange(key, undefined, lb[j + 2] as V);
        }
      }
    }
  }
}
