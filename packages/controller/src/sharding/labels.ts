import { labelKeyError, labelValueError } from '@kates/core/internal';

/**
 * The labels of one ring (named like timebertt/kubernetes-controller-sharding's, under kates.dev):
 *
 * - `shard.kates.dev/<ring>: <member>` on each sharded object: the member that owns it. Members
 *   watch with this label as their selector.
 * - `drain.kates.dev/<ring>: "true"` on an object the sharder wants moved: its owner stops, then
 *   removes both labels (the acknowledgement); only then is the object assigned again.
 * - `kates.dev/shard-ring: <ring>` on each member's Lease, which the sharder watches.
 */
export interface RingLabels {
  readonly ring: string;
  readonly shard: string;
  readonly drain: string;
  readonly lease: string;
}

export const RING_LEASE_LABEL = 'kates.dev/shard-ring';

/** The label keys of a ring; the ring name must be a valid label value and key name (≤ 63 characters). */
export function ringLabels(ring: string): RingLabels {
  const shard = `shard.kates.dev/${ring}`;
  const problem = labelValueError(ring) ?? labelKeyError(shard);
  if (!ring || problem)
    throw new TypeError(
      `shard ring "${ring}": the name is used in label keys and values (shard.kates.dev/<ring>), so it ${problem ?? 'must not be empty'}`,
    );
  return { ring, shard, drain: `drain.kates.dev/${ring}`, lease: RING_LEASE_LABEL };
}

/** Checks a member name, which is a label value and a Lease name. */
export function checkMemberName(member: string, ring: string): void {
  const problem = member ? labelValueError(member) : 'must not be empty';
  if (problem || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(member))
    throw new TypeError(
      `shard ring "${ring}": member "${member}" names a Lease and is a label value, so it must be a lowercase ` +
        `DNS subdomain of at most 63 characters${problem ? ` (${problem})` : ''}`,
    );
}
