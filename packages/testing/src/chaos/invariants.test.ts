import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { compareWithList } from './invariants.js';

const cm = (name: string, uid: string, resourceVersion: string, namespace = 'a'): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, uid, resourceVersion },
});
const where = { accumulator: 'inventory', query: 'configmaps', kind: 'cm' };

describe('compareWithList', () => {
  it('finds no divergence when the same uids are held at the same resourceVersions', () => {
    expect(
      compareWithList(
        [cm('x', '1', '10'), cm('y', '2', '11')],
        [cm('y', '2', '11'), cm('x', '1', '10')],
        where,
      ),
    ).toBeUndefined();
  });

  it('names missing objects, ghosts and stale versions', () => {
    const d = compareWithList(
      [cm('ghost', 'g', '5'), cm('old', 'o', '7')],
      [cm('old', 'o', '9'), cm('new', 'n', '8', 'b')],
      where,
    );
    expect(d).toEqual({
      ...where,
      missing: ['b/new'],
      ghosts: ['a/ghost'],
      stale: ['a/old (snapshot 7, list 9)'],
    });
  });

  it('tells a delete and recreate under the same name apart by uid', () => {
    const d = compareWithList([cm('x', 'old-uid', '5')], [cm('x', 'new-uid', '9')], where);
    expect(d?.missing).toEqual(['a/x']);
    expect(d?.ghosts).toEqual(['a/x']);
  });

  it('reports names only, never the data of a Secret', () => {
    const secret = { ...cm('s', 'u', '3'), kind: 'Secret', data: { token: 'c2VjcmV0' } } as KubernetesObject;
    const d = compareWithList([secret], [], { ...where, kind: 'secret' });
    expect(JSON.stringify(d)).not.toContain('c2VjcmV0');
    expect(d?.ghosts).toEqual(['a/s']);
  });
});
