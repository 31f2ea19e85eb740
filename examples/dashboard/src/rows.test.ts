import type { KubernetesObject } from '@kates/core/browser';
import { describe, expect, it } from 'vitest';
import { rowsOf } from './rows.js';

const pod = (name: string, namespace = 'a', rv = '1'): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, uid: `uid-${namespace}-${name}`, resourceVersion: rv },
});
const all = { namespace: '', text: '' };

describe('rowsOf', () => {
  it('gives the same rows, not a copy, when a change moved no row', () => {
    const before = rowsOf([pod('x'), pod('y')], all);
    const after = rowsOf([pod('x', 'a', '2'), pod('y')], all);
    expect(after).toBe(before);
  });

  it('sees an object added, removed or filtered out', () => {
    const two = rowsOf([pod('x'), pod('y')], all);
    expect(rowsOf([pod('x'), pod('w'), pod('y')], all).uids).toEqual(['uid-a-x', 'uid-a-w', 'uid-a-y']);
    expect(rowsOf([pod('x')], all)).toEqual({ uids: ['uid-a-x'], positions: [0] });
    expect(rowsOf([pod('x'), pod('y', 'b')], { namespace: 'b', text: '' })).toEqual({
      uids: ['uid-b-y'],
      positions: [1],
    });
    expect(rowsOf([pod('x'), pod('y')], all)).toEqual(two);
  });

  it('reads no unchanged object to find that a modification moved no row', () => {
    let reads = 0;
    const counted = (name: string): KubernetesObject => {
      const uid = `uid-${name}`;
      return {
        kind: 'Pod',
        metadata: {
          name,
          get uid() {
            reads++;
            return uid;
          },
        },
      };
    };
    const items = Array.from({ length: 100 }, (_, i) => counted(`p${i}`));
    const before = rowsOf(items, all);
    const modified = [...items];
    modified[40] = counted('p40');
    reads = 0;
    expect(rowsOf(modified, all)).toBe(before);
    expect(reads).toBeLessThanOrEqual(2);
  });

  it('numbers unfiltered rows by their positions in the items', () => {
    expect(rowsOf([pod('q'), pod('r'), pod('s')], all)).toEqual({
      uids: ['uid-a-q', 'uid-a-r', 'uid-a-s'],
      positions: [0, 1, 2],
    });
  });

  it('filters by name, ignoring case', () => {
    expect(rowsOf([pod('Web-1'), pod('db-1')], { namespace: '', text: 'WEB' }).uids).toEqual(['uid-a-Web-1']);
  });
});
