import { InvalidInputError } from '@kates/core';
import { type Clock, type ClockTimer, systemClock } from '../clock.js';
import { type DeltaRouting, type DeltaSource, watchKeys } from './deltas.js';
import { splitKey } from './keys.js';
import { WorkQueue, type WorkQueueMetrics } from './queue.js';
import type { RateLimiter } from './rate-limiter.js';

/** What a reconciler is asked to do: bring one object (by key) to its desired state. */
export interface ReconcileRequest {
  /** `namespace/name`, or `name` for a cluster-scoped object. */
  readonly key: string;
  readonly namespace?: string;
  readonly name: string;
  /** Retries of this key since it last succeeded (0 on a first attempt). */
  readonly retries: number;
  /** Aborts when the controller stops and its shutdown deadline passes: give up, pass it to client calls. */
  readonly signal: AbortSignal;
}

/** What a reconciler answers; nothing means done, until the key changes again. */
export interface ReconcileResult {
  /** Reconcile again after this many ms (the key's backoff is reset, as on success). */
  readonly requeueAfter?: number;
  /** Reconcile again after the rate limiter's wait (the key's backoff grows, as on an error). */
  readonly requeue?: boolean;
}

/** Reconciles one key. Throwing retries it with backoff, unless it throws a {@link TerminalError}. */
export type Reconciler = (
  request: ReconcileRequest,
  // biome-ignore lint/suspicious/noConfusingVoidType: a reconciler with nothing to say returns nothing
) => Promise<ReconcileResult | undefined | void> | ReconcileResult | undefined | void;

/**
 * An error that retrying will not fix (an invalid spec): counted and logged, not retried until the
 * key changes again (controller-runtime's `reconcile.TerminalError`).
 */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

/** How one reconcile ended, as controller-runtime's `controller_runtime_reconcile_total{result}` says. */
export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/** What a controller tells its metrics. */
export interface ReconcileMetrics {
  /** The number of workers (controller-runtime's `max_concurrent_reconciles`). */
  workers(count: number): void;
  /** A worker started a reconcile. */
  started(): void;
  /** A reconcile ended after `seconds`; `terminal` for a {@link TerminalError}. */
  finished(outcome: ReconcileOutcome, seconds: number, terminal: boolean): void;
}

/** Options of a {@link Controller}. */
export interface ControllerOptions {
  /** Names the controller in logs and metrics labels: letters, digits, `-`, `_`, `.`; at most 63. */
  readonly name: string;
  readonly reconcile: Reconciler;
  /** Keys reconciled at once (default 1). A key is never reconciled by two workers at once. */
  readonly maxConcurrentReconciles?: number;
  /** How long failed keys wait; per-key 5 ms..1000 s under 10/s burst 100 by default. */
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  readonly queueMetrics?: WorkQueueMetrics;
  readonly metrics?: ReconcileMetrics;
  /** Where failures are reported; `console.error` by default. */
  readonly log?: (line: string) => void;
}

/** What {@link Controller.stop} found. */
export interface ControllerStopReport {
  /** Every reconcile in flight finished before the deadline. */
  readonly finished: boolean;
  /** Keys still being reconciled at the deadline (their signal was aborted). */
  readonly abandoned: readonly string[];
  readonly durationMs: number;
}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/** Checks a name that ends up as a metrics label value: code-chosen, short, and printable. */
export function checkControllerName(name: string, what = 'controller'): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidInputError(
      `${what} name ${JSON.stringify(name)} is not valid: use 1 to 63 letters, digits, "-", "_" or "." ` +
        '(it names the metrics series, so it must be a fixed name chosen in code, never data)',
      what,
      'name',
    );
  }
}

