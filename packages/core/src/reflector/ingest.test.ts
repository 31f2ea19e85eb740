import { describe, expect, it } from 'vitest';
import { podsType } from '../accumulator/__fixtures__/host.js';
import type { KubernetesObject } from '../model/object.js';
import { dropManagedFields, parseWatchLine } from './ingest.js';

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

describe('parseWatchLine with object texts', () => {
  const rt = podsType;
  const text = JSON.stringify(pod());

  it('maps each watched object to its text in the line, and nothing it changed', () => {
    const texts = new WeakMap<object, string>();
    for (const type of ['ADDED', 'MODIFIED', 'DELETED']) {
      const parsed = parseWatchLine(`{"type":"${type}","object":${text}}`, rt, undefined, texts);
      if (parsed.kind !== 'event') throw new Error(`not an event: ${parsed.kind}`);
      expect(texts.get(parsed.event.object)).toBe(text);
      expect(JSON.parse(texts.get(parsed.event.object)!)).toEqual(parsed.event.object);
    }
    // Changed by a transform, stamped with its kind, or in a line of another shape: no text.
    const shapes = [
      [`{"type":"ADDED","object":${text}}`, dropManagedFields],
      [`{"type":"ADDED","object":${JSON.stringify({ metadata: { uid: 'u2' } })}}`, undefined],
      [`{"type": "ADDED", "object": ${text}}`, undefined],
      [`{"object":${text},"type":"ADDED"}`, undefined],
      [`{"type":"ADDED","object":${text},"extra":{"a":1}}`, undefined],
    ] as const;
    for (const [line, transform] of shapes) {
      const parsed = parseWatchLine(line, rt, transform, texts);
      if (parsed.kind !== 'event') throw new Error(`not an event: ${line}`);
      expect(texts.has(parsed.event.object), line).toBe(false);
    }
  });
});
