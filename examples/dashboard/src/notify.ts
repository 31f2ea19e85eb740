/** The timers {@link atMostEvery} waits with: the browser's, or a test's. */
export interface FrameTimers {
  now(): number;
  frame(callback: () => void): void;
  after(ms: number, callback: () => void): void;
}

const browserTimers: FrameTimers = {
  now: () => performance.now(),
  frame: (callback) => requestAnimationFrame(() => callback()),
  after: (ms, callback) => setTimeout(callback, ms),
};

/**
 * A `notify` schedule for `<KatesProvider>`: the page hears of changes at an animation frame, as
 * with the default `'frame'`, but no sooner than `intervalMs` after it last did. A change after a
 * quiet spell shows at the next frame; a stream of changes (30k pods, 100 changes a second) shows
 * `1000 / intervalMs` times a second instead of at every frame. Each time the page hears, the
 * store copies the changed query's sorted items (30k references) and the hooks compare the new
 * array with the last one: at every frame that was most of what the page allocated, and the
 * collections it caused were the longest frames the page had of its own.
 */
export function atMostEvery(intervalMs: number, timers: FrameTimers = browserTimers) {
  let last = Number.NEGATIVE_INFINITY;
  return (flush: () => void): void => {
    const atFrame = () =>
      timers.frame(() => {
        last = timers.now();
        flush();
      });
    const wait = last + intervalMs - timers.now();
    if (wait > 0) timers.after(wait, atFrame);
    else atFrame();
  };
}
