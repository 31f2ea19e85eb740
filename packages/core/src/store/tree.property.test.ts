import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diffTrees,
  emptyTree,
  keyHash,
  type Tree,
  TreeEditor,
  treeForEach,
  treeGet,
  treeHas,
  treeMap,
  treeOfKeyed,
  treeValues,
} from './tree.js';

// Few distinct keys so that random operations often hit the same key and the same leaf; some
// many-key runs so that leaves and middles fill and empty.
const key = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((n) => `k${n}`),
  fc.uuid(),
  fc.constantFrom('', 'constructor', 'toString', 'hasOwnProperty', '0', '1', 'valueOf', '__proto__'),
);
type Op = { op: 'set'; key: string; value: number } | { op: 'delete'; key: string } | { op: 'commit' };
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 3 }) }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ op: 'commit' as const }) },
);

/** Everything a tree holds, as a Map, through its public readers. */
function contents<V>(t: Tree<V>): Map<string, V> {
  const out = new Map<string, V>();
  treeForEach(t, (v, k) => {
    expect(out.has(k)).toBe(false);
    out.set(k, v);
  });
  return out;
}

function expectSame<V>(t: Tree<V>, ref: Map<string, V>): void {
  expect(t.size).toBe(ref.size);
  expect(contents(t)).toEqual(ref);
  expect(treeValues(t)).toHaveLength(ref.size);
  for (const [k, v] of ref) {
    expect(treeHas(t, k)).toBe(true);
    expect(treeGet(t, k)).toBe(v);
  }
}

