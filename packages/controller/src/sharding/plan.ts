import type { KubernetesObject } from '@kates/core';
import type { RingLabels } from './labels.js';
import type { MemberState } from './membership.js';
import type { HashRing } from './ring.js';

/** What a sharded object is hashed by: its uid (spreads evenly) or its namespace (keeps a namespace on one member). */
export type ShardKey = 'uid' | 'namespace';

/** The key of an object on the ring. */
export function shardKeyOf(obj: KubernetesObject, by: ShardKey): string {
  return (by === 'uid' ? obj.metadata?.uid : obj.metadata?.namespace) ?? '';
}

/** One step towards the ring's assignment. */
export type ShardAction =
  /** An unassigned object gets the shard label of its member on the ring. */
  | { readonly type: 'assign'; readonly object: KubernetesObject; readonly to: string }
  /** The object's owner is live but the ring names another member: ask the owner to let go. */
  | { readonly type: 'drain'; readonly object: KubernetesObject; readonly from: string }
  /**
   * The objects of a member that is not live (expired, released, adopted, or without a Lease):
   * moved by the sharder while it holds that member's Lease, so the member cannot come back
   * and act on them in the meantime.
   */
  | { readonly type: 'adopt'; readonly member: string; readonly objects: readonly KubernetesObject[] };

/**
 * The assignment plan: a pure function of the objects, the ring of live members and the state of
 * each member. Objects already being drained are left to their owner; an owner that is live and
 * on the ring's side keeps its objects (even with a stale drain label: it will acknowledge, and
 * get them back).
 */
export function planShards(
  objects: readonly KubernetesObject[],
  ring: HashRing,
  stateOf: (member: string) => MemberState | undefined,
  labels: RingLabels,
  by: ShardKey,
): ShardAction[] {
  const actions: ShardAction[] = [];
  const orphans = new Map<string, KubernetesObject[]>();
  for (const object of objects) {
    const owner = object.metadata?.labels?.[labels.shard];
    const draining = object.metadata?.labels?.[labels.drain] !== undefined;
    const desired = ring.ownerOf(shardKeyOf(object, by));
    if (!owner) {
      if (desired) actions.push({ type: 'assign', object, to: desired });
    } else if (stateOf(owner) === 'ready') {
      if (desired && desired !== owner && !draining) actions.push({ type: 'drain', object, from: owner });
    } else {
      const list = orphans.get(owner) ?? [];
      list.push(object);
      orphans.set(owner, list);
    }
  }
  for (const [member, list] of orphans) actions.push({ type: 'adopt', member, objects: list });
  return actions;
}
