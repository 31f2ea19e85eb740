import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { ringLabels } from './labels.js';
import type { MemberState } from './membership.js';
import { planShards } from './plan.js';
import { HashRing } from './ring.js';

const labels = ringLabels('ring');
const obj = (uid: string, extra: Record<string, string> = {}): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: uid, namespace: 'ns', uid, resourceVersion: '1', labels: extra },
});
const uids = Array.from({ length: 60 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const states = (m: Record<string, MemberState>) => (member: string) => m[member];

describe('planShards', () => {
  const ring = new HashRing(['a', 'b', 'c']);

  it('assigns every unassigned object to its member on the ring', () => {
    const actions = planShards(
      uids.map((u) => obj(u)),
      ring,
      states({ a: 'ready', b: 'ready', c: 'ready' }),
      labels,
      'uid',
    );
    expect(actions).toHaveLength(60);
    for (const a of actions) {
      expect(a.type).toBe('assign');
      if (a.type === 'assign') expect(a.to).toBe(ring.ownerOf(a.object.metadata!.uid!));
    }
  });

  it('leaves objects alone whose live owner is the ring’s choice', () => {
    const objects = uids.map((u) => obj(u, { [labels.shard]: ring.ownerOf(u)! }));
    expect(planShards(objects, ring, states({ a: 'ready', b: 'ready', c: 'ready' }), labels, 'uid')).toEqual(
      [],
    );
  });

  it('drains, rather than moves, the objects a live owner must give to a new member', () => {
    const small = new HashRing(['a', 'b']);
    const objects = uids.map((u) => obj(u, { [labels.shard]: small.ownerOf(u)! }));
    const actions = planShards(objects, ring, states({ a: 'ready', b: 'ready', c: 'ready' }), labels, 'uid');
    const moving = uids.filter((u) => ring.ownerOf(u) !== small.ownerOf(u));
    expect(moving.length).toBeGreaterThan(5);
    expect(actions.map((a) => a.type)).toEqual(moving.map(() => 'drain'));
    // Only the objects c takes move: about a third, none between a and b.
    for (const u of moving) expect(ring.ownerOf(u)).toBe('c');
  });

  it('does not drain an object twice while its owner has not acknowledged', () => {
    const small = new HashRing(['a', 'b']);
    const objects = uids.map((u) => obj(u, { [labels.shard]: small.ownerOf(u)!, [labels.drain]: 'true' }));
    const actions = planShards(objects, ring, states({ a: 'ready', b: 'ready', c: 'ready' }), labels, 'uid');
    expect(actions).toEqual([]);
  });

  it.each(['expired', 'released', 'adopted', undefined] as const)(
    'hands the objects of a member that is %s to the sharder to move under its Lease',
    (state) => {
      const two = new HashRing(['a', 'b']);
      const objects = uids.map((u) => obj(u, { [labels.shard]: ring.ownerOf(u)! }));
      const actions = planShards(objects, two, (m) => (m === 'c' ? state : 'ready'), labels, 'uid');
      const ofC = objects.filter((o) => o.metadata!.labels![labels.shard] === 'c');
      expect(actions).toEqual([{ type: 'adopt', member: 'c', objects: ofC }]);
    },
  );

  it('keeps a namespace on one member when sharding by namespace', () => {
    const objects = uids.map((u, i) => ({
      ...obj(u),
      metadata: { ...obj(u).metadata, namespace: `ns-${i % 3}` },
    }));
    const actions = planShards(
      objects,
      ring,
      states({ a: 'ready', b: 'ready', c: 'ready' }),
      labels,
      'namespace',
    );
    const byNamespace = new Map<string, Set<string>>();
    for (const a of actions)
      if (a.type === 'assign') {
        const set = byNamespace.get(a.object.metadata!.namespace!) ?? new Set();
        set.add(a.to);
        byNamespace.set(a.object.metadata!.namespace!, set);
      }
    for (const set of byNamespace.values()) expect(set.size).toBe(1);
  });
});
