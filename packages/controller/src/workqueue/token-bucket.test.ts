import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { TokenBucket } from './token-bucket.js';

describe('the token bucket', () => {
  it('lets a burst through at once, then spaces reservations 1/qps apart in the order asked', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 4, burst: 2, clock });
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([
      0, 0, 250, 500,
    ]);
  });

  it('refills with time, never beyond its burst', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 10, burst: 3, clock });
    for (let i = 0; i < 3; i++) bucket.reserve();
    clock.advance(60_000);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0, 100]);
  });

  it('tryTake takes a token only when one is there, without going into debt', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 1, burst: 1, clock });
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(999);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it('refuses a qps that is not positive and a burst below 1, naming the option', () => {
    expect(() => new TokenBucket({ qps: 0, burst: 1 })).toThrow(/qps must be a positive number/);
    expect(() => new TokenBucket({ qps: 1, burst: 0.5 })).toThrow(/burst must be a whole number/);
  });
});
