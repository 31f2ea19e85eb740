import type { Clock, ClockTimer } from '../../clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * Time that moves only when a test says so. `advance` fires due timers in order and lets the
 * code they start run (`settle`) before looking for the next one, so an election can be stepped
 * through its retry periods and deadlines without waiting for them.
 */
export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Set<Timer>();
  constructor(
    private readonly settle: () => Promise<void> = flush,
    private readonly wallOrigin = Date.parse('2026-12-04T12:00:00Z'),
  ) {}

  now(): number {
    return this.t;
  }
  date(): Date {
    return new Date(this.wallOrigin + this.t);
  }
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(timer);
    return timer;
  }
  clearTimeout(timer: ClockTimer): void {
    this.timers.delete(timer as Timer);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, each followed by a settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await this.settle();
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next || next.at > end) break;
      this.timers.delete(next);
      this.t = Math.max(this.t, next.at);
      next.fn();
      await this.settle();
    }
    this.t = end;
    await this.settle();
  }
}

/** A clock that runs `rate` times as fast as `base`: the clock-rate skew of two machines. */
export class ScaledClock implements Clock {
  constructor(
    private readonly base: Clock,
    private readonly rate: number,
  ) {}
  now(): number {
    return this.base.now() * this.rate;
  }
  date(): Date {
    return this.base.date();
  }
  setTimeout(fn: () => void, ms: number): ClockTimer {
    return this.base.setTimeout(fn, ms / this.rate);
  }
  clearTimeout(timer: ClockTimer): void {
    this.base.clearTimeout(timer);
  }
}

/** Lets pending promise callbacks and I/O callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
