import { type Client, createClient, type KubernetesObject } from '@kates/core';
import { type FakeApiServer, sampleClusterObjects, startFakeApiServer } from '@kates/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChurn } from './churn.js';
import { isPodReady } from './kubelet.js';
import { sampleMappings } from './seed.js';

const owned = (obj: KubernetesObject, owner: KubernetesObject) =>
  (obj.metadata?.ownerReferences ?? []).some((r: { uid: string }) => r.uid === owner.metadata?.uid);

describe('the churn on the sample cluster', () => {
  let server: FakeApiServer;
  let client: Client;
  const log: string[] = [];

  beforeAll(async () => {
    server = await startFakeApiServer({ seed: [...sampleClusterObjects(), ...sampleMappings()] });
    client = createClient({ kubeconfig: server.kubeconfigPath });
    const stop = startChurn(client, (l) => log.push(l), 30);
    const started = Date.now();
    while (!log.some((l) => l.includes('scaled')) && Date.now() - started < 20_000)
      await new Promise((r) => setTimeout(r, 50));
    stop();
    // A tick in flight finishes its writes.
    await new Promise((r) => setTimeout(r, 1000));
  }, 30_000);
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('flips readiness and scales, with no failed step', () => {
    expect(log.filter((l) => l.includes('ready replicas')).length).toBeGreaterThanOrEqual(3);
    expect(log.filter((l) => l.includes('scaled'))).toHaveLength(1);
    expect(log.filter((l) => l.startsWith('churn: ') && /failed|error|refused/i.test(l))).toEqual([]);
  });

  it('leaves every Deployment, ReplicaSet and Pod agreeing on how many are ready', async () => {
    const deployments = await client.list('deploy', { namespace: 'all' });
    const sets = await client.list('replicasets.apps', { namespace: 'all' });
    const pods = await client.list('pods', { namespace: 'all' });
    let unready = 0;
    for (const d of deployments) {
      const current = sets.find(
        (rs) =>
          owned(rs, d) &&
          rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ===
            d.metadata?.annotations?.['deployment.kubernetes.io/revision'],
      );
      const own = pods.filter((p) => current && owned(p, current));
      const ready = own.filter(isPodReady).length;
      unready += own.length - ready;
      expect(own.length, d.metadata?.name).toBe(d.spec?.replicas);
      expect(d.status?.replicas, d.metadata?.name).toBe(own.length);
      expect(d.status?.readyReplicas ?? 0, d.metadata?.name).toBe(ready);
      expect(current?.status?.readyReplicas ?? 0, d.metadata?.name).toBe(ready);
      for (const p of own)
        expect(p.status?.containerStatuses?.every((c: { ready: boolean }) => c.ready)).toBe(isPodReady(p));
    }
    expect(unready).toBeGreaterThan(0);
  });

  it('records the Events a kubelet and the controllers would', async () => {
    const events = await client.list('events', { namespace: 'all' });
    const reasons = new Set(events.map((e) => e.reason));
    for (const reason of ['Unhealthy', 'ScalingReplicaSet', 'Scheduled', 'Started'])
      expect(reasons, reason).toContain(reason);
    const unhealthy = events.find((e) => e.reason === 'Unhealthy');
    expect(unhealthy?.type).toBe('Warning');
    expect(unhealthy?.involvedObject?.uid).toBeTruthy();
  });
});
