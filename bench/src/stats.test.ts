import { execFileSync } from 'node:child_process';
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
