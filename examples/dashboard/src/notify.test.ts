import { describe, expect, it } from 'vitest';
import { atMostEvery, type FrameTimers } from './notify.js';

/** Timers driven by hand: `advance(ms)` runs the timeouts due, `nextFrame()` the frame callbacks. */
function handTimers() {
  let now = 0;
  let frames: (() => void)[] = [];
  let timeouts: { at: number; callback: () => void }[] = [];
  const timers: FrameTimers = {
    now: () => now,
    frame: (callback) => {
      frames.push(callback);
    },
    after: (ms, callback) => {
      timeouts.push({ at: now + ms, callback });
    },
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      const due = timeouts.filter((t) => t.at <= now);
      timeouts = timeouts.filter((t) => t.at > now);
      for (const t of due) t.callback();
    },
    nextFrame() {
      const due = frames;
      frames = [];
      for (const f of due) f();
    },
  };
}

describe('atMostEvery', () => {
  it('tells of a change after a quiet spell at the next frame', () => {
    const clock = handTimers();
    const schedule = atMostEvery(100, clock.timers);
    let flushes = 0;
    schedule(() => flushes++);
    expect(flushes).toBe(0);
    clock.nextFrame();
    expect(flushes).toBe(1);
    clock.advance(500);
    schedule(() => flushes++);
    clock.nextFrame();
    expect(flushes).toBe(2);
  });

  it('tells of changes that keep coming once per interval, at a frame', () => {
    const clock = handTimers();
    const schedule = atMostEvery(100, clock.timers);
    let flushes = 0;
    schedule(() => flushes++);
    clock.nextFrame();
    clock.advance(16);
    schedule(() => flushes++);
    clock.nextFrame();
    expect(flushes).toBe(1);
    clock.advance(50);
    clock.nextFrame();
    expect(flushes).toBe(1);
    clock.advance(34);
    expect(flushes).toBe(1);
    clock.nextFrame();
    expect(flushes).toBe(2);
  });
});
