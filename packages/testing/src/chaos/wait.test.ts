import { getEventListeners } from 'node:events';
import type { Accumulator } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { changedOrAborted } from './wait.js';

/** An accumulator whose change signal the test gives by hand. */
function handAccumulator() {
  let signalled: () => void = () => {};
  let pending = new Promise<void>((r) => {
    signalled = r;
  });
  const acc = { changed: () => pending } as unknown as Accumulator;
  return {
    acc,
    signal() {
      signalled();
      pending = new Promise<void>((r) => {
        signalled = r;
      });
    },
  };
}

describe('changedOrAborted', () => {
  it('resolves on the change signal, on the timer and on abort, and leaves no abort listener behind', async () => {
    const { acc, signal: change } = handAccumulator();
    const abort = new AbortController();
    for (let i = 0; i < 200; i++) await changedOrAborted(acc, abort.signal, 1);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    const waiting = changedOrAborted(acc, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(1);
    change();
    await waiting;
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    const last = changedOrAborted(acc, abort.signal);
    abort.abort();
    await last;
    await changedOrAborted(acc, abort.signal);
  });
});
