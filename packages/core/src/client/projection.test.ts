import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../../testing/src/fake/index.js';
import type { KubernetesObject } from '../model/object.js';
import { dropManagedFields } from '../reflector/ingest.js';
import { createClient } from './create-client.js';
import { keepFields } from './projection.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    uid: 'u',
    resourceVersion: '7',
    labels: { app: 'a' },
    managedFields: [{ manager: 'kubelet', operation: 'Update' }],
  },
  spec: {
    nodeName: 'node-1',
    containers: [
      { name: 'main', image: 'busybox', env: [{ name: 'A', value: '1' }] },
      { name: 'side', image: 'envoy' },
    ],
  },
  status: {
    phase: 'Running',
    containerStatuses: [{ name: 'main', ready: true, restartCount: 2, imageID: 'x' }],
  },
} as KubernetesObject;

const within = async (ms: number, check: () => boolean) => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('keepFields', () => {
  it('keeps apiVersion, kind, metadata without managedFields and the named paths, through arrays', () => {
    const project = keepFields(['spec.nodeName', 'spec.containers.name', 'status.containerStatuses.ready']);
    expect(project(pod)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', uid: 'u', resourceVersion: '7', labels: { app: 'a' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'main' }, { name: 'side' }] },
      status: { containerStatuses: [{ ready: true }] },
    });
  });

  it('leaves the object it reads unchanged, and gives the same answer when applied again', () => {
    const project = keepFields(['status.phase']);
    const before = structuredClone(pod);
    const once = project(pod);
    expect(pod).toEqual(before);
    expect(project(once)).toEqual(once);
  });

  it('keeps a whole subtree for a path that ends on an object, and omits paths the object lacks', () => {
    expect(keepFields(['status', 'data.missing'])(pod)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', uid: 'u', resourceVersion: '7', labels: { app: 'a' } },
      status: pod.status,
    });
  });

  it('refuses a path with an empty segment', () => {
    expect(() => keepFields(['spec..x'])).toThrow(/not a dotted path/);
  });
});

describe('a client that projects its objects', () => {
  let api: FakeApiServer;
  beforeAll(async () => {
    api = await startFakeApiServer();
  });
  afterAll(() => api.stop());

  it('holds its own write results in the same projection as what its watches deliver', async () => {
    const client = createClient({
      kubeconfig: api.kubeconfigPath,
      namespace: 'default',
      reflector: { transform: keepFields(['data.shown']) },
    });
    const acc = client.watch({ name: 'cms', kind: 'cm', labelSelector: 'projection=write' });
    try {
      await acc.changed();
      const created = await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'projected-1', labels: { projection: 'write' } },
        data: { shown: 'yes', hidden: 'no' },
      });
      // The caller's result is whole; the store's copy is projected, before the watch delivers it.
      expect(created.data).toEqual({ shown: 'yes', hidden: 'no' });
      expect(created.metadata?.managedFields).toBeDefined();
      const fromWrite = acc.getSnapshot().cms?.[0];
      expect(fromWrite).toEqual(keepFields(['data.shown'])(created));
      // A change by someone else arrives by the watch alone: the same form.
      const other = createClient({ kubeconfig: api.kubeconfigPath, namespace: 'default' });
      await other.patch({ kind: 'ConfigMap', name: 'projected-1' }, { data: { shown: 'again' } });
      other.transport.close?.();
      await within(3000, () => acc.getSnapshot().cms?.[0]?.data?.shown === 'again');
      const fromWatch = acc.getSnapshot().cms?.[0] as KubernetesObject;
      expect(Object.keys(fromWatch).sort()).toEqual(Object.keys(fromWrite as object).sort());
      expect(fromWatch.data).toEqual({ shown: 'again' });
      expect(fromWatch.metadata?.managedFields).toBeUndefined();
    } finally {
      acc.close();
      client.transport.close?.();
    }
  });

  it('drops managedFields of its write results as dropManagedFields drops them from watched objects', async () => {
    const client = createClient({
      kubeconfig: api.kubeconfigPath,
      namespace: 'default',
      reflector: { transform: dropManagedFields },
    });
    const acc = client.watch({ name: 'cms', kind: 'cm', labelSelector: 'projection=drop' });
    try {
      await acc.changed();
      const created = await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'projected-2', labels: { projection: 'drop' } },
        data: { a: '1' },
      });
      expect(created.metadata?.managedFields).toBeDefined();
      const held = acc.getSnapshot().cms?.[0];
      expect(held?.metadata?.managedFields).toBeUndefined();
      expect(held?.data).toEqual({ a: '1' });
    } finally {
      acc.close();
      client.transport.close?.();
    }
  });

  it('with dropManagedFields, holds metadata-only objects without managedFields, from the watch and from its own writes', async () => {
    const client = createClient({
      kubeconfig: api.kubeconfigPath,
      namespace: 'default',
      reflector: { transform: dropManagedFields },
    });
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'meta-mf-1', labels: { projection: 'meta' } },
    });
    const acc = client.watch({
      name: 'cms',
      kind: 'cm',
      labelSelector: 'projection=meta',
      metadataOnly: true,
    });
    try {
      await acc.changed();
      expect(acc.getSnapshot().cms?.[0]?.metadata.managedFields).toBeUndefined();
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'meta-mf-2', labels: { projection: 'meta' } },
      });
      const mine = acc.getSnapshot().cms?.find((c) => c.metadata.name === 'meta-mf-2');
      expect(mine?.metadataOnly).toBe(true);
      expect(mine?.metadata.managedFields).toBeUndefined();
    } finally {
      acc.close();
      client.transport.close?.();
    }
  });
});
