import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../../testing/src/cluster/cluster.js';
import type { Client } from '../client/client.js';
import { createClient } from '../client/create-client.js';
import { InvalidInputError } from '../errors/invalid-input.js';
import { isInvalid, isNotFound } from '../errors/predicates.js';
import type { ConfigMap, Deployment, ReplicaSet } from '../model/kinds.js';
import type { KubernetesObject } from '../model/object.js';
import { cluster, useNamespace } from './__fixtures__/real-cluster.js';
import {
  childrenOf,
  controllerOf,
  hasOwnerReference,
  isOwnedBy,
  setOwnerReference,
  setOwnerReferenceWith,
} from './ownership.js';

const owner: KubernetesObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-web' },
};
const other: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'shop', uid: 'uid-cfg' },
};
const child = (name: string, refs?: KubernetesObject['metadata']): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', ...refs },
});

describe('owner references', () => {
  it('adds a controller reference to each object, without mutating them', () => {
    const a = Object.freeze(child('a'));
    const b = child('b');
    const [a2, b2] = setOwnerReference(owner, a, b);
    expect(a2?.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: 'uid-web',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(hasOwnerReference(owner, b2!)).toBe(true);
    expect(a.metadata?.ownerReferences).toBeUndefined();
    expect(b.metadata?.ownerReferences).toBeUndefined();
  });

  it('adds no duplicate: an object that already references the owner is returned as it is', () => {
    const [once] = setOwnerReference(owner, child('a'));
    const [twice] = setOwnerReference(owner, once!);
    expect(twice).toBe(once);
    expect(twice?.metadata?.ownerReferences).toHaveLength(1);
  });

  it('compares owners by UID, not by name', () => {
    const [a] = setOwnerReference(owner, child('a'));
    const recreated = { ...owner, metadata: { ...owner.metadata, uid: 'uid-web-2' } };
    expect(hasOwnerReference(recreated, a!)).toBe(false);
    expect(hasOwnerReference({ ...owner, metadata: { name: 'web' } }, a!)).toBe(false);
  });

  it('refuses a second controller, naming the current one and the way out', () => {
    const [a] = setOwnerReference(other, child('a'));
    expect(() => setOwnerReference(owner, a!)).toThrow(InvalidInputError);
    expect(() => setOwnerReference(owner, a!)).toThrow(
      /already controlled by ConfigMap cfg \(uid uid-cfg\).*controller: false/,
    );
    const [both] = setOwnerReferenceWith(owner, { controller: false }, a!);
    expect(both?.metadata?.ownerReferences?.map((r) => [r.uid, r.controller])).toEqual([
      ['uid-cfg', true],
      ['uid-web', false],
    ]);
    expect(controllerOf(both!)?.uid).toBe('uid-cfg');
  });

  it('refuses an owner that has no UID yet, and a namespaced owner in another namespace', () => {
    expect(() =>
      setOwnerReference({ ...owner, metadata: { name: 'web', namespace: 'shop' } }, child('a')),
    ).toThrow(/Deployment shop\/web has no metadata\.uid.*create or get it first/);
    expect(() =>
      setOwnerReference(owner, { ...child('a'), metadata: { name: 'a', namespace: 'elsewhere' } }),
    ).toThrow(
      /cannot own ConfigMap elsewhere\/a: a namespaced owner can only own objects in its own namespace/,
    );
  });

  it('finds the children of an owner across the fields of a snapshot, each once, in order', () => {
    const [c1, c2] = setOwnerReference(owner, child('c1', { uid: 'u1' }), child('c2', { uid: 'u2' }));
    const [c3] = setOwnerReferenceWith(owner, { controller: false }, child('c3', { uid: 'u3' }));
    const stranger = child('s', { uid: 'u4' });
    const snapshot = {
      configMaps: Object.freeze([c1!, c2!, stranger]),
      mine: Object.freeze([c2!, c3!]),
      unfrozen: [c3!],
    };
    expect(childrenOf(owner, snapshot).map((o) => o.metadata?.name)).toEqual(['c1', 'c2', 'c3']);
    expect(childrenOf(owner, snapshot, { controller: true }).map((o) => o.metadata?.name)).toEqual([
      'c1',
      'c2',
    ]);
    expect(childrenOf(other, snapshot)).toEqual([]);
    expect(childrenOf(owner, [stranger, c3!]).map((o) => o.metadata?.name)).toEqual(['c3']);
    expect([c1!, stranger].filter(isOwnedBy(owner))).toEqual([c1]);
  });

  it('indexes a frozen field once and reuses it for every owner', () => {
    const owners = Array.from({ length: 200 }, (_, i) => ({
      ...owner,
      metadata: { name: `o${i}`, namespace: 'shop', uid: `o${i}` },
    }));
    // Each item counts the reads of its owner references: a scan per owner would read each of
    // them 200 times (80k reads); an index built once reads each once.
    let reads = 0;
    const items = Object.freeze(
      owners
        .flatMap((o, i) =>
          setOwnerReference(o, child(`a${i}`, { uid: `a${i}` }), child(`b${i}`, { uid: `b${i}` })),
        )
        .map((item) => {
          const refs = item.metadata?.ownerReferences;
          const metadata = { ...item.metadata };
          Object.defineProperty(metadata, 'ownerReferences', {
            enumerable: true,
            get: () => {
              reads++;
              return refs;
            },
          });
          return { ...item, metadata };
        }),
    );
    const snapshot = { items };
    for (const o of owners) expect(childrenOf(o, snapshot)).toHaveLength(2);
    expect(reads).toBeLessThanOrEqual(items.length);
  });
});

const ctx = useNamespace('ownership');

describe.skipIf(!cluster)('owner references with a real API server', () => {
  it('are accepted by the server as set, and found again by UID', async () => {
    const parent = await ctx.client.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'parent' },
    });
    const [a, b] = setOwnerReference(
      parent,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'child-a' } } as ConfigMap,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'child-b' } },
    );
    const created = [await ctx.client.create(a!), await ctx.client.create(b!)];
    for (const c of created) {
      expect(hasOwnerReference(parent, c)).toBe(true);
      expect(controllerOf(c)).toEqual({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'parent',
        uid: parent.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      });
    }
    const snapshot = {
      configMaps: Object.freeze(await ctx.client.list('ConfigMap')),
      secrets: Object.freeze(await ctx.client.list('Secret')),
    };
    expect(childrenOf(parent, snapshot).map((o) => o.metadata?.name)).toEqual(['child-a', 'child-b']);
  });

  it('refuse a second controller exactly where the server does', async () => {
    const first = await ctx.client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'first' },
    });
    const second = await ctx.client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'second' },
    });
    const [owned] = setOwnerReference(first, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'contested' },
    });
    expect(() => setOwnerReference(second, owned!)).toThrow(/already controlled by ConfigMap first/);
    const [twoControllers] = setOwnerReferenceWith(second, { controller: false }, owned!);
    (twoControllers as KubernetesObject).metadata!.ownerReferences![1]!.controller = true;
    const refused = await ctx.client.create(twoControllers!).catch((e: unknown) => e);
    expect(isInvalid(refused)).toBe(true);
    const [shared] = setOwnerReferenceWith(second, { controller: false }, owned!);
    await expect(ctx.client.create(shared!)).resolves.toBeDefined();
  });
});

