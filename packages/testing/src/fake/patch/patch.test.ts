import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchApplyError, JsonPatchDecodeError } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes nulls and replaces arrays', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });

  it('does not change its input', () => {
    const target = Object.freeze({ a: Object.freeze({ b: 1 }) });
    expect(applyMergePatch(target, { a: { c: 2 } })).toEqual({ a: { b: 1, c: 2 } });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: [1, 2, 3] }, 'x/y': { '~z': 1 } };

  it('adds, removes, replaces, moves, copies and tests, with escaped pointers and "-"', () => {
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/a/b/-', value: 4 },
        { op: 'add', path: '/a/b/0', value: 0 },
        { op: 'remove', path: '/a/b/1' },
        { op: 'replace', path: '/x~1y/~0z', value: 2 },
        { op: 'copy', from: '/a/b', path: '/c' },
        { op: 'move', from: '/c', path: '/d' },
        { op: 'test', path: '/d/0', value: 0 },
      ]),
    ).toEqual({ a: { b: [0, 2, 3, 4] }, 'x/y': { '~z': 2 }, d: [0, 2, 3, 4] });
    expect(doc.a.b).toEqual([1, 2, 3]);
  });

  it('refuses a failed test, a missing path and an index past the end', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/a/b/0', value: 9 }])).toThrow(
      JsonPatchApplyError,
    );
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(JsonPatchApplyError);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }])).toThrow(
      JsonPatchApplyError,
    );
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/a/b/9', value: 1 }])).toThrow(JsonPatchApplyError);
    expect(() => applyJsonPatch(doc, [{ op: 'jump', path: '/a' }])).toThrow(JsonPatchApplyError);
  });

  it('refuses a patch that is not an array as undecodable', () => {
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(JsonPatchDecodeError);
  });
});

describe('strategic merge patch', () => {
  const deploy = {
    metadata: { finalizers: ['a'] },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'main',
              image: 'x:1',
              env: [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
          ],
          tolerations: [{ key: 't' }],
        },
      },
    },
  };

  it('merges containers, env and ports by key, finalizers as a set, and replaces other lists', () => {
    const out = applyStrategicMergePatch(deploy, {
      metadata: { finalizers: ['b', 'a'] },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'main',
                env: [{ name: 'B', value: '2' }],
                ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
              },
              { name: 'side', image: 'y:1' },
            ],
            tolerations: [{ key: 'u' }],
          },
        },
      },
    });
    expect(out).toEqual({
      metadata: { finalizers: ['a', 'b'] },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'main',
                image: 'x:1',
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '2' },
                ],
                ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
              },
              { name: 'side', image: 'y:1' },
            ],
            tolerations: [{ key: 'u' }],
          },
        },
      },
    });
  });

  it('honours $patch delete and replace, $deleteFromPrimitiveList, and ignores $setElementOrder', () => {
    const out = applyStrategicMergePatch(deploy, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'main' }],
            containers: [
              { name: 'main', env: [{ name: 'A', $patch: 'delete' }], ports: [{ $patch: 'replace' }] },
            ],
          },
        },
      },
    });
    expect(out).toEqual({
      metadata: { finalizers: [] },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'main', image: 'x:1', env: [], ports: [] }],
            tolerations: [{ key: 't' }],
          },
        },
      },
    });
    expect(
      applyStrategicMergePatch({ spec: { a: { b: 1 } } }, { spec: { a: { $patch: 'replace', c: 2 } } }),
    ).toEqual({ spec: { a: { c: 2 } } });
    expect(
      applyStrategicMergePatch({ spec: { a: { b: 1 }, k: 1 } }, { spec: { a: { $patch: 'delete' } } }),
    ).toEqual({ spec: { k: 1 } });
  });
});
