import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from './cluster.js';

// This suite starts a cluster of its own: it compacts etcd and restarts kube-apiserver, which
// would disturb the other test files sharing the global one.
describe('the real test cluster', () => {
  let cluster: Cluster;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    cluster = await startCluster();
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  type Seen = { type: string; name: string; rv: string; data?: Record<string, string> };
  function watchConfigMaps(resourceVersion: string | undefined, onEvent: (e: Seen) => void) {
    return new Promise<{ abort(): void; done: Promise<Error | null> }>((resolve) => {
      let finish: (e: Error | null) => void = () => {};
      const done = new Promise<Error | null>((r) => {
        finish = r;
      });
      new Watch(kc)
        .watch(
          '/api/v1/namespaces/default/configmaps',
          resourceVersion ? { resourceVersion } : {},
          (type, obj) =>
            onEvent({ type, name: obj?.metadata?.name, rv: obj?.metadata?.resourceVersion, data: obj?.data }),
          (err) => finish(err ?? null),
        )
        .then((controller) => resolve({ abort: () => controller.abort(), done }));
    });
  }

  it('lists namespaces through @kubernetes/client-node', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
  });

  it('creates, reads and deletes a ConfigMap', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'smoke' }, data: { a: '1' } },
    });
    const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'smoke' });
    expect(read.data).toEqual({ a: '1' });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'smoke' });
    await expect(core.readNamespacedConfigMap({ namespace: 'default', name: 'smoke' })).rejects.toMatchObject(
      { code: 404 },
    );
  });

  it('delivers ADDED, MODIFIED and DELETED to a watch on ConfigMaps', async () => {
    const seen: Seen[] = [];
    const w = await watchConfigMaps(undefined, (e) => seen.push(e));
    const cm = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'watched' } },
    });
    await core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'watched',
      body: { ...cm, data: { b: '2' } },
    });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'watched' });
    await expect
      .poll(() => seen.filter((e) => e.name === 'watched').map((e) => e.type), { timeout: 10_000 })
      .toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    w.abort();
  });

  it('answers 410 Gone to a watch from a resourceVersion older than a compaction', async () => {
    const first = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'old' } },
    });
    const oldRv = first.metadata!.resourceVersion!;
    let current = first;
    for (let i = 0; i < 5; i++) {
      current = await core.replaceNamespacedConfigMap({
        namespace: 'default',
        name: 'old',
        body: { ...current, data: { i: String(i) } },
      });
    }
    await cluster.compact();
    // The watch cache may still hold old events in memory; a restart drops it, as it does on a real
    // apiserver rollout, so the watch below must be answered from the compacted storage.
    await cluster.restartApiServer();
    const seen: Seen[] = [];
    const w = await watchConfigMaps(oldRv, (e) => seen.push(e));
    const err = await Promise.race([w.done, new Promise<'open'>((r) => setTimeout(() => r('open'), 10_000))]);
    const gone =
      seen.some((e) => e.type === 'ERROR') || (err instanceof Error && /410|Gone|too old/i.test(err.message));
    expect(gone, `events: ${JSON.stringify(seen)}, end: ${String(err)}`).toBe(true);
    w.abort();
  });

  it('answers again with the data intact after kube-apiserver restarts', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'durable' }, data: { k: 'v' } },
    });
    await cluster.restartApiServer();
    const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'durable' });
    expect(read.data).toEqual({ k: 'v' });
  });
});
