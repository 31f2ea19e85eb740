import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod } from './__fixtures__/store.js';
import { EMPTY_LIST, type ListInProgress, listTree, withPage } from './list-in-progress.js';
import type { Selectors } from './match.js';
import { keyHash, treeGet } from './tree.js';

const web: Selectors = { labelSelector: 'app=web', fieldSelector: '' };
const everything: Selectors = { labelSelector: '', fieldSelector: '' };

const pages = (watch: Selectors, ...lists: KubernetesObject[][]): ListInProgress =>
  lists.reduce((list, page) => withPage(list, page, watch), EMPTY_LIST);

describe('a list in progress', () => {
  it('reads each page on arrival: its uids, what the watch shows and whether the list is still in snapshot order', () => {
    const a = pod('a', { namespace: 'x', rv: '1', labels: { app: 'web' } });
    const b = pod('b', { namespace: 'x', rv: '2', labels: { app: 'db' } });
    const c = pod('c', { namespace: 'x', rv: '3', labels: { app: 'web' } });
    const noUid = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n', namespace: 'x' } };
    const list = pages(web, [a, noUid, b], [c]);
    expect(list.pages.map((p) => p.values)).toEqual([[a, b], [c]]);
    expect(list.pages.map((p) => p.keys)).toEqual([['uid-a', 'uid-b'], ['uid-c']]);
    expect(list.pages.map((p) => p.hashes)).toEqual([
      [keyHash('uid-a'), keyHash('uid-b')],
      [keyHash('uid-c')],
    ]);
    expect(list.size).toBe(3);
    expect(list.shown).toBe(2);
    expect(list.sorted).toBe(true);
    const { tree, distinct } = listTree(list);
    expect(distinct).toBe(true);
    expect(treeGet(tree, 'uid-b')).toBe(b);
    // A page that starts before the end of the one before it.
    expect(pages(everything, [a, c], [b]).sorted).toBe(false);
    expect(pages(everything, [b, a]).sorted).toBe(false);
  });

  it("is not in snapshot order when it comes in etcd's key order across namespaces that prefix each other", () => {
    // etcd sorts `a-b/p` before `a/p` ('-' < '/'); a snapshot sorts namespace `a` before `a-b`.
    const list = pages(
      everything,
      [pod('p', { namespace: 'a-b', rv: '1' }), pod('q', { namespace: 'a-b', rv: '2' })],
      [pod('p', { namespace: 'a', uid: 'uid-a-p', rv: '3' })],
    );
    expect(list.sorted).toBe(false);
  });

  it('keeps the last object of a uid that came twice, and says so', () => {
    const first = pod('a', { namespace: 'x', rv: '1' });
    const again = pod('a', { namespace: 'x', rv: '2' });
    const list = pages(everything, [first], [again]);
    expect(list.sorted).toBe(true);
    const { tree, distinct } = listTree(list);
    expect(distinct).toBe(false);
    expect(tree.size).toBe(1);
    expect(treeGet(tree, 'uid-a')).toBe(again);
  });
});
