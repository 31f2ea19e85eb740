import { act } from '@testing-library/react';

/** Resolves at the next animation frame (happy-dom runs frames as soon as the event loop is free). */
export function frame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/**
 * Makes a change and lets the next frame pass, inside `act`: the provider tells its components of
 * changes once per frame, so this is when a test can look at the result.
 */
export async function settle(change: () => void): Promise<void> {
  await act(async () => {
    change();
    await frame();
  });
}

/**
 * Frames driven by hand, for `<KatesProvider notify={frames.schedule}>`: flushes asked for wait
 * until `next()`, as they would wait for the browser's next animation frame.
 */
export class FrameClock {
  private queue: (() => void)[] = [];
  /** How many flushes were asked for, in all. */
  requested = 0;

  readonly schedule = (flush: () => void): void => {
    this.requested++;
    this.queue.push(flush);
  };

  /** Flushes waiting for a frame. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs one frame: the flushes asked for before it; those asked for during it wait for the next. */
  next(): void {
    const due = this.queue;
    this.queue = [];
    for (const flush of due) flush();
  }
}
