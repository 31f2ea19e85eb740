import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('starts at 0.8 s and doubles up to 30 s, with jitter between 1x and 2x', () => {
    const low = new Backoff({ random: () => 0 });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => low.failure(0))).toEqual([
      800, 1600, 3200, 6400, 12800, 25600, 30000, 30000,
    ]);
    const high = new Backoff({ random: () => 0.999 });
    expect(high.failure(0)).toBeCloseTo(1599.2);
  });

  it('starts again from 0.8 s after two minutes of health', () => {
    const b = new Backoff({ random: () => 0 });
    b.failure(0);
    b.failure(1000);
    expect(b.failure(2000)).toBe(3200);
    b.success(10_000);
    expect(b.failure(10_000 + 119_000)).toBe(6400);
    b.success(200_000);
    expect(b.failure(200_000 + 120_000)).toBe(800);
  });

  it('never waits less than a Retry-After floor', () => {
    expect(new Backoff({ random: () => 0 }).failure(0, 5000)).toBe(5000);
  });
});