/**
 * Per-object reconciliation over a {@link WorkQueue}: `maxConcurrentReconciles` workers take keys,
 * call the reconciler, and requeue as its result says (controller-runtime's controller):
 *
 * | reconciler                  | the key                                  | result label    |
 * |-----------------------------|------------------------------------------|-----------------|
 * | returns nothing             | forgotten (backoff reset)                | `success`       |
 * | `{ requeueAfter: ms }`      | forgotten, added again after `ms`        | `requeue_after` |
 * | `{ requeue: true }`         | added again after its backoff            | `requeue`       |
 * | throws                      | added again after its backoff            | `error`         |
 * | throws a `TerminalError`    | forgotten, not retried                   | `error`         |
 */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly reconciler: Reconciler;
  private readonly concurrency: number;
  private readonly clock: Clock;
  private readonly metrics: ReconcileMetrics | undefined;
  private readonly log: (line: string) => void;
  private readonly abort = new AbortController();
  private readonly sources: { acc: DeltaSource; routing: DeltaRouting }[] = [];
  private readonly active = new Set<string>();
  private workers: Promise<void>[] = [];
  private stopping: Promise<ControllerStopReport> | undefined;

  constructor(options: ControllerOptions) {
    checkControllerName(options.name);
    if (typeof options.reconcile !== 'function') {
      throw new InvalidInputError(
        `controller "${options.name}": reconcile must be a function (request) => result`,
        'controller',
        'reconcile',
      );
    }
    const concurrency = options.maxConcurrentReconciles ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidInputError(
        `controller "${options.name}": maxConcurrentReconciles must be a whole number of at least 1, got ${concurrency}`,
        'controller',
        'maxConcurrentReconciles',
      );
    }
    this.name = options.name;
    this.reconciler = options.reconcile;
    this.concurrency = concurrency;
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics;
    this.log = options.log ?? ((line) => console.error(line));
    this.queue = new WorkQueue({
      name: options.name,
      clock: this.clock,
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
      ...(options.queueMetrics ? { metrics: options.queueMetrics } : {}),
    });
  }

  /** Whether `start` was called. */
  get started(): boolean {
    return this.workers.length > 0;
  }

  /** Keys being reconciled now. */
  get inFlight(): readonly string[] {
    return [...this.active];
  }

  /**
   * Feeds the queue from an accumulator's deltas once the controller starts (see `watchKeys`).
   * An accumulator feeds one controller: its change signal is consumed by one reader.
   */
  watch(acc: DeltaSource, routing: DeltaRouting): this {
    if (this.started) {
      throw new InvalidInputError(
        `controller "${this.name}": watch() must be called before start()`,
        'watch',
        'accumulator',
      );
    }
    this.sources.push({ acc, routing });
    return this;
  }

  /** Queues a key for reconciliation (deduplicated). */
  add(key: string): void {
    this.queue.add(key);
  }

  /** Starts the workers and the feeds. Idempotent. */
  start(): void {
    if (this.started || this.stopping) return;
    this.metrics?.workers(this.concurrency);
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.work());
    for (const { acc, routing } of this.sources) {
      watchKeys(acc, this.queue, routing).done.catch((e: unknown) => {
        this.log(`controller "${this.name}": a watch feeding its queue failed: ${(e as Error).message}`);
      });
    }
  }

  /**
   * Stops taking work, lets the reconciles in flight finish until `deadlineMs` (default 30 s),
   * then aborts their signal and returns. Idempotent: every call gets the same report.
   */
  stop(deadlineMs = 30_000): Promise<ControllerStopReport> {
    this.stopping ??= this.drain(deadlineMs);
    return this.stopping;
  }

  private async drain(deadlineMs: number): Promise<ControllerStopReport> {
    const t0 = this.clock.now();
    const drained = this.queue.shutDownWithDrain();
    let timer: ClockTimer | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = this.clock.setTimeout(() => resolve('deadline'), deadlineMs);
    });
    const outcome = await Promise.race([drained.then(() => 'drained' as const), deadline]);
    if (timer) this.clock.clearTimeout(timer);
    const abandoned = [...this.active];
    if (outcome === 'deadline') {
      this.abort.abort(
        new Error(`controller "${this.name}" stopped: its shutdown deadline of ${deadlineMs} ms passed`),
      );
    }
    return { finished: outcome === 'drained', abandoned, durationMs: this.clock.now() - t0 };
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      await this.reconcileOne(key);
    }
  }

  private async reconcileOne(key: string): Promise<void> {
    const t0 = this.clock.now();
    this.active.add(key);
    this.metrics?.started();
    let outcome: ReconcileOutcome = 'success';
    let terminal = false;
    const retries = this.queue.numRequeues(key);
    try {
      const result = await this.reconciler({ key, ...splitKey(key), retries, signal: this.abort.signal });
      if (result && typeof result.requeueAfter === 'number' && result.requeueAfter > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, result.requeueAfter);
        outcome = 'requeue_after';
      } else if (result?.requeue) {
        this.queue.addRateLimited(key);
        outcome = 'requeue';
      } else {
        this.queue.forget(key);
      }
    } catch (e) {
      outcome = 'error';
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof TerminalError) {
        terminal = true;
        this.queue.forget(key);
        this.log(`controller "${this.name}": reconcile "${key}" failed for good, not retried: ${message}`);
      } else {
        this.queue.addRateLimited(key);
        this.log(`controller "${this.name}": reconcile "${key}" failed (retry ${retries + 1}): ${message}`);
      }
    } finally {
      this.active.delete(key);
      this.queue.done(key);
      this.metrics?.finished(outcome, (this.clock.now() - t0) / 1000, terminal);
    }
  }
}
