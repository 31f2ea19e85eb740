import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod } from '../store/__fixtures__/store.js';
import { objectCount } from '../store/stored-object.js';
import { TestHost } from './__fixtures__/host.js';
import { type Accumulator, createAccumulator } from './accumulator.js';

describe('queries of several accumulators', () => {
  it('share one watch and the very same objects when they ask for the same thing', async () => {
    const host = new TestHost();
    const one: Accumulator = createAccumulator(host, [
      { name: 'pods', kind: 'pods', labelSelector: 'app=web' },
    ]);
    const two: Accumulator = createAccumulator(host, [
      { name: 'web', kind: 'po', labelSelector: { matchLabels: { app: 'web' } } },
      { name: 'all', kind: 'Pod' },
    ]);
    await host.settled();
    const key = host.keyOf(one, 'pods');
    expect(host.keyOf(two, 'web')).toBe(key);
    expect(host.users.get(key)).toBe(2);
    host.list(one, 'pods', '10', [pod('a', { rv: '10', labels: { app: 'web' } })]);
    host.list(two, 'all', '10', [pod('a', { rv: '10', labels: { app: 'web' } }), pod('b', { rv: '9' })]);
    const s1: { pods?: readonly KubernetesObject[] } = {};
    const s2: { web?: readonly KubernetesObject[]; all?: readonly KubernetesObject[] } = {};
    one.update(s1);
    two.update(s2);
    expect(s1.pods?.[0]).toBe(s2.web?.[0]);
    expect(s2.all?.[0]).toBe(s1.pods?.[0]);
    expect(objectCount(host.store.getState().kates)).toBe(2);
    // One leaves: the watch stays for the other.
    one.close();
    expect(host.users.get(key)).toBe(1);
    expect(host.store.getState().kates.reflectors[key]).toBeDefined();
    two.update(s2);
    expect(s2.web).toHaveLength(1);
    two.close();
    expect(objectCount(host.store.getState().kates)).toBe(0);
  });

  it('show a cluster-scoped kind whatever namespace the query names', async () => {
    const host = new TestHost();
    const acc: Accumulator = createAccumulator(host, [
      { name: 'nodes', kind: 'nodes', namespace: 'default' },
    ]);
    await host.settled();
    host.list(acc, 'nodes', '3', [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n1', resourceVersion: '3' } },
    ]);
    const snap: { nodes?: readonly KubernetesObject[] } = {};
    acc.update(snap);
    expect(snap.nodes).toHaveLength(1);
    acc.close();
  });

  it('refuse two queries of one name, and a malformed selector, naming the query', () => {
    const host = new TestHost();
    expect(() =>
      createAccumulator(host, [
        { name: 'x', kind: 'pods' },
        { name: 'x', kind: 'svc' },
      ]),
    ).toThrow('two queries are named "x"');
    expect(() => createAccumulator(host, [{ name: 'bad', kind: 'pods', labelSelector: 'app in (' }])).toThrow(
      /^query "bad": /,
    );
    expect(host.store.getState().kates.queries).toEqual({});
  });
});
