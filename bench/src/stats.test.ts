import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { minorPageFaults, nowMicros } from './stats.js';

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
