import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nowMicros } from './stats.js';

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
