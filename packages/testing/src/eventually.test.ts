import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('returns the first value that satisfies the condition', async () => {
    let n = 0;
    await expect(
      eventually(
        'n reaches 3',
        async () => ++n,
        (v) => v >= 3,
        { intervalMs: 1 },
      ),
    ).resolves.toBe(3);
  });

  it('fails after the timeout naming what it waited for and the last value it saw', async () => {
    await expect(
      eventually(
        'ready',
        async () => ({ phase: 'Pending' }),
        (v) => v.phase === 'Ready',
        {
          timeoutMs: 20,
          intervalMs: 1,
        },
      ),
    ).rejects.toThrow('ready: not so after 20 ms; last seen: {"phase":"Pending"}');
  });

  it('retries only the errors it is told mean "not yet", and fails at once on any other', async () => {
    let n = 0;
    const notFoundTwice = async () => {
      if (++n <= 2) throw new Error('not found');
      return 'there';
    };
    await expect(
      eventually('there', notFoundTwice, undefined, {
        intervalMs: 1,
        retryOn: (e) => String(e).includes('not found'),
      }),
    ).resolves.toBe('there');
    await expect(eventually('boom', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('by default waits for a value that is neither undefined, null nor false', async () => {
    const values = [undefined, null, false, 0];
    await expect(
      eventually('a value', async () => values.shift(), undefined, { intervalMs: 1 }),
    ).resolves.toBe(0);
  });
});
