import type { Delta, KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { type DeltaSource, keysOfDeltas, objectKeys, ownerKeys, watchKeys } from './deltas.js';

const owner = (kind: string, name: string, controller = true, apiVersion = 'apps/v1') => ({
  apiVersion,
  kind,
  name,
  uid: `uid-${name}`,
  controller,
});

function delta(
  type: Delta['type'],
  query: string,
  name: string,
  namespace: string | undefined,
  ownerReferences: ReturnType<typeof owner>[] = [],
): Delta {
  const object: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, ownerReferences },
  };
  return { type, query, name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, object };
}

describe('keys from deltas', () => {
  it('maps a change to the key of the object itself', () => {
    expect(keysOfDeltas([delta('add', 'deployments', 'web', 'shop')], { deployments: objectKeys })).toEqual([
      'shop/web',
    ]);
    expect(keysOfDeltas([delta('update', 'nodes', 'node-1', undefined)], { nodes: objectKeys })).toEqual([
      'node-1',
    ]);
  });

  it('maps a change to its controller owner of the kind asked, in its namespace', () => {
    const routing = { replicasets: ownerKeys('Deployment') };
    const rs = delta('update', 'replicasets', 'web-abc', 'shop', [
      owner('Deployment', 'web'),
      owner('Deployment', 'other', false),
      owner('StatefulSet', 'db'),
    ]);
    expect(keysOfDeltas([rs], routing)).toEqual(['shop/web']);
    const all = { replicasets: ownerKeys('Deployment', { controllerOnly: false }) };
    expect(keysOfDeltas([rs], all)).toEqual(['shop/web', 'shop/other']);
  });

  it('filters owners by group and keys cluster-scoped owners by name', () => {
    const rs = delta('add', 'q', 'x', 'shop', [owner('Widget', 'w', true, 'example.com/v1')]);
    expect(keysOfDeltas([rs], { q: ownerKeys('Widget', { group: 'apps' }) })).toEqual([]);
    expect(
      keysOfDeltas([rs], { q: ownerKeys('Widget', { group: 'example.com', clusterScoped: true }) }),
    ).toEqual(['w']);
  });

  it('also reconciles the owner an object left, when its owner changed or it was deleted', () => {
    const map = ownerKeys('Deployment');
    const routing = { rs: map };
    expect(keysOfDeltas([delta('add', 'rs', 'r', 'ns', [owner('Deployment', 'a')])], routing)).toEqual([
      'ns/a',
    ]);
    expect(keysOfDeltas([delta('update', 'rs', 'r', 'ns', [owner('Deployment', 'b')])], routing)).toEqual([
      'ns/a',
      'ns/b',
    ]);
    expect(keysOfDeltas([delta('update', 'rs', 'r', 'ns', [])], routing)).toEqual(['ns/b']);
    expect(keysOfDeltas([delta('update', 'rs', 'r', 'ns', [])], routing)).toEqual([]);
    keysOfDeltas([delta('add', 'rs', 'r', 'ns', [owner('Deployment', 'c')])], routing);
    expect(keysOfDeltas([delta('delete', 'rs', 'r', 'ns', [owner('Deployment', 'c')])], routing)).toEqual([
      'ns/c',
    ]);
  });

  it('gives each key once, in the order first met, and ignores queries the routing does not name', () => {
    const routing = { deployments: objectKeys, replicasets: [objectKeys, ownerKeys('Deployment')] };
    const keys = keysOfDeltas(
      [
        delta('update', 'replicasets', 'web-1', 'shop', [owner('Deployment', 'web')]),
        delta('update', 'deployments', 'web', 'shop'),
        delta('update', 'services', 'web', 'shop'),
        delta('update', 'replicasets', 'web-2', 'shop', [owner('Deployment', 'web')]),
      ],
      routing,
    );
    expect(keys).toEqual(['shop/web-1', 'shop/web', 'shop/web-2']);
  });

  it('feeds a queue from every change signal of an accumulator until it closes', async () => {
    const turns: Delta[][] = [
      [delta('add', 'd', 'a', 'ns'), delta('add', 'd', 'b', 'ns')],
      [delta('update', 'd', 'b', 'ns')],
    ];
    const cursors = new Set<object>();
    const source: DeltaSource = {
      readDeltas(cursor, deltas) {
        cursors.add(cursor);
        deltas.length = 0;
        deltas.push(...(turns.shift() ?? []));
        return true;
      },
      async *[Symbol.asyncIterator]() {
        yield;
        yield;
      },
    };
    const added: string[] = [];
    const { done } = watchKeys(source, { add: (k) => added.push(k) }, { d: objectKeys });
    await done;
    expect(added).toEqual(['ns/a', 'ns/b', 'ns/b']);
    // One cursor for the feed: each turn reads from where the last one stopped.
    expect(cursors.size).toBe(1);
  });
});
