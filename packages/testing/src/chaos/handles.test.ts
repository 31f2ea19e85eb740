import { describe, expect, it } from 'vitest';
import { activeResources, awaitNoLeaks, leakedSince } from './handles.js';

describe('leak detection by active resources', () => {
  it('names a timer left running, with its counts before and after', () => {
    const before = activeResources();
    const timer = setInterval(() => undefined, 60_000);
    try {
      const leaked = leakedSince(before);
      expect(leaked.map((l) => l.type)).toContain('Timeout');
      const timeout = leaked.find((l) => l.type === 'Timeout')!;
      expect(timeout.after).toBe(timeout.before + 1);
    } finally {
      clearInterval(timer);
    }
  });

  it('finds nothing once what was opened has closed, even if it closes a little later', async () => {
    const before = activeResources();
    const timer = setTimeout(() => undefined, 300);
    expect(leakedSince(before)).not.toEqual([]);
    expect(await awaitNoLeaks(before, 5000)).toEqual([]);
    clearTimeout(timer);
  });
});
