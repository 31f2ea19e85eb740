/**
 * Waits `ms`, or less when `signal` aborts (then it resolves at once, without an error: the
 * caller checks `signal.aborted`). Leaves no timer or listener behind either way.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
