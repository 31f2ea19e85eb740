import type { StoppedLeadingReason } from './options.js';

const WHY: Readonly<Record<StoppedLeadingReason, string>> = {
  'renew-deadline': 'could not renew the Lease within renewDeadlineMs',
  lost: 'another candidate holds the Lease',
  stopped: 'the elector was stopped',
};

/**
 * A leadership term has ended. It is the `reason` of the term's aborted signal, and what a
 * {@link fencedClient} throws for a write it refuses. Test it with {@link isLeadershipLost}.
 */
export class LeadershipLostError extends Error {
  override readonly name = 'LeadershipLostError';
  constructor(
    /** `lease <namespace>/<name>`. */
    readonly lease: string,
    /** The identity whose term ended. */
    readonly identity: string,
    readonly reason: StoppedLeadingReason,
    /**
     * When the term ended, on the elector's clock (monotonic ms): the renew deadline for
     * `renew-deadline` (even if the process only noticed later, after a pause), else when it was seen.
     */
    readonly endedAt: number,
    detail?: string,
  ) {
    super(`${lease}: "${identity}" stopped leading: ${WHY[reason]}${detail ? ` (${detail})` : ''}`);
  }
}

/** Whether `err` is (or was caused by) the end of a leadership term. */
export function isLeadershipLost(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++)
    if (e instanceof LeadershipLostError) return true;
  return false;
}
