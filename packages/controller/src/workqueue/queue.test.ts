import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { WorkQueue } from './queue.js';
import { defaultControllerRateLimiter, itemExponentialRateLimiter } from './rate-limiter.js';

/** Takes every key that is due now, without waiting. */
async function takeDue(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.length > 0) keys.push((await queue.get()) as string);
  return keys;
}

describe('the work queue', () => {
  it('hands out a key added several times while it waits only once', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    queue.add('shop/web');
    queue.add('shop/api');
    queue.add('shop/web');
    queue.add('shop/web');
    expect(queue.length).toBe(2);
    expect(await takeDue(queue)).toEqual(['shop/web', 'shop/api']);
  });

  it('never hands a key to a second worker while the first holds it, and queues it again after done', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    queue.add('shop/web');
    const first = await queue.get();
    expect(first).toBe('shop/web');
    queue.add('shop/web');
    // The second worker waits: the key is dirty but held.
    let second: string | undefined | null = null;
    void queue.get().then((k) => {
      second = k;
    });
    await Promise.resolve();
    expect(second).toBeNull();
    expect(queue.length).toBe(0);
    queue.done('shop/web');
    await Promise.resolve();
    expect(second).toBe('shop/web');
  });

  it('forgets a key processed without a new add', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    queue.add('a');
    const key = (await queue.get()) as string;
    queue.done(key);
    expect(queue.length).toBe(0);
    expect(queue.inFlight).toBe(0);
  });

  it('hands out keys in the order they became due', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    for (const k of ['c', 'a', 'b']) queue.add(k);
    expect(await takeDue(queue)).toEqual(['c', 'a', 'b']);
  });

  it('wakes a waiting worker when a key is added', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    const got = queue.get();
    queue.add('late');
    expect(await got).toBe('late');
    expect(queue.inFlight).toBe(1);
  });

  it('hands a delayed key out only once its delay has passed, keeping the earlier of two delays', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock });
    queue.addAfter('x', 1000);
    queue.addAfter('x', 300);
    queue.addAfter('x', 5000);
    expect(queue.delayedCount).toBe(1);
    clock.advance(299);
    expect(queue.length).toBe(0);
    clock.advance(1);
    expect(await takeDue(queue)).toEqual(['x']);
    clock.advance(10_000);
    expect(queue.length).toBe(0);
  });

  it('adds at once for a delay that is not positive', () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    queue.addAfter('now', 0);
    queue.addAfter('negative', -5);
    expect(queue.length).toBe(2);
  });

  it('backs a failing key off 5 ms, 10 ms, 20 ms... and forget starts it again at 5 ms', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock, rateLimiter: itemExponentialRateLimiter() });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      queue.addRateLimited('flaky');
      const t0 = clock.now();
      let due = 0;
      while (queue.length === 0) {
        clock.advance(1);
        due = clock.now() - t0;
      }
      waits.push(due);
      queue.done((await queue.get()) as string);
    }
    expect(waits).toEqual([5, 10, 20, 40, 80]);
    expect(queue.numRequeues('flaky')).toBe(5);
    queue.forget('flaky');
    expect(queue.numRequeues('flaky')).toBe(0);
    queue.addRateLimited('flaky');
    clock.advance(4);
    expect(queue.length).toBe(0);
    clock.advance(1);
    expect(queue.length).toBe(1);
  });

  it("keeps one key's failures from slowing another key", () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock, rateLimiter: itemExponentialRateLimiter() });
    const limiter = itemExponentialRateLimiter();
    for (let i = 0; i < 10; i++) limiter.when('bad');
    expect(limiter.when('bad')).toBe(5 * 2 ** 10);
    expect(limiter.when('good')).toBe(5);
    expect(queue.numRequeues('good')).toBe(0);
  });

  it('caps the per-key backoff at 1000 s', () => {
    const limiter = itemExponentialRateLimiter();
    let last = 0;
    for (let i = 0; i < 40; i++) last = limiter.when('k');
    expect(last).toBe(1_000_000);
  });

  it('spaces retries of many keys 100 ms apart once the burst of 100 is spent (10/s overall)', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter({ clock });
    const waits = Array.from({ length: 103 }, (_, i) => limiter.when(`key-${i}`));
    // The first 100 keys only wait their own first backoff.
    expect(waits.slice(0, 100).every((w) => w === 5)).toBe(true);
    expect(waits.slice(100)).toEqual([100, 200, 300]);
    // The bucket refills with time.
    clock.advance(10_000);
    expect(limiter.when('later')).toBe(5);
  });

  it('takes the bucket qps and burst from its options', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter({ clock, qps: 2, burst: 1 });
    expect(limiter.when('a')).toBe(5);
    expect(limiter.when('b')).toBe(500);
    expect(limiter.when('c')).toBe(1000);
  });

  it('answers undefined to waiting workers at shutdown, ignores later adds and drops delayed keys', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock });
    const waiting = queue.get();
    queue.shutDown();
    expect(await waiting).toBeUndefined();
    queue.add('after');
    queue.addAfter('delayed', 10);
    expect(queue.length).toBe(0);
    expect(await queue.get()).toBeUndefined();

    const other = new WorkQueue({ clock });
    other.add('queued');
    other.addAfter('delayed', 10);
    other.shutDown();
    expect(other.length).toBe(0);
    expect(other.delayedCount).toBe(0);
    expect(clock.pending).toBe(0);
    expect(await other.get()).toBeUndefined();
  });

  it('resolves shutDownWithDrain only once every key handed out is done', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    queue.add('a');
    queue.add('b');
    const a = (await queue.get()) as string;
    const b = (await queue.get()) as string;
    queue.add('a'); // dirty while held: dropped at shutdown, not handed out again
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => {
      drained = true;
    });
    queue.done(a);
    await Promise.resolve();
    expect(drained).toBe(false);
    queue.done(b);
    await drain;
    expect(drained).toBe(true);
    expect(queue.length).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });

  it('refuses an empty key with an error naming the queue', () => {
    const queue = new WorkQueue({ name: 'routes', clock: new FakeClock() });
    expect(() => queue.add('')).toThrow(/work queue "routes": add needs a non-empty string key/);
    expect(() => queue.addAfter(undefined as unknown as string, 1)).toThrow(/got undefined/);
  });
});
