import type { Lease } from '@kates/core';

/**
 * What an election keeps in a Lease's spec (client-go's `LeaderElectionRecord`). An empty
 * `holderIdentity` means nobody holds it: it was released, and any candidate may take it at once.
 */
export interface LeaderElectionRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** MicroTime of the current holder's acquisition; informational, never compared with a clock. */
  readonly acquireTime?: string;
  /** MicroTime of the last renewal; informational, never compared with a clock. */
  readonly renewTime?: string;
  readonly leaseTransitions: number;
}

/** A Lease as read or written, with its record and the resourceVersion that guards the next write. */
export interface ObservedLease {
  readonly lease: Lease;
  readonly record: LeaderElectionRecord;
  readonly resourceVersion: string;
}

/** The record of a Lease; absent fields read as nobody, zero seconds, zero transitions. */
export function recordOf(lease: Lease): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    ...(spec.acquireTime ? { acquireTime: spec.acquireTime } : {}),
    ...(spec.renewTime ? { renewTime: spec.renewTime } : {}),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/** The Lease spec fields of a record (other spec fields of the Lease are kept by the caller). */
export function specOf(record: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    ...(record.acquireTime ? { acquireTime: record.acquireTime } : {}),
    ...(record.renewTime ? { renewTime: record.renewTime } : {}),
    leaseTransitions: record.leaseTransitions,
  };
}

/**
 * Whether two records are the same. A candidate resets its expiry clock only when the record
 * changes: a renewal changes `renewTime`, so a live holder always moves it.
 */
export function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}
