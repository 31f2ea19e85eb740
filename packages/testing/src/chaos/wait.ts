import type { Accumulator } from '@kates/core';

/**
 * Resolves on the first of: the accumulator's change signal, `signal` aborting, `ms` passing
 * (when given). Leaves no abort listener or timer behind. Why not `Promise.race` with a promise
 * of the abort: that promise lives for the whole run, and every race adds a reaction to it that
 * stays until the run ends, one per turn.
 */
export function changedOrAborted(acc: Accumulator, signal: AbortSignal, ms?: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      signal.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    if (ms !== undefined) timer = setTimeout(done, ms);
    void acc.changed().then(done);
  });
}
