import { TransportError } from '@kates/core';
import type { LeaseLock } from '../lease-lock.js';

/**
 * A lock that counts its calls in flight, so a fake-clock test can wait for real I/O to finish
 * before moving time on, and that can be partitioned: while `partitioned`, every call fails as a
 * dropped connection would.
 */
export class TrackedLock implements LeaseLock {
  inFlight = 0;
  partitioned = false;
  calls = { get: 0, create: 0, update: 0 };
  constructor(private readonly inner: LeaseLock) {}
  get description(): string {
    return this.inner.description;
  }
  get: LeaseLock['get'] = (signal) => this.track('get', () => this.inner.get(signal));
  create: LeaseLock['create'] = (record, signal) =>
    this.track('create', () => this.inner.create(record, signal));
  update: LeaseLock['update'] = (current, record, signal) =>
    this.track('update', () => this.inner.update(current, record, signal));

  private async track<T>(verb: 'get' | 'create' | 'update', call: () => Promise<T>): Promise<T> {
    this.calls[verb]++;
    this.inFlight++;
    try {
      if (this.partitioned)
        throw new TransportError(
          'connect ECONNREFUSED (test partition)',
          'test',
          verb,
          this.inner.description,
        );
      return await call();
    } finally {
      this.inFlight--;
    }
  }
}

/** A settle for FakeClock: waits until none of `locks` has a call in flight, then flushes callbacks. */
export function settleLocks(locks: readonly TrackedLock[]): () => Promise<void> {
  return async () => {
    const started = Date.now();
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((r) => setImmediate(r));
      if (locks.some((l) => l.inFlight > 0)) {
        quiet = 0;
        if (Date.now() - started > 10_000) throw new Error('a lease call did not finish within 10 s');
        await new Promise((r) => setTimeout(r, 1));
      } else quiet++;
    }
  };
}
