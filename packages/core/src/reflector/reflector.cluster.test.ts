import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../../testing/src/cluster/cluster.js';
import { type FaultProxy, startFaultProxy } from '../../../testing/src/proxy/fault-proxy.js';
import { kubeconfigVia } from '../../../testing/src/proxy/kubeconfig-via.js';
import { type Client, createClient } from '../client/index.js';
import type { KubernetesObject } from '../model/object.js';

// A cluster of its own: these tests compact etcd and restart kube-apiserver.
describe('the reflector under faults of the real API server', () => {
  let cluster: Cluster;
  let proxy: FaultProxy;
  let direct: Client;
  let viaProxy: Client;
  const ns = 'faults';

  beforeAll(async () => {
    cluster = await startCluster();
    proxy = await startFaultProxy({
      target: { host: '127.0.0.1', port: Number(new URL(cluster.server).port) },
    });
    direct = createClient({ kubeconfig: cluster.kubeconfigPath, namespace: ns });
    viaProxy = createClient({
      kubeconfig: kubeconfigVia(cluster.kubeconfigPath, proxy.port, join(cluster.dir, 'via-proxy')),
      namespace: ns,
    });
    await direct.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  afterAll(async () => {
    viaProxy?.close();
    direct?.close();
    await proxy?.stop();
    await cluster?.stop();
  });

  const listNames = async () =>
    (await direct.list('cm', { namespace: ns })).map((o) => o.metadata?.name).sort();
  const snapNames = (items: readonly KubernetesObject[] | undefined) =>
    (items ?? []).map((o) => o.metadata?.name).sort();

  it('relists after a compaction and a dropped connection, and then equals a fresh LIST', async () => {
    for (let i = 0; i < 6; i++)
      await direct.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `c${i}`, namespace: ns },
      });
    const acc = viaProxy.watch({ name: 'cms', kind: 'cm', namespace: ns });
    try {
      await acc.changed();
      const snap: { cms?: readonly KubernetesObject[] } = {};
      acc.update(snap);
      expect(snapNames(snap.cms)).toEqual(await listNames());
      // The watch sees nothing of what follows: deletes and new objects, then a compaction.
      proxy.stall();
      for (const name of ['c1', 'c3', 'c5']) await direct.delete({ kind: 'cm', name, namespace: ns });
      await direct.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: ns } });
      await cluster.compact();
      // The watch cache keeps recent events in memory; a restart drops it, as a rollout would.
      await cluster.restartApiServer();
      proxy.resume();
      proxy.cutAll();
      await expect
        .poll(() => acc.status().cms?.counters.relists, { timeout: 30_000 })
        .toBeGreaterThanOrEqual(1);
      await expect
        .poll(
          async () => {
            acc.update(snap);
            return JSON.stringify(snapNames(snap.cms)) === JSON.stringify(await listNames());
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      expect(snapNames(snap.cms)).toEqual(['c0', 'c2', 'c4', 'late']);
    } finally {
      acc.close();
    }
  });

  it('recovers from a kube-apiserver restart mid-watch without a relist storm, and converges', async () => {
    const acc = viaProxy.watch({ name: 'cms', kind: 'cm', namespace: ns });
    try {
      await acc.changed();
      const before = acc.status().cms!;
      await cluster.restartApiServer();
      await direct.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'after-restart', namespace: ns },
      });
      const snap: { cms?: readonly KubernetesObject[] } = {};
      await expect
        .poll(
          async () => {
            acc.update(snap);
            return JSON.stringify(snapNames(snap.cms)) === JSON.stringify(await listNames());
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      const after = acc.status().cms!;
      expect(after.phase).toBe('synced');
      expect(after.counters.relists - before.counters.relists).toBeLessThanOrEqual(1);
      expect(after.counters.reconnects - before.counters.reconnects).toBeLessThanOrEqual(5);
    } finally {
      acc.close();
    }
  });
});
