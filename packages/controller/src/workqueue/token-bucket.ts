import { InvalidInputError } from '@kates/core';
import { type Clock, systemClock } from '../clock.js';

/** Options of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly qps: number;
  /** Tokens the bucket holds at most, and holds at the start. */
  readonly burst: number;
  readonly clock?: Clock;
}

/**
 * A token bucket with reservations, as Go's `rate.Limiter`: `reserve()` always takes a token, and
 * answers how long the caller must wait before using it. Tokens may go below zero, so callers that
 * reserve in a burst are spaced `1/qps` apart, in the order they asked.
 */
export class TokenBucket {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: TokenBucketOptions) {
    const { qps, burst } = options;
    if (!(qps > 0) || !Number.isFinite(qps)) {
      throw new InvalidInputError(
        `token bucket: qps must be a positive number of tokens a second, got ${qps}`,
        'TokenBucket',
        'qps',
      );
    }
    if (!Number.isInteger(burst) || burst < 1) {
      throw new InvalidInputError(
        `token bucket: burst must be a whole number of at least 1, got ${burst}`,
        'TokenBucket',
        'burst',
      );
    }
    this.qps = qps;
    this.burst = burst;
    this.clock = options.clock ?? systemClock;
    this.tokens = burst;
    this.last = this.clock.now();
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
  }

  /** Takes a token; returns the wait in ms before it may be used (0: at once). */
  reserve(): number {
    this.refill(this.clock.now());
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  /** Takes a token only when one is there now; never goes into debt. */
  tryTake(): boolean {
    this.refill(this.clock.now());
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