describe('the sharded tree', () => {
  it('agrees with a Map under random sets, deletes and commits, and diffTrees reports exactly the changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        // Values are boxed so that identity, not equality, is what the tree compares.
        const boxes = [0, 1, 2, 3].map((n) => ({ n }));
        let tree = emptyTree<{ n: number }>();
        let ref = new Map<string, { n: number }>();
        let editor = new TreeEditor(tree);
        let pending = new Map(ref);
        const commit = () => {
          const next = editor.finish();
          // Unchanged trees keep their identity; the old version is untouched.
          if (!editor.changed && next === tree) expect(next).toBe(tree);
          expectSame(tree, ref);
          expectSame(next, pending);
          // No empty node is kept: diffTrees and the tree's size rely on it.
          for (const middle of next.root) {
            if (!middle) continue;
            expect(middle.some((leaf) => leaf !== undefined)).toBe(true);
            for (const leaf of middle) if (leaf) expect(leaf.length).toBeGreaterThan(0);
          }
          const seen = new Map<string, [unknown, unknown]>();
          diffTrees(tree, next, (k, before, after) => {
            expect(seen.has(k)).toBe(false);
            seen.set(k, [before, after]);
          });
          const expected = new Map<string, [unknown, unknown]>();
          for (const k of new Set([...ref.keys(), ...pending.keys()])) {
            if (ref.get(k) !== pending.get(k)) expected.set(k, [ref.get(k), pending.get(k)]);
          }
          expect(seen).toEqual(expected);
          if (expected.size === 0 && pending.size === 0) expect(next).toBe(emptyTree());
          for (const [k, [before, after]] of seen) {
            expect(before).toBe(ref.get(k));
            expect(after).toBe(pending.get(k));
          }
          tree = next;
          ref = pending;
          editor = new TreeEditor(tree);
          pending = new Map(ref);
        };
        for (const o of ops) {
          if (o.op === 'set') {
            editor.set(o.key, boxes[o.value]!);
            pending.set(o.key, boxes[o.value]!);
          } else if (o.op === 'delete') {
            editor.delete(o.key);
            pending.delete(o.key);
          } else commit();
          // The editor reads its own writes.
          if (o.op !== 'commit') {
            expect(editor.get(o.key)).toBe(pending.get(o.key));
            expect(editor.has(o.key)).toBe(pending.has(o.key));
          }
        }
        commit();
      }),
      { numRuns: 300 },
    );
  });

  it('treeMap agrees with a Map, builds no empty node, and leaves its input alone', () => {
    const entries = fc.array(fc.tuple(key, fc.integer({ min: 0, max: 9 })), { maxLength: 120 });
    fc.assert(
      fc.property(entries, (b) => {
        const e = new TreeEditor(emptyTree<number>());
        for (const [k, v] of b) e.set(k, v);
        const source = e.finish();
        const sourceJson = JSON.stringify(source);
        // Odd values doubled, even ones left out.
        const mapped = treeMap(source, (v) => (v % 2 ? v * 2 : undefined));
        const mappedRef = new Map([...contents(source)].filter(([, v]) => v % 2).map(([k, v]) => [k, v * 2]));
        expectSame(mapped, mappedRef);
        if (mappedRef.size === 0) expect(mapped).toBe(emptyTree());
        for (const middle of mapped.root) {
          if (!middle) continue;
          expect(middle.some((leaf) => leaf !== undefined)).toBe(true);
          for (const leaf of middle) if (leaf) expect(leaf.length).toBeGreaterThan(0);
        }
        expect(JSON.stringify(source)).toBe(sourceJson);
      }),
      { numRuns: 300 },
    );
  });

  it('never changes a finished tree, whatever edits follow from it', () => {
    const e = new TreeEditor(emptyTree<number>());
    for (let i = 0; i < 5000; i++) e.set(`k${i}`, i);
    const t1 = e.finish();
    const before = JSON.stringify(t1);
    // The same editor goes on from t1, and another one edits t1 too.
    for (let i = 0; i < 5000; i += 3) e.set(`k${i}`, -i);
    for (let i = 0; i < 5000; i += 7) e.delete(`k${i}`);
    const other = new TreeEditor(t1);
    for (let i = 0; i < 5000; i += 5) other.delete(`k${i}`);
    other.set('new', 1);
    e.finish();
    other.finish();
    expect(JSON.stringify(t1)).toBe(before);
    expect(treeGet(t1, 'k3')).toBe(3);
    expect(treeHas(t1, 'new')).toBe(false);
  });

  it('keeps a finished tree itself frozen', () => {
    const e = new TreeEditor(emptyTree<number>());
    e.set('a', 1);
    expect(Object.isFrozen(e.finish())).toBe(true);
    expect(Object.isFrozen(emptyTree())).toBe(true);
  });

  it('shares untouched subtrees with the version it was edited from', () => {
    const e = new TreeEditor(emptyTree<number>());
    for (let i = 0; i < 5000; i++) e.set(`k${i}`, i);
    const t1 = e.finish();
    const e2 = new TreeEditor(t1);
    e2.set('k42', -1);
    const t2 = e2.finish();
    let shared = 0;
    let copied = 0;
    t1.root.forEach((m, i) => {
      if (m === t2.root[i]) shared++;
      else copied++;
    });
    expect(copied).toBe(1);
    expect(shared).toBe(63);
    let calls = 0;
    diffTrees(t1, t2, () => calls++);
    expect(calls).toBe(1);
  });

  it('can go on editing after finish()', () => {
    const e = new TreeEditor(emptyTree<number>());
    e.set('a', 1);
    const t1 = e.finish();
    e.set('b', 2);
    const t2 = e.finish();
    expect(contents(t1)).toEqual(new Map([['a', 1]]));
    expect(contents(t2)).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    expect(t2.size).toBe(2);
  });

  it('adopts a tree whole into an editor that holds nothing, and leaves it alone when edits follow', () => {
    const source = new TreeEditor(emptyTree<number>());
    for (let i = 0; i < 500; i++) source.set(`k${i}`, i);
    const list = source.finish();
    const e = new TreeEditor(emptyTree<number>());
    e.set('gone', 1);
    e.delete('gone');
    e.adopt(list);
    expect(e.changed).toBe(true);
    expect(e.size).toBe(500);
    expect(e.finish()).toBe(list);
    e.set('k1', 100);
    e.delete('k2');
    const edited = e.finish();
    expect(contents(list)).toEqual(new Map(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])));
    expect(treeGet(edited, 'k1')).toBe(100);
    expect(treeHas(edited, 'k2')).toBe(false);
    expect(edited.size).toBe(499);
    expect(() => e.adopt(list)).toThrow(/holds 499 keys, not none/);
  });

  it('builds from groups of keyed values what setting them one by one builds, the last value of a key winning', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.record({ key: fc.option(key, { nil: undefined }), n: fc.nat(3) }), { maxLength: 60 }),
          {
            maxLength: 6,
          },
        ),
        (groups) => {
          const built = treeOfKeyed(
            groups.map((group) => {
              const values = group.filter((v) => v.key !== undefined);
              const keys = values.map((v) => v.key!);
              return { values, keys, hashes: keys.map(keyHash) };
            }),
          );
          const ref = new Map<string, { key?: string; n: number }>();
          for (const group of groups) for (const v of group) if (v.key !== undefined) ref.set(v.key, v);
          expectSame(built, ref);
          // A tree the editor goes on from as from any other.
          const e = new TreeEditor(built);
          e.set('extra', { key: 'extra', n: 9 });
          expect(e.finish().size).toBe(ref.size + (ref.has('extra') ? 0 : 1));
        },
      ),
    );
  });
});
