import fc from 'fast-check';
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
    expect(() => keepFields(['metadata..x'])).toThrow(/not a dotted path/);
  });

  const owned = {
    ...pod,
    metadata: {
      ...pod.metadata,
      namespace: 'ns',
      generateName: 'p-',
      creationTimestamp: '2026-01-01T00:00:00Z',
      deletionTimestamp: '2026-01-02T00:00:00Z',
      annotations: { a: 'b' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'o' }],
    },
  } as KubernetesObject;

  it('keeps of metadata the fields named and what every client needs of an object, when paths name fields of it', () => {
    expect(keepFields(['status.phase', 'metadata.creationTimestamp'])(owned)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '7',
        labels: { app: 'a' },
        creationTimestamp: '2026-01-01T00:00:00Z',
        deletionTimestamp: '2026-01-02T00:00:00Z',
      },
      status: { phase: 'Running' },
    });
    expect(keepFields(['metadata.ownerReferences.name', 'metadata.labels.other'])(owned).metadata).toEqual({
      name: 'p',
      namespace: 'ns',
      uid: 'u',
      resourceVersion: '7',
      labels: { app: 'a' },
      deletionTimestamp: '2026-01-02T00:00:00Z',
      ownerReferences: [{ name: 'rs' }],
    });
  });

  it('keeps metadata whole, without managedFields, when paths name no field of it or name it whole', () => {
    const { managedFields: _, ...rest } = owned.metadata ?? {};
    expect(keepFields(['status.phase'])(owned).metadata).toEqual(rest);
    expect(keepFields(['metadata', 'metadata.uid'])(owned).metadata).toEqual(rest);
  });

  it('gives back an object already in its form as it is, not a copy', () => {
    const project = keepFields(['spec.nodeName', 'spec.containers.name', 'metadata.creationTimestamp']);
    const once = project(owned);
    expect(once).not.toBe(owned);
    const sent = JSON.parse(JSON.stringify(once));
    expect(project(sent)).toBe(sent);
    const whole = keepFields(['status']);
    const kept = whole(pod);
    expect(whole(kept)).toBe(kept);
    // One field more, anywhere, and it is a copy without it.
    for (const more of [
      { ...sent, extra: 1 },
      { ...sent, metadata: { ...sent.metadata, annotations: {} } },
      { ...sent, spec: { ...sent.spec, volumes: [] } },
      { ...sent, spec: { ...sent.spec, containers: [{ name: 'a', image: 'b' }] } },
      { ...sent, spec: 'x' },
      { ...kept, metadata: { ...kept.metadata, managedFields: [] } },
    ]) {
      expect(project(more)).not.toBe(more);
      expect(project(more)).toEqual(project(structuredClone(more)));
    }
  });
});

describe('keepFields, for any object', () => {
  // Few keys, at every depth, so that random objects are often in a projection's form already,
  // and often not quite.
  const key = fc.constantFrom(
    'apiVersion',
    'kind',
    'metadata',
    'managedFields',
    'name',
    'uid',
    'labels',
    'annotations',
    'spec',
    'status',
    'phase',
    'nodeName',
    'containers',
    'ready',
    'type',
    'x',
  );
  const value = fc.letrec((tie) => ({
    any: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, 0, 'a'),
      tie('object'),
      fc.array(tie('any'), { maxLength: 3 }),
    ),
    object: fc.dictionary(key, tie('any'), { maxKeys: 5 }),
  }));
  const paths = fc.subarray([
    'spec.nodeName',
    'spec.containers.name',
    'spec.containers.ready',
    'status',
    'status.phase',
    'type',
    'metadata.name',
    'metadata.annotations',
    'metadata.x.type',
    'metadata',
    'x.spec.x',
  ]);

  it('gives an object equal to the copy it makes of one with a field more, and gives back its own result as the proxy sends it', () => {
    fc.assert(
      fc.property(paths, fc.dictionary(key, value.any, { maxKeys: 6 }), (named, obj) => {
        const project = keepFields(named);
        const object = obj as KubernetesObject;
        // A field no projection keeps: the object is copied, field by field.
        const copied = project({ ...object, zzz: 1 } as KubernetesObject);
        expect(project(object)).toEqual(copied);
        // As JSON carries it. A null where a path goes deeper is projected to nothing, and
        // metadata that is no object is no Kubernetes object's: neither is given back as it came.
        const text = JSON.stringify(copied);
        const sent = JSON.parse(text);
        if (!text.includes('null') && typeof sent.metadata === 'object' && !Array.isArray(sent.metadata)) {
          expect(project(sent)).toBe(sent);
        }
      }),
      { numRuns: 3000 },
    );
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
