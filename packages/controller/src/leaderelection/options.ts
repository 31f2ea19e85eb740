import type { Client } from '@kates/core';
import type { Clock } from '../clock.js';
import type { LeaseLock } from './lease-lock.js';
import type { LeaderElectionRecord } from './lease-record.js';

/** Why a leadership term ended; see {@link LeadershipLostError}. */
export type StoppedLeadingReason =
  /** No renewal succeeded within `renewDeadlineMs` of the last successful one being sent. */
  | 'renew-deadline'
  /** Another holder was observed on the Lease (a renewal answered 409 and the Lease names someone else). */
  | 'lost'
  /** `stop()` was called. */
  | 'stopped';

/** Options of {@link LeaderElector}. Durations are milliseconds of the process's monotonic clock. */
export interface LeaderElectionOptions {
  /** The kates client every Lease call goes through (`coordination.k8s.io/v1` Leases). */
  readonly client: Client;
  /** The Lease's name. */
  readonly name: string;
  /** The Lease's namespace; the client's namespace by default. */
  readonly namespace?: string;
  /** This candidate's identity, written as `holderIdentity` (a pod name, or hostname + random suffix). */
  readonly identity: string;
  /**
   * How long a candidate waits, after it last saw the Lease record change, before it takes the
   * Lease over. 15 000 by default; a whole number of seconds, because the Lease stores seconds.
   */
  readonly leaseDurationMs?: number;
  /**
   * How long the leader keeps trying to renew, counted from when its last successful renewal was
   * sent, before it stops leading. 10 000 by default; less than `leaseDurationMs`.
   */
  readonly renewDeadlineMs?: number;
  /** The wait between attempts to acquire or renew. 2 000 by default; `renewDeadlineMs` > 1.2 × this. */
  readonly retryPeriodMs?: number;
  /**
   * On `stop()`, after the leading work has settled, write an empty holder (and
   * `leaseDurationSeconds: 1`) so that another candidate takes over within about one retry period
   * instead of waiting for the Lease to expire. `true` by default.
   */
  readonly releaseOnCancel?: boolean;
  /** Labels of the Lease when this elector creates it (e.g. a shard ring's label). */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Called when this candidate becomes the leader, with a signal that aborts when the term ends.
   * If it returns a promise, `stop()` waits for it (renewing meanwhile) before releasing.
   */
  readonly onStartedLeading?: (signal: AbortSignal) => void | Promise<void>;
  /** Called when a term ends, after its signal has aborted. */
  readonly onStoppedLeading?: (reason: StoppedLeadingReason) => void;
  /** Called when this candidate observes a new holder (itself included); not for an empty holder. */
  readonly onNewLeader?: (identity: string) => void;
  /** Called with every failed attempt to acquire or renew (network errors, 5xx, 429...), for logging. */
  readonly onError?: (error: unknown) => void;
  /** Time source; the process's monotonic clock by default. */
  readonly clock?: Clock;
  /** Where the record lives; a Lease through `client` by default. */
  readonly lock?: LeaseLock;
  /**
   * A record this process has already seen change at `at` (its clock): if the first read finds
   * the same record, expiry counts from `at` rather than from that read. For a process that was
   * watching the Lease before it became a candidate (a sharder adopting a dead member's Lease).
   */
  readonly observed?: { readonly record: LeaderElectionRecord; readonly at: number };
}

/** client-go's defaults (`tools/leaderelection`, and every controller-runtime manager). */
export const LEADER_ELECTION_DEFAULTS = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
} as const;

/** client-go's JitterFactor: the renew deadline must leave room for more than one jittered retry. */
export const JITTER_FACTOR = 1.2;

/** The three durations, defaulted and validated. */
export interface ElectionTiming {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/** An option that makes an election unsafe or impossible, named in the message. */
export class LeaderElectionConfigError extends Error {
  override readonly name = 'LeaderElectionConfigError';
  constructor(
    message: string,
    /** The option at fault, such as `renewDeadlineMs`. */
    readonly option: string,
  ) {
    super(message);
  }
}

/**
 * Defaults the durations and checks them as client-go does: leaseDurationMs > renewDeadlineMs >
 * 1.2 × retryPeriodMs, all positive, the lease duration a whole number of seconds.
 *
 * @throws LeaderElectionConfigError naming the option and the Lease.
 */
export function electionTiming(
  options: Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>,
  what: string,
): ElectionTiming {
  const timing = {
    leaseDurationMs: options.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs,
  };
  const fail = (option: string, why: string) => {
    throw new LeaderElectionConfigError(`leader election on ${what}: ${option} ${why}`, option);
  };
  for (const [option, value] of Object.entries(timing)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      fail(option, `must be a positive number of milliseconds, got ${String(value)}`);
  }
  if (timing.leaseDurationMs % 1000 !== 0)
    fail(
      'leaseDurationMs',
      `must be a whole number of seconds, because the Lease stores leaseDurationSeconds; got ${timing.leaseDurationMs}`,
    );
  if (timing.leaseDurationMs <= timing.renewDeadlineMs)
    fail(
      'leaseDurationMs',
      `(${timing.leaseDurationMs}) must be greater than renewDeadlineMs (${timing.renewDeadlineMs}): ` +
        'the leader must give up before the others may take over',
    );
  if (timing.renewDeadlineMs <= JITTER_FACTOR * timing.retryPeriodMs)
    fail(
      'renewDeadlineMs',
      `(${timing.renewDeadlineMs}) must be greater than ${JITTER_FACTOR} × retryPeriodMs ` +
        `(${JITTER_FACTOR * timing.retryPeriodMs}), so that a failed renewal is retried before the deadline`,
    );
  return timing;
}