// The garbage collector runs in kube-controller-manager, which the shared server lacks.
describe.skipIf(!cluster)('owner references with the garbage collector', () => {
  let gcCluster: Cluster;
  let client: Client;

  beforeAll(async () => {
    gcCluster = await startCluster({ controllers: true });
    client = createClient({ kubeconfig: gcCluster.kubeconfigPath, namespace: 'default' });
  });
  afterAll(async () => {
    client?.close();
    await gcCluster?.stop();
  });

  it('deletes the children set with setOwnerReference when their owner is deleted', async () => {
    const parent = await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gc-parent' },
    });
    const children = setOwnerReference(
      parent,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gc-a' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gc-b' }, spec: { ports: [{ port: 80 }] } },
    );
    for (const c of children) await client.create(c);
    await client.delete(parent);
    const deadline = Date.now() + 45_000;
    const gone = async (kind: string, name: string) =>
      isNotFound(await client.get(kind, name).catch((e: unknown) => e));
    while (!((await gone('ConfigMap', 'gc-a')) && (await gone('Service', 'gc-b')))) {
      if (Date.now() > deadline)
        throw new Error('the garbage collector did not delete the children within 45 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('finds the ReplicaSet a Deployment controller made, by the reference the controller set', async () => {
    const deployment = await client.create<Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    });
    let replicaSets: readonly ReplicaSet[] = [];
    for (let i = 0; i < 150 && replicaSets.length === 0; i++) {
      replicaSets = Object.freeze(await client.list<ReplicaSet>('ReplicaSet'));
      if (!replicaSets.length) await new Promise((r) => setTimeout(r, 200));
    }
    const found = childrenOf(deployment, { replicaSets }, { controller: true });
    expect(found).toHaveLength(1);
    expect(hasOwnerReference(deployment, found[0]!)).toBe(true);
  });
});
