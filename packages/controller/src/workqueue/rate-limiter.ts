import { Backoff } from '@kates/core';
import type { Clock } from '../clock.js';
import { TokenBucket } from './token-bucket.js';

/**
 * Decides how long a key waits before it is retried (client-go's `workqueue.TypedRateLimiter`).
 * `when` is asked once per retry and counts it; `forget` clears what was counted for a key.
 */
export interface RateLimiter {
  /** The wait in ms before `key` is handed out again; counts one more retry of it. */
  when(key: string): number;
  /** Clears the retries of `key`: its next failure starts from the first delay again. */
  forget(key: string): void;
  /** Retries counted for `key` since it was last forgotten. */
  retries(key: string): number;
}

/** Options of {@link itemExponentialRateLimiter}. */
export interface ItemBackoffOptions {
  /** The first retry's wait, ms (default 5, as client-go). */
  readonly baseDelayMs?: number;
  /** The longest wait, ms (default 1 000 000: 1000 s, as client-go). */
  readonly maxDelayMs?: number;
}

/**
 * Per-key exponential backoff: the n-th retry of a key waits `base * 2^(n-1)`, at most `max`. Keys
 * do not share their failures. No jitter, as client-go's: the overall token bucket spreads retries.
 */
export function itemExponentialRateLimiter(options: ItemBackoffOptions = {}): RateLimiter {
  const initialMs = options.baseDelayMs ?? 5;
  const maxMs = options.maxDelayMs ?? 1_000_000;
  // The project's one backoff, with its jitter off and its reset-after-health disabled: a key's
  // backoff resets when the caller forgets it (a successful reconcile), not with time.
  const backoffs = new Map<string, Backoff>();
  return {
    when(key) {
      let b = backoffs.get(key);
      if (!b) {
        b = new Backoff({ initialMs, maxMs, resetAfterMs: Number.POSITIVE_INFINITY, random: () => 0 });
        backoffs.set(key, b);
      }
      return b.failure(0);
    },
    forget(key) {
      backoffs.delete(key);
    },
    retries(key) {
      return backoffs.get(key)?.attempts ?? 0;
    },
  };
}

/** Options of {@link bucketRateLimiter}. */
export interface BucketOptions {
  /** Retries a second over all keys (default 10, as client-go). */
  readonly qps?: number;
  /** Retries allowed at once before the rate applies (default 100, as client-go). */
  readonly burst?: number;
  readonly clock?: Clock;
}

/** One token bucket over all keys: bounds the retries of the whole queue, whatever their number. */
export function bucketRateLimiter(options: BucketOptions = {}): RateLimiter {
  const bucket = new TokenBucket({
    qps: options.qps ?? 10,
    burst: options.burst ?? 100,
    clock: options.clock,
  });
  return {
    when: () => bucket.reserve(),
    forget: () => {},
    retries: () => 0,
  };
}

/** Waits as long as the slowest of several limiters says (client-go's `MaxOfRateLimiter`). */
export function maxOfRateLimiters(...limiters: readonly RateLimiter[]): RateLimiter {
  return {
    when: (key) => limiters.reduce((longest, l) => Math.max(longest, l.when(key)), 0),
    forget: (key) => {
      for (const l of limiters) l.forget(key);
    },
    retries: (key) => limiters.reduce((most, l) => Math.max(most, l.retries(key)), 0),
  };
}

/** Options of {@link defaultControllerRateLimiter}. */
export interface ControllerRateLimiterOptions extends ItemBackoffOptions, BucketOptions {}

/**
 * client-go's default for controllers: per-key exponential backoff from 5 ms to 1000 s, and over
 * all keys a token bucket of 10 retries a second with a burst of 100; a key waits for the longer.
 */
export function defaultControllerRateLimiter(options: ControllerRateLimiterOptions = {}): RateLimiter {
  return maxOfRateLimiters(itemExponentialRateLimiter(options), bucketRateLimiter(options));
}
