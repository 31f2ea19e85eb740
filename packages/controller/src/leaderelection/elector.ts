import { isAlreadyExists, isConflict, isNotFound } from '@kates/core';
import { type Clock, type ClockTimer, sleep, systemClock } from '../clock.js';
import { registerFence } from './fence.js';
import { LeadershipLostError } from './leadership-lost.js';
import { type LeaseLock, leaseLock } from './lease-lock.js';
import { type LeaderElectionRecord, type ObservedLease, sameRecord } from './lease-record.js';
import { formatMicroTime } from './micro-time.js';
import {
  type ElectionTiming,
  electionTiming,
  type LeaderElectionOptions,
  type StoppedLeadingReason,
} from './options.js';

/** The Lease as this process last saw it, and when (its monotonic time) it last saw the record change. */
interface Observation {
  readonly lease: ObservedLease;
  readonly at: number;
}

/** This process holds the Lease until `until`: its last successful write was sent at `sentAt`. */
interface Holding {
  readonly sentAt: number;
  readonly until: number;
}

/** What one attempt found. */
type Outcome = 'holding' | 'held-by-another' | 'failed';

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, with the semantics of client-go's
 * `tools/leaderelection`:
 *
 * - A candidate takes the Lease when it does not exist, when it is released (empty holder), or
 *   when its record has not changed for the holder's `leaseDurationSeconds`, measured on this
 *   process's monotonic clock from the moment this process saw it change. The Lease's
 *   `renewTime` (another machine's clock) is never compared with the local clock, so clock
 *   offsets between machines do not matter; clock *rates* do (see below).
 * - Every write sends the resourceVersion it read: of two candidates that see one expiry, the
 *   API server lets exactly one write (the other gets 409 Conflict).
 * - The leader renews every `retryPeriodMs`. A failed renewal is retried every `retryPeriodMs`
 *   until `renewDeadlineMs` after the last successful renewal was *sent*; then the term ends.
 *   A renewal answered with another holder ends it at once.
 * - Each term is an `AbortSignal` (passed to `onStartedLeading`, and {@link signal}) that aborts
 *   when the term ends; {@link fencedClient} refuses writes once it has, and also, synchronously,
 *   once the renew deadline has passed (a process resumed from a pause runs overdue timers before
 *   the one that ends the term).
 * - `stop()` ends the term, waits for the promise `onStartedLeading` returned (renewing
 *   meanwhile), then releases the Lease (`releaseOnCancel`), so another candidate takes over
 *   within about one retry period.
 *
 * Why two leaders cannot overlap: a candidate that takes over saw the holder's last record at a
 * time `o` no earlier than that renewal was sent (`s`), and waited `leaseDurationMs` after `o`;
 * the holder stopped at `s + renewDeadlineMs` at the latest. With clocks that run at the same rate
 * the new term starts at least `leaseDurationMs - renewDeadlineMs` after the old one ended. If one
 * clock runs faster than another by a factor `r`, that holds while `r < leaseDurationMs /
 * renewDeadlineMs` (1.5 with the defaults; choose 60 s / 30 s to tolerate 2×).
 *
 * Differences from client-go: the holder's deadline counts from when its last successful renewal
 * was sent (client-go counts from when the answer arrived, later); candidates retry at
 * `retryPeriodMs` with jitter downwards only and try again exactly at expiry, so a crashed leader
 * is replaced within `leaseDurationMs + retryPeriodMs` (client-go's upward jitter allows up to
 * 2.2 retry periods more); after a lost term the elector campaigns again (client-go's `Run`
 * returns and controller-runtime exits the process); `onStoppedLeading` is called only for a term
 * that started.
 *
 * @example
 * const elector = new LeaderElector({
 *   client,
 *   name: 'my-controller',
 *   namespace: 'kube-system',
 *   identity: process.env.POD_NAME ?? `${hostname()}-${randomUUID()}`,
 *   onStartedLeading: async (signal) => {
 *     const writer = fencedClient(client, signal);
 *     for await (const _ of accumulator) {
 *       if (signal.aborted) break;
 *       await reconcile(writer, accumulator.getSnapshot());
 *     }
 *   },
 *   onStoppedLeading: (reason) => console.log(`stopped leading: ${reason}`),
 *   onNewLeader: (identity) => console.log(`leader is ${identity}`),
 * }).start();
 * process.on('SIGTERM', () => void elector.stop().then(() => process.exit(0)));
 */
export class LeaderElector {
  /** The Lease's name (the `name` label of `leader_election_master_status`). */
  readonly name: string;
  readonly identity: string;
  readonly lock: LeaseLock;
  readonly timing: ElectionTiming;
  readonly releaseOnCancel: boolean;
  private readonly clock: Clock;
  private readonly options: LeaderElectionOptions;
  private observation: Observation | undefined;
  private holding: Holding | undefined;
  private term: AbortController | undefined;
  private work: Promise<void> | undefined;
  private deadlineTimer: ClockTimer | undefined;
  private attempt: AbortController | undefined;
  private pauseController: AbortController | undefined;
  private reportedLeader = '';
  private running: Promise<void> | undefined;
  private stopRequested = false;
  private lastErrorValue: unknown;

  /** @throws LeaderElectionConfigError for durations client-go would refuse, naming the option. */
  constructor(options: LeaderElectionOptions) {
    if (typeof options.identity !== 'string' || options.identity === '')
      throw new TypeError(
        `leader election on lease "${options.name}": identity is empty; use a name unique to this replica, such as the pod name`,
      );
    if (typeof options.name !== 'string' || options.name === '')
      throw new TypeError('leader election: name (the Lease to hold) is empty');
    this.options = options;
    this.name = options.name;
    this.identity = options.identity;
    this.clock = options.clock ?? systemClock;
    this.lock =
      options.lock ??
      leaseLock(options.client, { name: options.name, namespace: options.namespace, labels: options.labels });
    this.timing = electionTiming(options, this.lock.description);
    this.releaseOnCancel = options.releaseOnCancel ?? true;
  }

  /** Starts campaigning; idempotent. */
  start(): this {
    if (!this.running && !this.stopRequested) this.running = this.run();
    return this;
  }

  /**
   * Ends the current term (its signal aborts), waits for the leading work to settle while still
   * renewing, releases the Lease if `releaseOnCancel`, and stops campaigning.
   */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (this.term) this.endTerm('stopped');
    // A candidate stops at once; a holder keeps its renewal going until the work has settled.
    if (!this.holding) this.attempt?.abort(new Error('the elector was stopped'));
    this.wakeUp();
    await this.running;
  }

  /** Whether this process leads now: a term is on and its renew deadline has not passed. */
  isLeader(): boolean {
    return this.term !== undefined && this.holds();
  }

  /** The signal of the current term; undefined while not leading. */
  get signal(): AbortSignal | undefined {
    return this.term?.signal;
  }

  /**
   * While leading, the time on the elector's clock (monotonic ms) at which the term ends unless a
   * renewal succeeds first: the last successful renewal's send time + `renewDeadlineMs`.
   */
  get leadingUntil(): number | undefined {
    return this.term ? this.holding?.until : undefined;
  }

  /** The holder this process last observed; undefined when none (absent or released Lease). */
  get leader(): string | undefined {
    return this.observation?.lease.record.holderIdentity || undefined;
  }

  /** The value of the `leader_election_master_status{name}` gauge: 1 while leading, else 0. */
  get leaderElectionMasterStatus(): 0 | 1 {
    return this.isLeader() ? 1 : 0;
  }

  /** The error of the last failed attempt to acquire or renew, for health reports. */
  get lastError(): unknown {
    return this.lastErrorValue;
  }

  private async run(): Promise<void> {
    try {
      while (!this.done()) {
        const delay = await this.tryAcquireOrRenew();
        if (this.done()) break;
        await this.pause(delay);
      }
      if (this.releaseOnCancel && this.holds()) await this.release();
    } finally {
      this.lose(undefined);
    }
  }

  // Stopping waits while the term's work runs and the Lease is still ours.
  private done(): boolean {
    return this.stopRequested && !(this.work && this.holding);
  }

  private async tryAcquireOrRenew(): Promise<number> {
    const { retryPeriodMs, renewDeadlineMs } = this.timing;
    const attempt = new AbortController();
    this.attempt = attempt;
    // A renewal is cut at the renew deadline; a candidate's attempt at renewDeadlineMs, so a
    // connection that hangs cannot stall the campaign.
    const budget = this.holding ? this.holding.until - this.clock.now() : renewDeadlineMs;
    const timer = this.clock.setTimeout(() => attempt.abort(new Error('attempt timed out')), budget);
    let outcome: Outcome;
    try {
      outcome = await this.attemptOnce(attempt.signal);
    } catch (e) {
      outcome = 'failed';
      this.lastErrorValue = e;
      this.options.onError?.(e);
    } finally {
      this.clock.clearTimeout(timer);
      this.attempt = undefined;
    }
    if (outcome === 'holding') return retryPeriodMs;
    if (outcome === 'held-by-another' && this.holding) this.lose('lost');
    if (this.holding) return Math.max(0, Math.min(retryPeriodMs, this.holding.until - this.clock.now()));
    // Jitter only downwards, and look again exactly at expiry: a crashed leader is replaced
    // within leaseDurationMs + retryPeriodMs of its last renewal.
    const next = retryPeriodMs * (1 - 0.2 * Math.random());
    const expiry = outcome === 'held-by-another' ? this.expiresAt() - this.clock.now() : next;
    return Math.max(0, Math.min(next, expiry));
  }

  private async attemptOnce(signal: AbortSignal): Promise<Outcome> {
    const sentAt = this.clock.now();
    const me = this.identity;
    const seen = this.observation?.lease;
    // Fast path: the holder renews the version it wrote last, without reading first.
    if (this.holding && seen && seen.record.holderIdentity === me) {
      try {
        return this.wrote(await this.lock.update(seen, this.renewal(seen.record), signal), sentAt);
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
      }
    }
    const current = await this.lock.get(signal);
    if (!current) {
      try {
        return this.wrote(await this.lock.create(this.acquisition(0), signal), sentAt);
      } catch (e) {
        if (isAlreadyExists(e)) return 'failed';
        throw e;
      }
    }
    this.observe(current);
    const holder = current.record.holderIdentity;
    if (holder !== '' && holder !== me && this.clock.now() < this.expiresAt()) return 'held-by-another';
    const record =
      holder === me ? this.renewal(current.record) : this.acquisition(current.record.leaseTransitions + 1);
    try {
      return this.wrote(await this.lock.update(current, record, signal), sentAt);
    } catch (e) {
      // Someone wrote between our read and our write: they won this round.
      if (isConflict(e)) return 'failed';
      throw e;
    }
  }

  /** A successful write of ours: we hold the Lease until `sentAt + renewDeadlineMs`. */
  private wrote(written: ObservedLease, sentAt: number): Outcome {
    this.observe(written);
    const until = sentAt + this.timing.renewDeadlineMs;
    // The answer came after the deadline (the abort lost the race): not a term; campaign again.
    if (until <= this.clock.now()) return 'failed';
    this.holding = { sentAt, until };
    this.armDeadline();
    if (!this.term && !this.stopRequested) this.startTerm();
    return 'holding';
  }

  // Ends the term at the renew deadline even while a request hangs. A timer may fire a little
  // before the monotonic clock reaches the deadline: then it is armed again for the rest.
  private armDeadline(): void {
    if (this.deadlineTimer) this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    const holding = this.holding;
    if (!holding) return;
    this.deadlineTimer = this.clock.setTimeout(() => {
      if (this.holding === holding && this.holds()) this.armDeadline();
    }, holding.until - this.clock.now());
  }

  private observe(lease: ObservedLease): void {
    const prev = this.observation;
    const seed = this.options.observed;
    const changed = !prev || !sameRecord(prev.lease.record, lease.record);
    const at = !changed
      ? prev.at
      : !prev && seed && sameRecord(seed.record, lease.record)
        ? Math.min(seed.at, this.clock.now())
        : this.clock.now();
    this.observation = { lease, at };
    const holder = lease.record.holderIdentity;
    if (holder !== '' && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.callback(() => this.options.onNewLeader?.(holder));
    }
  }

  // When the observed holder's lease runs out, by the holder's own announced duration.
  private expiresAt(): number {
    const seen = this.observation;
    if (!seen) return Number.NEGATIVE_INFINITY;
    const seconds = seen.lease.record.leaseDurationSeconds;
    const ms = seconds > 0 ? seconds * 1000 : this.timing.leaseDurationMs;
    return seen.at + ms;
  }

  /** Whether the Lease is still ours; ends the term at once when the renew deadline has passed. */
  private holds(): boolean {
    if (!this.holding) return false;
    if (this.clock.now() < this.holding.until) return true;
    this.lose('renew-deadline');
    return false;
  }

  private acquisition(leaseTransitions: number): LeaderElectionRecord {
    const now = formatMicroTime(this.clock.date());
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: this.timing.leaseDurationMs / 1000,
      acquireTime: now,
      renewTime: now,
      leaseTransitions,
    };
  }

  private renewal(current: LeaderElectionRecord): LeaderElectionRecord {
    return {
      ...current,
      holderIdentity: this.identity,
      leaseDurationSeconds: this.timing.leaseDurationMs / 1000,
      renewTime: formatMicroTime(this.clock.date()),
    };
  }

  private startTerm(): void {
    const term = new AbortController();
    this.term = term;
    registerFence(term.signal, () => this.term === term && this.holds());
    const result = this.callback(() => this.options.onStartedLeading?.(term.signal));
    if (result && typeof result.then === 'function') {
      const work = result.then(
        () => undefined,
        (e: unknown) => this.options.onError?.(e),
      );
      this.work = work;
      void work.finally(() => {
        if (this.work === work) this.work = undefined;
        this.wakeUp();
      });
    }
  }

  /** Ends the term, if any: its signal aborts, then `onStoppedLeading` runs. */
  private endTerm(reason: StoppedLeadingReason, endedAt = this.clock.now()): void {
    const term = this.term;
    if (!term) return;
    this.term = undefined;
    term.abort(new LeadershipLostError(this.lock.description, this.identity, reason, endedAt));
    this.callback(() => this.options.onStoppedLeading?.(reason));
  }

  /** The Lease is no longer ours (or, with no reason, the elector is shutting down). */
  private lose(reason: StoppedLeadingReason | undefined): void {
    // A term never outlives its deadline, even when this process only notices later.
    const endedAt = Math.min(this.clock.now(), this.holding?.until ?? Number.POSITIVE_INFINITY);
    this.holding = undefined;
    if (this.deadlineTimer) this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.attempt?.abort(new Error('the renew deadline passed'));
    this.endTerm(reason ?? 'stopped', endedAt);
  }

  /** Writes an empty holder with a one-second duration: the others may take over at once. */
  private async release(): Promise<void> {
    const seen = this.observation?.lease;
    const holding = this.holding;
    if (!seen || !holding || seen.record.holderIdentity !== this.identity) return;
    const now = formatMicroTime(this.clock.date());
    const released: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: seen.record.leaseTransitions,
    };
    const abort = new AbortController();
    const timer = this.clock.setTimeout(() => abort.abort(), holding.until - this.clock.now());
    try {
      this.observe(await this.lock.update(seen, released, abort.signal));
    } catch (e) {
      this.lastErrorValue = e;
      this.options.onError?.(e);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private async pause(ms: number): Promise<void> {
    const controller = new AbortController();
    this.pauseController = controller;
    await sleep(this.clock, ms, controller.signal);
    this.pauseController = undefined;
  }

  private wakeUp(): void {
    this.pauseController?.abort();
  }

  // A callback that throws must not break the election.
  private callback<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.options.onError?.(e);
      return undefined;
    }
  }
}
