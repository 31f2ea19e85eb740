import { describe, expect, it } from 'vitest';
import { heapSlopeBytesPerMinute } from './heap.js';

const minutes = (values: number[]) => values.map((heapUsed, i) => ({ atMs: i * 60_000, heapUsed }));

describe('heapSlopeBytesPerMinute', () => {
  it('is the growth per minute of a heap that grows steadily', () => {
    expect(heapSlopeBytesPerMinute(minutes([1000, 2000, 3000, 4000]))).toBeCloseTo(1000);
  });

  it('is zero for a flat heap, and for a heap that only wobbles around a level', () => {
    expect(heapSlopeBytesPerMinute(minutes([5000, 5000, 5000]))).toBe(0);
    expect(Math.abs(heapSlopeBytesPerMinute(minutes([5000, 5400, 4600, 5400, 4600, 5000])))).toBeLessThan(
      100,
    );
  });

  it('is zero with fewer than two samples', () => {
    expect(heapSlopeBytesPerMinute([])).toBe(0);
    expect(heapSlopeBytesPerMinute(minutes([42]))).toBe(0);
  });
});
