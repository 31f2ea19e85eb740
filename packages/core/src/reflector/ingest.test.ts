import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { dropManagedFields } from './ingest.js';

const pod = (): KubernetesObject =>
  JSON.parse(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        uid: 'u1',
        resourceVersion: '7',
        labels: { app: 'web' },
        managedFields: [{ manager: 'kubelet', operation: 'Update' }],
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web', uid: 'r1' }],
      },
      spec: { nodeName: 'node-1' },
    }),
  );

describe('dropManagedFields', () => {
  it('drops managedFields and keeps the other metadata keys in their order', () => {
    const out = dropManagedFields(pod());
    expect(Object.keys(out.metadata ?? {})).toEqual([
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'labels',
      'ownerReferences',
    ]);
    expect(out.metadata?.labels).toEqual({ app: 'web' });
    expect('managedFields' in (out.metadata ?? {})).toBe(false);
  });

  it('rebuilds metadata rather than deleting the key, and keeps the rest of the object', () => {
    const obj = pod();
    const before = obj.metadata;
    const spec = (obj as { spec?: unknown }).spec;
    const out = dropManagedFields(obj);
    expect(out.metadata).not.toBe(before);
    expect((out as { spec?: unknown }).spec).toBe(spec);
    // The metadata it read is not changed: a caller holding it still sees its managedFields.
    expect(before?.managedFields).toHaveLength(1);
  });

  it('leaves an object without managedFields as it is', () => {
    const obj = dropManagedFields(pod());
    const metadata = obj.metadata;
    expect(dropManagedFields(obj).metadata).toBe(metadata);
    const bare: KubernetesObject = { apiVersion: 'v1', kind: 'Pod' };
    expect(dropManagedFields(bare)).toEqual({ apiVersion: 'v1', kind: 'Pod' });
  });
});
