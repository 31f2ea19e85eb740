import type { ErrorInfo, KatesStore, ReflectorCounters } from '@kates/core';

/** What the watches of one client went through, summed over every watch it ever ran. */
export interface WatchHealth {
  /** Watch events received (ADDED, MODIFIED, DELETED), and bookmarks. */
  events: number;
  bookmarks: number;
  /** 410 Gone answers (HTTP status or ERROR event) that sent a watch back to a list. */
  gone: number;
  /** Relists completed after the first list. */
  relists: number;
  /** Watches re-made after an error (network, 5xx, 429). */
  reconnects: number;
  poisonLines: number;
}

/** Follows a client's store and sums its watches' counters, including those of watches since removed. */
export interface WatchHealthTracker {
  current(): WatchHealth;
  stop(): void;
}

const COUNTERS = ['events', 'bookmarks', 'relists', 'reconnects', 'poisonLines'] as const;

/**
 * Subscribes to `store` and keeps the counters of every reflector, folding those of removed
 * reflectors into the totals (closing an accumulator removes its watches and their counters).
 * A 410 is counted when a reflector enters `relisting` with a new error whose code is 410.
 */
export function trackWatchHealth(store: KatesStore): WatchHealthTracker {
  const retired: WatchHealth = {
    events: 0,
    bookmarks: 0,
    gone: 0,
    relists: 0,
    reconnects: 0,
    poisonLines: 0,
  };
  const live = new Map<string, ReflectorCounters>();
  const lastError = new Map<string, ErrorInfo | undefined>();
  let reflectors = store.getState().kates.reflectors;

  const observe = () => {
    const next = store.getState().kates.reflectors;
    if (next === reflectors) return;
    reflectors = next;
    for (const [key, counters] of live) {
      if (next[key]) continue;
      for (const c of COUNTERS) retired[c] += counters[c];
      live.delete(key);
      lastError.delete(key);
    }
    for (const key in next) {
      const r = next[key]!;
      live.set(key, r.counters);
      if (r.error !== lastError.get(key)) {
        if (r.phase === 'relisting' && r.error?.code === 410) retired.gone++;
        lastError.set(key, r.error);
      }
    }
  };
  observe();
  const unsubscribe = store.subscribe(observe);
  return {
    current() {
      const total = { ...retired };
      for (const counters of live.values()) for (const c of COUNTERS) total[c] += counters[c];
      return total;
    },
    stop: unsubscribe,
  };
}
