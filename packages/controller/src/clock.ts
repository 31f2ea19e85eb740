/**
 * The one clock of the controller runtime: where the elector, the work queue, the rate limiters,
 * the Event recorder and the manager read the time and set timers. The system clock by default; a
 * {@link FakeClock} in tests, so that backoff, requeue-after and lease expiry are checked by moving
 * time, never by sleeping.
 *
 * A Lease's expiry is judged on {@link Clock.now}, a monotonic clock local to this process, never
 * on the Lease's timestamps (another machine's clock); {@link Clock.date} only fills the Lease's
 * `acquireTime` and `renewTime`, which are informational. Injectable so that tests can also run
 * clocks at different rates (the one kind of skew leader election cannot tolerate beyond a bound).
 */
export interface Clock {
  /** Monotonic milliseconds since an arbitrary origin (`performance.now()`). */
  now(): number;
  /** Wall-clock time, for the Lease's MicroTime fields. */
  date(): Date;
  /** Calls `fn` after `ms` milliseconds of this clock. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** A timer handle of a {@link Clock}; opaque. */
export type ClockTimer = { readonly __clockTimer?: never } | object;

/** The process's clocks: `performance.now()` and `new Date()`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` of `clock`, or at once when `signal` aborts. Never rejects. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

interface FakeTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** A 2026 instant, so that a fake clock's `date()` is a plausible wall-clock time. */
const EPOCH = Date.UTC(2026, 11, 4, 20, 0, 0);

/**
 * A clock that moves only when told to (client-go's `clock/testing.FakeClock`). `advance(ms)`
 * fires the timers that fall due, in time order, each seeing `now()` at its own due time. It also
 * has the leader elector's `date()`, so that one fake clock can drive a whole manager.
 */
export class FakeClock implements Clock {
  private time: number;
  private timers: FakeTimer[] = [];
  private nextId = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** The wall-clock time matching `now()`. */
  date(): Date {
    return new Date(EPOCH + this.time);
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer = { id: ++this.nextId, at: this.time + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: ClockTimer): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  /** Timers set and not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = end;
  }
}
