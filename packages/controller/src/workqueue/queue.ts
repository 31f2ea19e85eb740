import { InvalidInputError } from '@kates/core';
import { type Clock, type ClockTimer, systemClock } from '../clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/**
 * What a work queue tells its metrics (client-go's `queueMetrics`). Keys are passed so that a sink
 * can time each one; a sink must not put them in labels (they are unbounded).
 */
export interface WorkQueueMetrics {
  /** A key became due: counted in depth and adds; its wait starts. */
  add(key: string): void;
  /** A worker took the key: its wait ends, its work starts. */
  get(key: string): void;
  /** The worker finished the key. */
  done(key: string): void;
  /** A key was put back by `addRateLimited`. */
  retry(): void;
  /** The queue shut down with the key still waiting: it will not be handed out. */
  discard(key: string): void;
}

/** Options of a {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** Names the queue in errors and metrics. */
  readonly name?: string;
  /** How long `addRateLimited` waits; {@link defaultControllerRateLimiter} by default. */
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  readonly metrics?: WorkQueueMetrics;
}

interface Delayed {
  readonly at: number;
  readonly timer: ClockTimer;
}

/**
 * A keyed work queue with client-go's semantics, for controllers that work per object.
 *
 * Guarantees, stated once:
 * - **Dedup**: a key added while it waits is queued once (`adds` of a waiting key are free).
 * - **One worker per key**: a key is never handed out while a worker holds it. Added meanwhile, it
 *   is marked dirty and queued again when the worker calls `done`, so the change is not lost.
 * - **Fairness**: keys are handed out in the order they became due.
 * - **Delays**: `addAfter` keeps the earliest due time of a key; `addRateLimited` waits as the
 *   rate limiter says (per-key exponential backoff under an overall token bucket by default), and
 *   `forget` resets a key's backoff, to be called when it was processed successfully.
 * - **Shutdown**: `shutDown` stops taking work: adds are ignored, waiting keys and delayed keys are
 *   dropped, and `get` answers `undefined`. Unlike client-go, whose `Get` still hands out what was
 *   queued, nothing more is handed out: a controller lists everything again when it next starts.
 *   `shutDownWithDrain` also waits until the workers have called `done` on every key they hold.
 */
export class WorkQueue {
  readonly name: string;
  private readonly rateLimiter: RateLimiter;
  private readonly clock: Clock;
  private readonly metrics: WorkQueueMetrics | undefined;
  /** Keys due, in order, from `head` on (shifting an array is O(n); an index is not). */
  private items: string[] = [];
  private head = 0;
  /** Keys that need processing: those in `items` and those added while being processed. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, Delayed>();
  private getters: ((key: string | undefined) => void)[] = [];
  private drainers: (() => void)[] = [];
  private shutting = false;

  constructor(options: WorkQueueOptions = {}) {
    this.name = options.name ?? 'workqueue';
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter({ clock: this.clock });
    this.metrics = options.metrics;
  }

  /** Keys due and waiting for a worker (not those delayed, nor those being processed). */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Keys a worker holds now. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Keys waiting for their `addAfter` or `addRateLimited` delay. */
  get delayedCount(): number {
    return this.delayed.size;
  }

  /** Whether `shutDown` was called. */
  get shuttingDown(): boolean {
    return this.shutting;
  }

  /** Marks `key` as needing processing. */
  add(key: string): void {
    this.check(key, 'add');
    if (this.shutting || this.dirty.has(key)) return;
    this.metrics?.add(key);
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const getter = this.getters.shift();
    if (getter) this.handOut(key, getter);
    else this.items.push(key);
  }

  /** Adds `key` after `delayMs` (at once when not positive). A key already delayed keeps the earlier time. */
  addAfter(key: string, delayMs: number): void {
    this.check(key, 'addAfter');
    if (this.shutting) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + delayMs;
    const current = this.delayed.get(key);
    if (current && current.at <= at) return;
    if (current) this.clock.clearTimeout(current.timer);
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { at, timer });
  }

  /** Adds `key` after the wait its rate limiter gives (a retry: counted in `numRequeues`). */
  addRateLimited(key: string): void {
    this.check(key, 'addRateLimited');
    if (this.shutting) return;
    this.metrics?.retry();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets the backoff of `key`; call it when the key was processed successfully. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** Retries of `key` since it was last forgotten. */
  numRequeues(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /**
   * The next key to process, once one is due; `undefined` once the queue shuts down. The caller
   * holds the key until it calls {@link WorkQueue.done} with it, and must call it, even on failure.
   */
  get(): Promise<string | undefined> {
    if (this.shutting) return Promise.resolve(undefined);
    if (this.head < this.items.length) {
      const key = this.items[this.head++] as string;
      this.compact();
      return new Promise((resolve) => this.handOut(key, resolve));
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends the processing of `key`. If it was added meanwhile, it is queued again. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    this.metrics?.done(key);
    if (this.dirty.has(key)) {
      if (this.shutting) {
        this.dirty.delete(key);
        this.metrics?.discard(key);
      } else {
        const getter = this.getters.shift();
        if (getter) this.handOut(key, getter);
        else this.items.push(key);
      }
    }
    if (this.processing.size === 0) this.releaseDrainers();
  }

  /** Stops taking work: see the class comment. Workers waiting in `get` receive `undefined`. */
  shutDown(): void {
    if (this.shutting) return;
    this.shutting = true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
    for (let i = this.head; i < this.items.length; i++) {
      const key = this.items[i] as string;
      this.dirty.delete(key);
      this.metrics?.discard(key);
    }
    this.items = [];
    this.head = 0;
    const getters = this.getters;
    this.getters = [];
    for (const g of getters) g(undefined);
    if (this.processing.size === 0) this.releaseDrainers();
  }

  /** Shuts down, then resolves once every key handed out has been marked done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private handOut(key: string, to: (key: string) => void): void {
    this.dirty.delete(key);
    this.processing.add(key);
    this.metrics?.get(key);
    to(key);
  }

  private releaseDrainers(): void {
    const drainers = this.drainers;
    this.drainers = [];
    for (const d of drainers) d();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private check(key: string, verb: string): void {
    if (typeof key !== 'string' || key === '') {
      throw new InvalidInputError(
        `work queue "${this.name}": ${verb} needs a non-empty string key such as "namespace/name", got ${
          typeof key === 'string' ? 'an empty string' : typeof key
        }`,
        verb,
        'key',
      );
    }
  }
}
