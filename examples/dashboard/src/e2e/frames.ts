import type { Page } from 'playwright-core';

/** Frame times of a page over a while, and the watch events its pods query received meanwhile. */
export interface FrameStats {
  readonly frames: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly events: number;
}

/** Measures requestAnimationFrame intervals for `ms`, reading the pods query's event counter before and after. */
export function measureFrames(page: Page, ms: number): Promise<FrameStats> {
  return page.evaluate(async (duration) => {
    const eventsOf = () =>
      Number((document.querySelector('[data-testid="status-pods"]') as HTMLElement).dataset.events);
    const before = eventsOf();
    const frames: number[] = [];
    let last = performance.now();
    const end = last + duration;
    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        frames.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    frames.sort((a, b) => a - b);
    return {
      frames: frames.length,
      p50: frames[frames.length >> 1] ?? 0,
      p95: frames[Math.floor(frames.length * 0.95)] ?? 0,
      max: frames.at(-1) ?? 0,
      events: eventsOf() - before,
    };
  }, ms);
}
