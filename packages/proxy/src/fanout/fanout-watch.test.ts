import type { KubernetesObject } from '@kates/core';
import { describe, expect, it } from 'vitest';
import { FanoutWatch, type FanoutWatchOptions } from './fanout-watch.js';
import type { CacheEvent } from './history.js';
import { Serializer } from './serialize.js';
import type { WatchSink } from './sink.js';
import type { CacheChange, WatchCache } from './watch-cache.js';

const cm = (name: string, rv: number): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, uid: `uid-${name}`, resourceVersion: String(rv) },
});
const event = (type: CacheEvent['type'], name: string, rv: number): CacheEvent => ({
  type,
  object: cm(name, rv),
  resourceVersion: String(rv),
  uid: `uid-${name}`,
  at: Date.now(),
});

/** The parts of a WatchCache a watch reads, in memory. */
class StubCache {
  users = 0;
  lastUsed = 0;
  resourceVersion = '10';
  readonly serializer = new Serializer(false, false);
  readonly resource = {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    verbs: ['list', 'watch'],
  };
  readonly query = {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    labelSelector: '',
    fieldSelector: '',
    metadataOnly: false,
  };
  private readonly listeners = new Set<(c: CacheChange) => void>();
  constructor(
    private readonly items: KubernetesObject[] = [],
    private readonly history: CacheEvent[] | 'expired' = [],
  ) {}
  snapshot() {
    return { items: this.items, resourceVersion: '10' };
  }
  eventsSince(_rv: string) {
    return this.history === 'expired' ? undefined : this.history;
  }
  subscribe(l: (c: CacheChange) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(change: CacheChange) {
    if (change.type === 'events') {
      const last = change.events[change.events.length - 1];
      if (last) this.resourceVersion = last.resourceVersion;
    }
    for (const l of this.listeners) l(change);
  }
}

/** A client's connection: writable or not, and what it has read. */
class StubSink implements WatchSink {
  writable = true;
  ended = false;
  readonly lines: { type: string; object: KubernetesObject }[] = [];
  private readonly waiting = new Set<() => void>();
  write(line: string) {
    this.lines.push(JSON.parse(line));
  }
  end() {
    this.ended = true;
  }
  onWritable(fn: () => void) {
    this.waiting.add(fn);
    return () => this.waiting.delete(fn);
  }
  onClose() {}
  /** The client reads again. */
  drain() {
    this.writable = true;
    for (const fn of [...this.waiting]) fn();
  }
  get shown() {
    return this.lines.map(
      (l) => `${l.type} ${l.object.metadata?.name ?? ''}@${l.object.metadata?.resourceVersion}`,
    );
  }
}

function watchOn(cache: StubCache, sink: StubSink, options: Partial<FanoutWatchOptions> = {}) {
  const watch = new FanoutWatch(cache as unknown as WatchCache, sink, {
    start: { initial: false, resourceVersion: '10' },
    bookmarks: false,
    bookmarkIntervalMs: 60_000,
    timeoutMs: 60_000,
    ...options,
  });
  watch.start();
  return watch;
}

describe('a fan-out watch', () => {
  it('writes every event in order, replayed then live, while the client keeps up', () => {
    const cache = new StubCache([], [event('ADDED', 'a', 11), event('MODIFIED', 'a', 12)]);
    const sink = new StubSink();
    const watch = watchOn(cache, sink);
    cache.emit({ type: 'events', events: [event('MODIFIED', 'a', 13), event('DELETED', 'a', 14)] });
    expect(sink.shown).toEqual(['ADDED a@11', 'MODIFIED a@12', 'MODIFIED a@13', 'DELETED a@14']);
    // A replay of what the client already has (at or below where it started) is not sent again.
    cache.emit({ type: 'events', events: [event('MODIFIED', 'b', 9)] });
    expect(sink.lines).toHaveLength(4);
    watch.close();
    expect(sink.ended).toBe(true);
    expect(cache.users).toBe(0);
  });

  it("holds a slow client's events one per object, at its newest version, oldest first, and writes them when it reads again", () => {
    const cache = new StubCache();
    const sink = new StubSink();
    const watch = watchOn(cache, sink);
    sink.writable = false;
    cache.emit({
      type: 'events',
      events: [
        event('ADDED', 'a', 11),
        event('MODIFIED', 'a', 12),
        event('MODIFIED', 'b', 13),
        event('MODIFIED', 'a', 14),
        event('ADDED', 'c', 15),
        event('DELETED', 'c', 16),
      ],
    });
    for (let rv = 17; rv < 1017; rv++) cache.emit({ type: 'events', events: [event('MODIFIED', 'b', rv)] });
    // A thousand changes of b held as one: what is held never outgrows the objects of the query.
    expect(watch.held).toBe(2);
    expect(sink.lines).toEqual([]);
    sink.drain();
    // a was created unseen (ADDED at its newest state); c came and went unseen: nothing to say.
    expect(sink.shown).toEqual(['ADDED a@14', 'MODIFIED b@1016']);
    expect(watch.held).toBe(0);
    cache.emit({ type: 'events', events: [event('DELETED', 'a', 1017)] });
    expect(sink.shown.at(-1)).toBe('DELETED a@1017');
  });

  it('streams the initial state as ADDED events, then the initial-events-end bookmark, then what changed meanwhile', () => {
    const cache = new StubCache([cm('x', 3), cm('y', 5)]);
    const sink = new StubSink();
    sink.writable = false;
    watchOn(cache, sink, { start: { initial: true, initialEventsEnd: true }, bookmarks: true });
    cache.emit({
      type: 'events',
      events: [event('DELETED', 'x', 11), event('MODIFIED', 'y', 12), event('ADDED', 'z', 13)],
    });
    sink.drain();
    expect(sink.shown).toEqual([
      'ADDED x@3',
      'ADDED y@5',
      'BOOKMARK @10',
      'DELETED x@11',
      'MODIFIED y@12',
      'ADDED z@13',
    ]);
    expect(sink.lines[2]?.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('answers a resourceVersion older than the history with ERROR 410 Expired, and ends', () => {
    const cache = new StubCache([], 'expired');
    const sink = new StubSink();
    watchOn(cache, sink, { start: { initial: false, resourceVersion: '2' } });
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(sink.ended).toBe(true);
    expect(cache.users).toBe(0);
  });

  it("ends with the API server's refusal when its cache can no longer follow the query", () => {
    const cache = new StubCache();
    const sink = new StubSink();
    watchOn(cache, sink);
    cache.emit({
      type: 'failed',
      error: { message: 'configmaps is forbidden', code: 403, reason: 'Forbidden', at: '' },
    });
    expect(sink.lines).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'configmaps is forbidden',
          reason: 'Forbidden',
          code: 403,
        },
      },
    ]);
    expect(sink.ended).toBe(true);
  });

  it('tells the client what changed when its cache lists again, older object versions included', () => {
    const cache = new StubCache();
    const sink = new StubSink();
    watchOn(cache, sink, { start: { initial: false, resourceVersion: '20' } });
    cache.emit({
      type: 'resync',
      resourceVersion: '30',
      events: [event('MODIFIED', 'a', 15), event('DELETED', 'b', 30)],
    });
    expect(sink.shown).toEqual(['MODIFIED a@15', 'DELETED b@30']);
    cache.emit({ type: 'events', events: [event('MODIFIED', 'a', 29)] });
    expect(sink.lines).toHaveLength(2);
  });

  it('sends bookmarks while idle, and one last bookmark when it times out', async () => {
    const cache = new StubCache();
    const sink = new StubSink();
    watchOn(cache, sink, { bookmarks: true, bookmarkIntervalMs: 20, timeoutMs: 70 });
    await new Promise((r) => setTimeout(r, 150));
    expect(sink.ended).toBe(true);
    expect(sink.lines.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sink.shown)).toEqual(new Set(['BOOKMARK @10']));
  });
});
