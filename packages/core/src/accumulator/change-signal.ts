/**
 * What the signal compares to know whether the consumer has read everything: one value per query
 * whose identity changes exactly when the query's data does (its members tree).
 */
export type DataVersions = readonly unknown[];

/**
 * The change signal of an accumulator: a level, not a queue (Go kates' channel of one).
 *
 * - It rises once bootstrap is done, and then whenever the store holds data the consumer has not
 *   read; reading (`read()`) lowers it. However many changes land meanwhile, it is one pending
 *   signal, and the consumer reads them all at once: backpressure comes from the consumer.
 * - It rises at once: a consumer waiting in `changed()` resumes in the same macrotask as the store
 *   change that raised it (its promise settles in that turn's microtasks), so the changes of one
 *   dispatch, one watch chunk or one list page, are seen together, and no clock adds latency.
 * - With an `interval`, it rises at most once per interval: a change within the interval after a
 *   rise waits for its end (an isolated change still rises at once).
 */
export class ChangeSignal {
  private ready = false;
  /** Raised and not read since. */
  private raised = false;
  private lastRaise = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What the consumer has read. */
  private seen: DataVersions;
  /** At most one: every caller of `changed()` shares `waiting`, so asking often costs nothing. */
  private waiters: (() => void)[] = [];
  private waiting: Promise<void> | undefined;
  /** Whether the consumer read during the current `for await` turn. */
  private readThisTurn = false;
  private closed = false;

  constructor(
    /** The data now. */
    private readonly current: () => DataVersions,
    /** Least time between two rises, in ms; 0 for none. */
    private readonly interval: number,
  ) {
    this.seen = current();
  }

  /** Whether bootstrap is done. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Bootstrap is done: the first rise, given even when every query is empty. */
  bootstrapped(): void {
    if (this.ready) return;
    this.ready = true;
    this.schedule();
  }

  /** The store changed: rises if it now holds data the consumer has not read. */
  storeChanged(): void {
    if (this.ready && !this.raised && this.unseen()) this.schedule();
  }

  /**
   * The consumer read everything there is now (`now`, when the caller has it from `current`): the
   * level falls.
   */
  read(now: DataVersions = this.current()): void {
    this.raised = false;
    this.readThisTurn = true;
    this.seen = now;
  }

  /**
   * Resolves when bootstrap is done and the store holds data the consumer has not read (at once
   * if that is already so). After `close()` it resolves at once.
   */
  changed(): Promise<void> {
    if (this.raised || this.closed) return Promise.resolve();
    this.waiting ??= new Promise((resolve) => this.waiters.push(resolve));
    return this.waiting;
  }

  /**
   * One turn per rise, until closed. A turn in which the consumer did not read still counts what
   * was there at the rise as seen; changes that arrived during the turn get a turn of their own.
   */
  async *turns(): AsyncGenerator<void, void, undefined> {
    while (!this.closed) {
      await this.changed();
      if (this.closed) return;
      const atRise = this.current();
      this.readThisTurn = false;
      yield;
      if (!this.readThisTurn) {
        this.seen = atRise;
        this.raised = false;
        if (this.unseen()) this.schedule();
      }
    }
  }

  /** Resolves every waiter, ends every `for await`, frees the timer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wake();
  }

  private unseen(): boolean {
    const now = this.current();
    const seen = this.seen;
    for (let i = 0; i < now.length; i++) if (now[i] !== seen[i]) return true;
    return false;
  }

  /**
   * Rises now, or at the end of the current interval. Its callers have just found unseen data (or
   * bootstrap is done), so a rise now checks nothing again; without an interval it reads no clock.
   */
  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = this.interval > 0 ? this.lastRaise + this.interval - Date.now() : 0;
    if (wait <= 0) this.rise();
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        // A delayed rise for changes the consumer has read meanwhile would carry nothing.
        if (this.unseen()) this.rise();
      }, wait);
  }

  private rise(): void {
    if (this.interval > 0) this.lastRaise = Date.now();
    this.raised = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.waiting = undefined;
    for (const w of waiters) w();
  }
}
