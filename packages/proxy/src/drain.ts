import type { Writable } from 'node:stream';

/**
 * Resolves when `stream` can take more (`drain`) or is gone (`close`), and leaves no listener
 * behind either way. Why not `Promise.race([once(s, 'drain'), once(s, 'close')])`: the losing
 * `once` keeps its listener until its event comes, so a long watch stream under backpressure
 * piles up one `close` listener per slow write.
 */
export function drainedOrClosed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
