import type { Lease } from '@kates/core';
import { type LeaderElectionRecord, recordOf, sameRecord } from '../leaderelection/lease-record.js';

/**
 * What a member's Lease says about it, as the sharder judges it:
 *
 * - `ready`: held by the member itself (holder = Lease name), and its record changed within the
 *   holder's leaseDurationSeconds of when the sharder last saw it change. In the ring.
 * - `expired`: held by the member, but unchanged for that long: presumed dead.
 * - `released`: no holder: the member stopped and let go.
 * - `adopted`: held by someone else (the sharder, while it moves the member's objects away).
 *
 * Only `ready` members are in the ring; the objects of the others are moved away only while the
 * sharder holds their Lease (see {@link Sharder}).
 */
export type MemberState = 'ready' | 'expired' | 'released' | 'adopted';

interface Seen {
  readonly record: LeaderElectionRecord;
  readonly at: number;
}

/**
 * Tracks when each member Lease's record was last seen to change, on this process's monotonic
 * clock: the election's own rule, so a member is presumed dead only after its Lease has been
 * still for its leaseDurationSeconds as seen here, whatever its renewTime says.
 */
export class MemberTracker {
  private readonly seen = new Map<string, Seen>();

  /** Notes the Leases as seen now; forgets Leases that are gone. */
  observe(leases: readonly Lease[], now: number): void {
    const names = new Set<string>();
    for (const lease of leases) {
      const name = lease.metadata?.name;
      if (!name) continue;
      names.add(name);
      const record = recordOf(lease);
      const prev = this.seen.get(name);
      if (!prev || !sameRecord(prev.record, record)) this.seen.set(name, { record, at: now });
    }
    for (const name of [...this.seen.keys()]) if (!names.has(name)) this.seen.delete(name);
  }

  /** A member Lease's record and when it was last seen to change (undefined for an unknown member). */
  observed(member: string): { readonly record: LeaderElectionRecord; readonly at: number } | undefined {
    return this.seen.get(member);
  }

  /** The state of a member; undefined when it has no Lease. */
  state(member: string, now: number): MemberState | undefined {
    const seen = this.seen.get(member);
    if (!seen) return undefined;
    const { holderIdentity, leaseDurationSeconds } = seen.record;
    if (holderIdentity === '') return 'released';
    if (holderIdentity !== member) return 'adopted';
    return now < seen.at + Math.max(leaseDurationSeconds, 1) * 1000 ? 'ready' : 'expired';
  }

  /** The members in the ring now, sorted. */
  ready(now: number): string[] {
    return [...this.seen.keys()].filter((m) => this.state(m, now) === 'ready').sort();
  }

  /** The next moment a ready member would expire if nothing changes (to look again then). */
  nextExpiry(now: number): number | undefined {
    let next: number | undefined;
    for (const [member, seen] of this.seen) {
      if (this.state(member, now) !== 'ready') continue;
      const at = seen.at + Math.max(seen.record.leaseDurationSeconds, 1) * 1000;
      next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }
}
