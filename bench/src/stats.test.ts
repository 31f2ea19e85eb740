import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { medianInterval, minorPageFaults, nowMicros } from './stats.js';

describe('nowMicros', () => {
  it('reads one clock in every process on the machine: a child process reads between two reads of its parent', () => {
    const before = nowMicros();
    const child = Number(
      execFileSync(
        process.execPath,
        ['-e', 'process.stdout.write(String(process.hrtime.bigint() / 1000n))'],
        {
          encoding: 'utf8',
        },
      ),
    );
    const after = nowMicros();
    expect(child).toBeGreaterThanOrEqual(before);
    expect(child).toBeLessThanOrEqual(after);
  });
});

describe('minorPageFaults', () => {
  it('counts the pages a fresh allocation touches for the first time', () => {
    const before = minorPageFaults();
    // 64 MB, written: thousands of 4 KB pages (or dozens of 2 MB ones) the process never had.
    const fresh = Buffer.allocUnsafe(64 * 1024 * 1024).fill(1);
    const after = minorPageFaults();
    expect(fresh.length).toBe(64 * 1024 * 1024);
    expect(after).toBeGreaterThan(before);
  });
});

describe('touchYoungGeneration', () => {
  /**
   * Page faults of 200 copies of a 10k-slot array (80 KB each, with some other garbage after each)
   * in a fresh process, after a full collection, with the young generation touched first or not.
   * A fresh process with a young generation of fixed size (32 MB): in one that has run other tests,
   * whether a collection gave its pages back varies, and in a fresh one it grows as it is used.
   */
  function faultsOfReads(touchFirst: boolean): number {
    const stats = new URL('../dist/stats.js', import.meta.url);
    if (!existsSync(stats))
      throw new Error(`${fileURLToPath(stats)} is missing: build first (npm run build)`);
    const script = `
      const { minorPageFaults, settledHeap, touchYoungGeneration } = await import(${JSON.stringify(stats.href)});
      const items = Array.from({ length: 10000 }, (_, i) => ({ i }));
      settledHeap();
      if (${touchFirst}) touchYoungGeneration();
      const before = minorPageFaults();
      let copy = [], garbage = [];
      for (let i = 0; i < 200; i++) {
        copy = Array.from(items);
        garbage = Array.from({ length: 50 }, (_, j) => ({ j, text: 'event ' + i + ' ' + j }));
      }
      // What the loop made stays observable, so no allocation of it can be optimized away.
      process.stdout.write(JSON.stringify({ faults: minorPageFaults() - before, held: copy.length + garbage.length }));`;
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--min-semi-space-size=16',
        '--max-semi-space-size=16',
        '--input-type=module',
        '-e',
        script,
      ],
      { encoding: 'utf8' },
    );
    const { faults, held } = JSON.parse(out) as { faults: number; held: number };
    expect(held).toBe(10_050);
    return faults;
  }

  it('leaves no page of the young generation untouched for the reads after it', () => {
    const untouched = faultsOfReads(false);
    const touched = faultsOfReads(true);
    // 200 reads of 80 KB pass over 16 MB of a fresh young generation: some 4,000 pages (4,095 in
    // a probe); once touched, 650 to 1,070, the old generation's (what the scavenges promote). A
    // consumer after its bootstrap, its young generation 67 or 134 MB: none in 1,200 reads.
    expect(untouched).toBeGreaterThan(3000);
    expect(touched).toBeLessThan(untouched / 2);
  });
});

describe('medianInterval', () => {
  it("gives the sign test's interval of the median", () => {
    const ten = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
    // n = 10: P(B < 2) = 0.011 <= 0.025 < P(B < 3) = 0.055, so x(2) to x(9) (covers 97.9%).
    expect(medianInterval(ten)).toEqual({ median: 5.5, lo: 2, hi: 9, n: 10 });
    // n = 100: x(40) to x(61), as the tables give.
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(medianInterval(hundred)).toMatchObject({ lo: 40, hi: 61 });
    // Too few for an interval: the whole range.
    expect(medianInterval([3, 1, 2])).toEqual({ median: 2, lo: 1, hi: 3, n: 3 });
    expect(medianInterval([]).n).toBe(0);
    // Large n, where 0.5^n underflows: still an interval around the middle.
    const many = Array.from({ length: 4000 }, (_, i) => i);
    const wide = medianInterval(many);
    expect(wide.lo).toBeGreaterThan(1900);
    expect(wide.hi).toBeLessThan(2100);
  });

  it('covers the median of a skewed population at least as often as asked', () => {
    // Exponential samples (median ln 2) of 41 values, from a fixed seed.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed + 0.5) / 2147483648;
    };
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const sample = Array.from({ length: 41 }, () => -Math.log(random()));
      const { lo, hi } = medianInterval(sample);
      if (lo <= Math.LN2 && Math.LN2 <= hi) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.94);
    expect(covered / trials).toBeLessThan(0.995);
  });
});
