import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../../testing/src/fake/index.js';
import { createClient } from '../client/create-client.js';
import type { KubernetesObject } from '../model/object.js';
import { isMetadataOnly } from '../transport/media-type.js';

const within = async (ms: number, check: () => boolean) => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('a metadata-only query', () => {
  let api: FakeApiServer;
  beforeAll(async () => {
    api = await startFakeApiServer();
  });
  afterAll(() => api.stop());

  it('holds ordinary objects of its kind with their metadata only, flagged, and follows their changes', async () => {
    const client = createClient({ kubeconfig: api.kubeconfigPath, namespace: 'default' });
    const created = await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'meta-1', labels: { app: 'meta' } },
      data: { big: 'x'.repeat(1000) },
    });
    const acc = client.watch({ name: 'cms', kind: 'cm', labelSelector: 'app=meta', metadataOnly: true });
    try {
      await acc.changed();
      const [cm] = acc.getSnapshot().cms;
      expect(cm).toEqual({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: created.metadata,
        metadataOnly: true,
      });
      expect(isMetadataOnly(cm as KubernetesObject)).toBe(true);
      await client.patch({ kind: 'ConfigMap', name: 'meta-1' }, { metadata: { labels: { step: '2' } } });
      await within(3000, () => acc.getSnapshot().cms[0]?.metadata.labels?.step === '2');
      expect(acc.getSnapshot().cms[0]?.data).toBeUndefined();
    } finally {
      acc.close();
      client.transport.close?.();
    }
  });

  it('and a query of whole objects of the same kind do not share a client: the second says why', async () => {
    const client = createClient({ kubeconfig: api.kubeconfigPath, namespace: 'default' });
    const acc = client.watch(
      { name: 'meta', kind: 'cm', metadataOnly: true },
      { name: 'whole', kind: 'configmaps', labelSelector: 'app=meta' },
    );
    try {
      await within(5000, () => acc.status().whole?.phase === 'error');
      expect(acc.status().whole?.error?.message).toMatch(
        /ConfigMap is already watched metadata only by this client, and its store holds one object per uid/,
      );
      expect(acc.status().meta?.phase).not.toBe('error');
    } finally {
      acc.close();
      client.transport.close?.();
    }
  });
});
