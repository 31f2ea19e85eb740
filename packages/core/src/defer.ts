/**
 * Runs `fn` on a later turn of the event loop, after pending I/O (`setImmediate` in Node, a
 * zero timeout in browsers): work that must not delay what runs now.
 */
export const defer: (fn: () => void) => void =
  typeof setImmediate === 'function' ? setImmediate : (fn) => setTimeout(fn, 0);
