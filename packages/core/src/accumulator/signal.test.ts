import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KubernetesObject } from '../model/object.js';
import { pod } from '../store/__fixtures__/store.js';
import { TestHost } from './__fixtures__/host.js';
import { type Accumulator, createAccumulator } from './accumulator.js';
import type { Delta } from './delta.js';

/** Counts how many times `changed()` resolves for a consumer that waits again at once. */
function countSignals(acc: Accumulator): { readonly count: number; stop(): void } {
  let count = 0;
  let stopped = false;
  void (async () => {
    for (;;) {
      await acc.changed();
      if (stopped) return;
      count++;
      acc.update({});
    }
  })();
  return {
    get count() {
      return count;
    },
    stop: () => {
      stopped = true;
    },
  };
}

/** How many promises the change signal of `acc` holds for waiting consumers (private). */
function waitersOf(acc: Accumulator): number {
  return (acc as unknown as { signal: { waiters: unknown[] } }).signal.waiters.length;
}

async function ready(interval: number) {
  const host = new TestHost();
  const acc: Accumulator = createAccumulator(host, [{ name: 'pods', kind: 'pods' }], { interval });
  await host.settled();
  host.list(acc, 'pods', '100', []);
  return { host, acc };
}

describe('the change signal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('signals an isolated change at once', async () => {
    const { host, acc } = await ready(1000);
    const signals = countSignals(acc);
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.count).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '101' })]);
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.count).toBe(2);
    signals.stop();
    acc.close();
  });

  it('gives one signal for a burst of 10 events within the interval', async () => {
    const { host, acc } = await ready(1000);
    const signals = countSignals(acc);
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.count).toBe(1);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(20);
      host.events(acc, 'pods', ['ADDED', pod(`p${i}`, { rv: String(101 + i) })]);
    }
    expect(signals.count).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(signals.count).toBe(2);
    const snap: { pods?: readonly KubernetesObject[] } = {};
    acc.update(snap);
    expect(snap.pods).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(signals.count).toBe(2);
    signals.stop();
    acc.close();
  });

  it('gives one signal for a burst dispatched all at once after a quiet period', async () => {
    const { host, acc } = await ready(1000);
    const signals = countSignals(acc);
    await vi.advanceTimersByTimeAsync(5000);
    expect(signals.count).toBe(1);
    for (let i = 0; i < 10; i++) host.events(acc, 'pods', ['ADDED', pod(`p${i}`, { rv: String(101 + i) })]);
    await vi.advanceTimersByTimeAsync(10_000);
    // The consumer read all ten at the first signal: a second one would carry nothing new.
    expect(signals.count).toBe(2);
    signals.stop();
    acc.close();
  });

  it('is a level, not a queue: a consumer that never reads holds one pending signal', async () => {
    const { host, acc } = await ready(10);
    const first = acc.changed();
    for (let i = 0; i < 10_000; i++) {
      host.events(acc, 'pods', ['ADDED', pod(`p${i % 100}`, { rv: String(101 + i) })]);
      if (i % 1000 === 0) await vi.advanceTimersByTimeAsync(15);
      // Waiters, however often changed() is asked, never pile up.
      void acc.changed();
      expect(waitersOf(acc)).toBeLessThanOrEqual(1);
    }
    await vi.advanceTimersByTimeAsync(15);
    await first;
    expect(waitersOf(acc)).toBe(0);
    const snap: { pods?: readonly { metadata?: { resourceVersion?: string } }[] } = {};
    expect(acc.update(snap)).toBe(true);
    // The newest state, not a queue of old ones.
    expect(snap.pods).toHaveLength(100);
    expect(snap.pods?.map((p) => Number(p.metadata?.resourceVersion)).sort((a, b) => b - a)[0]).toBe(10_100);
    // Nothing is pending once read.
    let resolved = false;
    void acc.changed().then(() => (resolved = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(resolved).toBe(false);
    acc.close();
  });

  it('keeps one waiter however often changed() is asked before a change', async () => {
    const { host, acc } = await ready(10);
    acc.update({});
    const all = Array.from({ length: 1000 }, () => acc.changed());
    expect(waitersOf(acc)).toBeLessThanOrEqual(1);
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '101' })]);
    await vi.advanceTimersByTimeAsync(20);
    await Promise.all(all);
    expect(waitersOf(acc)).toBe(0);
    acc.close();
  });

  it('does not signal a change that the consumer already read', async () => {
    const { host, acc } = await ready(1000);
    const signals = countSignals(acc);
    await vi.advanceTimersByTimeAsync(0);
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '101' })]);
    host.events(acc, 'pods', ['ADDED', pod('b', { rv: '102' })]);
    // Read before the trailing signal is due.
    acc.update({});
    await vi.advanceTimersByTimeAsync(5000);
    expect(signals.count).toBe(1);
    signals.stop();
    acc.close();
  });

  it('does not signal a change that readDeltas already read', async () => {
    const { host, acc } = await ready(1000);
    const signals = countSignals(acc);
    await vi.advanceTimersByTimeAsync(0);
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '101' })]);
    host.events(acc, 'pods', ['ADDED', pod('b', { rv: '102' })]);
    acc.readDeltas({}, []);
    await vi.advanceTimersByTimeAsync(5000);
    expect(signals.count).toBe(1);
    signals.stop();
    acc.close();
  });

  it('does not signal a change that does not touch its queries', async () => {
    const host = new TestHost();
    const acc: Accumulator = createAccumulator(
      host,
      [{ name: 'web', kind: 'pods', labelSelector: 'app=web' }],
      { interval: 10 },
    );
    await host.settled();
    host.list(acc, 'web', '100', []);
    const signals = countSignals(acc);
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.count).toBe(1);
    host.events(acc, 'web', ['ADDED', pod('a', { rv: '101', labels: { app: 'web' } })]);
    await vi.advanceTimersByTimeAsync(50);
    expect(signals.count).toBe(2);
    // A bookmark and a duplicate event change nothing a snapshot shows.
    host.events(acc, 'web', ['MODIFIED', pod('a', { rv: '101', labels: { app: 'web' } })]);
    host.store.dispatch({
      type: 'kates/watchEvents',
      payload: {
        key: host.keyOf(acc, 'web'),
        events: [{ type: 'BOOKMARK', object: { metadata: { resourceVersion: '200' } } }],
      },
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(signals.count).toBe(2);
    signals.stop();
    acc.close();
  });

  it('wakes a waiting consumer before the next macrotask, by default', async () => {
    vi.useRealTimers();
    const host = new TestHost();
    const acc: Accumulator = createAccumulator(host, [{ name: 'pods', kind: 'pods' }]);
    await host.settled();
    host.list(acc, 'pods', '100', []);
    acc.update({});
    const order: string[] = [];
    void acc.changed().then(() => order.push('woken'));
    setTimeout(() => order.push('timer'), 0);
    setImmediate(() => order.push('immediate'));
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '101' })]);
    await new Promise((r) => setTimeout(r, 10));
    expect(order[0]).toBe('woken');
    acc.close();
  });

  it('gives a busy consumer everything that happened meanwhile in one update, by default', async () => {
    const host = new TestHost();
    const acc: Accumulator = createAccumulator(host, [{ name: 'pods', kind: 'pods' }]);
    await host.settled();
    host.list(acc, 'pods', '100', []);
    const snap: { pods?: readonly KubernetesObject[] } = {};
    acc.update(snap);
    // The consumer is reconciling: changes arrive over several turns of the event loop.
    for (let i = 0; i < 50; i++) {
      host.events(acc, 'pods', ['ADDED', pod(`p${i}`, { rv: String(101 + i) })]);
      await vi.advanceTimersByTimeAsync(3);
    }
    let signals = 0;
    const deltas: Delta[] = [];
    await acc.changed();
    signals++;
    expect(acc.updateWithDeltas(snap, deltas)).toBe(true);
    expect(snap.pods).toHaveLength(50);
    expect(deltas).toHaveLength(50);
    // Nothing is left pending once read.
    void acc.changed().then(() => signals++);
    await vi.advanceTimersByTimeAsync(1000);
    expect(signals).toBe(1);
    acc.close();
  });

  it('wakes once for the events of one dispatch', async () => {
    const { host, acc } = await ready(0);
    const signals = countSignals(acc);
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.count).toBe(1);
    host.events(
      acc,
      'pods',
      ...Array.from({ length: 10 }, (_, i): ['ADDED', KubernetesObject] => [
        'ADDED',
        pod(`p${i}`, { rv: String(101 + i) }),
      ]),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.count).toBe(2);
    signals.stop();
    acc.close();
  });

  it('ends `for await` iteration on close()', async () => {
    vi.useRealTimers();
    const { host, acc } = await ready(1);
    const seen: number[] = [];
    const loop = (async () => {
      for await (const _ of acc) {
        const snap: { pods?: readonly KubernetesObject[] } = {};
        acc.update(snap);
        seen.push(snap.pods?.length ?? -1);
        if (seen.length === 2) acc.close();
      }
      return 'ended';
    })();
    await new Promise((r) => setTimeout(r, 5));
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '101' })]);
    await expect(loop).resolves.toBe('ended');
    expect(seen).toEqual([0, 1]);
  });

  it('gives a change that arrives during a `for await` turn a turn of its own', async () => {
    vi.useRealTimers();
    const { host, acc } = await ready(1);
    const seen: number[] = [];
    const loop = (async () => {
      for await (const _ of acc) {
        const snap: { pods?: readonly KubernetesObject[] } = {};
        acc.update(snap);
        seen.push(snap.pods?.length ?? -1);
        // A slow reconcile: a change lands while this turn is still running.
        if (seen.length === 1) host.events(acc, 'pods', ['ADDED', pod('late', { rv: '101' })]);
        await new Promise((r) => setTimeout(r, 20));
        if (seen.length === 2) acc.close();
      }
    })();
    await loop;
    expect(seen).toEqual([0, 1]);
  });

  it('ends a `for await` waiting for a change, and resolves changed(), on close()', async () => {
    const { acc } = await ready(1);
    acc.update({});
    const pending = acc.changed();
    const loop = (async () => {
      let turns = 0;
      for await (const _ of acc) turns++;
      return turns;
    })();
    await vi.advanceTimersByTimeAsync(10);
    acc.close();
    await expect(pending).resolves.toBeUndefined();
    await expect(loop).resolves.toBe(0);
    await expect(acc.changed()).resolves.toBeUndefined();
  });

  it('close() releases its watches and frees its timers', async () => {
    const host = new TestHost();
    const acc: Accumulator = createAccumulator(
      host,
      [
        { name: 'pods', kind: 'pods' },
        { name: 'gone', kind: 'Nope' },
      ],
      { interval: 1000 },
    );
    await host.settled();
    host.list(acc, 'pods', '1', []);
    const key = host.keyOf(acc, 'pods');
    expect(host.users.get(key)).toBe(1);
    host.events(acc, 'pods', ['ADDED', pod('a', { rv: '2' })]);
    host.events(acc, 'pods', ['ADDED', pod('b', { rv: '3' })]);
    acc.close();
    expect(host.users.has(key)).toBe(false);
    expect(host.store.getState().kates.reflectors[key]).toBeUndefined();
    expect(host.store.getState().kates.queries).toEqual({});
    expect(vi.getTimerCount()).toBe(0);
  });
});
