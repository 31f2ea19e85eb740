/**
 * A bounded queue between several producers and one async-iterating consumer. `push` resolves
 * once there is room, so a slow consumer slows the producers (and their sockets) instead of
 * buffering without limit. Closing ends the iteration after what is queued.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly room: (() => void)[] = [];
  private waiting: (() => void) | undefined;
  private closed = false;

  constructor(private readonly capacity: number) {}

  /** Items queued and not yet taken. */
  get size(): number {
    return this.items.length;
  }

  /** Queues an item; resolves when the queue has room again. Items pushed after close are dropped. */
  async push(item: T): Promise<void> {
    if (this.closed) return;
    this.items.push(item);
    this.wake();
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.room.push(resolve));
    }
  }

  /** Ends the iteration once the queued items are taken, and releases the producers. */
  close(): void {
    this.closed = true;
    this.wake();
    this.releaseProducers();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift() as T;
        if (this.items.length < this.capacity) this.releaseProducers();
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private releaseProducers(): void {
    for (const resolve of this.room.splice(0)) resolve();
  }
}
