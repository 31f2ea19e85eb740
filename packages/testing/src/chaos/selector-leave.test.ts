import { type Client, type ConfigMap, createClient, type KubernetesObject } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.js';
import { type FakeApiServer, startFakeApiServer } from '../fake/server.js';

/**
 * The divergence of chaos seed 11 (ConfigMap `chaos-b/configmap-505` missing from the
 * `namespaced` accumulator for more than 10 s after the faults stopped), replayed on the fake API
 * server without faults of the network: a ConfigMap moves from `chaos-group=red` to `green`.
 *
 * Both API servers tell a watch that an object left its selectors with a DELETED event carrying
 * the object's last state that matched, at the new version (kube-apiserver's etcd3 watcher and
 * cacher both do; see `fake/watch.ts`). That event looks exactly like a real deletion. The
 * unselected watch of the namespace delivers the same version as MODIFIED: the object lives.
 *
 * Bookmarks are as rare as on kube-apiserver with its watch cache off (none): a watch of another
 * namespace that sees no event never moves on, as the chaos reconciler's watches in `chaos-a`
 * after the workload stops.
 */
describe('an object that leaves a label-selected watch', () => {
  let server: FakeApiServer;
  let writer: Client;
  let watcher: Client;

  beforeAll(async () => {
    server = await startFakeApiServer({ bookmarkIntervalMs: 600_000 });
    writer = createClient({ kubeconfig: server.kubeconfigPath });
    watcher = createClient({ kubeconfig: server.kubeconfigPath });
    for (const name of ['chaos-a', 'chaos-b'])
      await writer.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });
  afterAll(async () => {
    watcher?.close();
    writer?.close();
    await server?.stop();
  });

  it('stays, at its new version and labels, in the query of an unselected watch, while a watch of another namespace is quiet', async () => {
    const created = await writer.create<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'configmap-505',
        namespace: 'chaos-b',
        labels: { chaos: 'yes', 'chaos-group': 'red' },
      },
      data: { serial: '505' },
    });
    const inventory = watcher.watch({
      name: 'configmaps',
      kind: 'cm',
      labelSelector: 'chaos-group in (red,blue)',
    });
    const namespaced = watcher.watch({ name: 'configmaps', kind: 'cm', namespace: 'chaos-b' });
    const quiet = watcher.watch({
      name: 'children',
      kind: 'cm',
      namespace: 'chaos-a',
      labelSelector: 'parent-uid',
    });
    try {
      await Promise.all([inventory.changed(), namespaced.changed(), quiet.changed()]);
      const names = (acc: typeof inventory) =>
        ((acc.getSnapshot() as { configmaps?: readonly KubernetesObject[] }).configmaps ?? []).map(
          (o) => `${o.metadata?.name}@${o.metadata?.resourceVersion} ${o.metadata?.labels?.['chaos-group']}`,
        );
      const before = `configmap-505@${created.metadata?.resourceVersion} red`;
      await eventually(
        'both queries show the red ConfigMap',
        async () => ({ inventory: names(inventory), namespaced: names(namespaced) }),
        (seen) => seen.inventory.includes(before) && seen.namespaced.includes(before),
      );

      // The namespace's unselected watch lags a moment, so the selected watch's DELETED comes first.
      server.faults.stallWatches(300, { resource: 'configmaps', namespace: 'chaos-b' });
      const moved = await writer.patch<ConfigMap>(
        { kind: 'cm', name: 'configmap-505', namespace: 'chaos-b' },
        { metadata: { labels: { 'chaos-group': 'green' } } },
      );
      const after = `configmap-505@${moved.metadata?.resourceVersion} green`;

      await eventually(
        'the namespaced query shows the green ConfigMap',
        async () => names(namespaced),
        (n) => n.includes(after),
        {
          timeoutMs: 3000,
        },
      );
      expect(names(inventory)).toEqual([]);
    } finally {
      for (const acc of [inventory, namespaced, quiet]) acc.close();
    }
  });
});
