import type { KubernetesObject } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleClusterObjects } from './sample.js';
import { type FakeApiServer, startFakeApiServer } from './server.js';

const NOW = Date.parse('2026-12-05T01:00:00Z');

const ofKind = (objects: readonly KubernetesObject[], kind: string) => objects.filter((o) => o.kind === kind);
const nameOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const readyOf = (pod: KubernetesObject) =>
  pod.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status === 'True';

describe('the sample cluster', () => {
  const objects = sampleClusterObjects(NOW);
  const pods = ofKind(objects, 'Pod');
  const sets = ofKind(objects, 'ReplicaSet');
  const deployments = ofKind(objects, 'Deployment');

  it('is the same every call for the same time', () => {
    expect(sampleClusterObjects(NOW)).toEqual(objects);
  });

  it('has distinct names per kind and namespace, and Pod names that differ past their ReplicaSet', () => {
    for (const kind of new Set(objects.map((o) => o.kind))) {
      const names = ofKind(objects, kind as string).map(nameOf);
      expect(new Set(names).size, kind).toBe(names.length);
    }
    const suffixes = pods.map((p) => p.metadata?.name?.split('-').pop());
    expect(new Set(suffixes).size).toBe(pods.length);
    for (const s of suffixes) expect(s).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('gives each Deployment its own pod-template-hash, and a ReplicaSet per revision named after it', () => {
    const hashes = new Set<string>();
    for (const d of deployments) {
      const own = sets.filter((rs) => rs.metadata?.ownerReferences?.[0]?.name === d.metadata?.name);
      const revisions = own.map((rs) =>
        Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision']),
      );
      expect(revisions.sort()).toEqual(own.map((_, i) => i + 1));
      expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe(String(own.length));
      for (const rs of own) {
        const hash = rs.metadata?.labels?.['pod-template-hash'];
        expect(rs.metadata?.name).toBe(`${d.metadata?.name}-${hash}`);
        expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{9,10}$/);
        hashes.add(hash ?? '');
      }
    }
    expect(hashes.size).toBe(sets.length);
    expect(sets.length).toBeGreaterThan(deployments.length);
  });

  it('puts every Pod on a sample Node, with its host IP, and agrees on readiness from Pod to Deployment', () => {
    const nodes = new Map(ofKind(objects, 'Node').map((n) => [n.metadata?.name, n]));
    expect([...nodes.keys()]).toEqual(['node-1', 'node-2']);
    for (const n of nodes.values()) expect(n.status?.nodeInfo?.kubeletVersion).toBe('v1.37.2');
    for (const p of pods) {
      const node = nodes.get(p.spec?.nodeName);
      expect(node, nameOf(p)).toBeDefined();
      expect(p.status?.hostIP).toBe(node?.status?.addresses?.[0]?.address);
      expect(p.status?.containerStatuses?.every((c: { ready: boolean }) => c.ready)).toBe(readyOf(p));
    }
    for (const d of deployments) {
      const current = sets.find(
        (rs) =>
          rs.metadata?.ownerReferences?.[0]?.name === d.metadata?.name &&
          rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ===
            d.metadata?.annotations?.['deployment.kubernetes.io/revision'],
      );
      const own = pods.filter((p) => p.metadata?.ownerReferences?.[0]?.name === current?.metadata?.name);
      expect(own).toHaveLength(d.spec?.replicas);
      expect(d.status?.replicas).toBe(own.length);
      expect(d.status?.readyReplicas).toBe(own.filter(readyOf).length);
      expect(current?.status?.readyReplicas).toBe(own.filter(readyOf).length);
    }
  });
});

describe('the sample cluster seeded in the fake API server', () => {
  let server: FakeApiServer;
  let stored: KubernetesObject[];
  beforeAll(async () => {
    server = await startFakeApiServer({ seed: sampleClusterObjects() });
    const kinds = ['deployments', 'replicasets', 'pods', 'nodes', 'events'];
    stored = [];
    for (const kind of kinds) {
      const group = kind === 'deployments' || kind === 'replicasets' ? 'apis/apps/v1' : 'api/v1';
      const res = await fetch(`${server.url}/${group}/${kind}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      stored.push(...((await res.json()) as { items: KubernetesObject[] }).items);
    }
  });
  afterAll(() => server?.stop());

  it('resolves every owner reference, Pod to ReplicaSet to Deployment, by uid', () => {
    const byUid = new Map(stored.map((o) => [o.metadata?.uid, o]));
    const pods = stored.filter((o) => o.spec?.containers && o.status?.phase);
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      const rs = byUid.get(pod.metadata?.ownerReferences?.[0]?.uid);
      expect(rs?.metadata?.name, pod.metadata?.name).toBe(pod.metadata?.ownerReferences?.[0]?.name);
      const d = byUid.get(rs?.metadata?.ownerReferences?.[0]?.uid);
      expect(d?.metadata?.name).toBe(rs?.metadata?.ownerReferences?.[0]?.name);
      expect(d?.spec?.template).toBeDefined();
    }
  });

  it('keeps the statuses, and points each Event at its object by uid', () => {
    const uids = new Set(stored.map((o) => o.metadata?.uid));
    const events = stored.filter((o) => o.involvedObject);
    expect(events.length).toBeGreaterThan(40);
    for (const e of events) expect(uids.has(e.involvedObject.uid), e.metadata?.name).toBe(true);
    const ready = stored.filter((o) => o.status?.readyReplicas !== undefined);
    expect(ready.length).toBeGreaterThan(0);
  });
});
