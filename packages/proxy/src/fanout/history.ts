import type { KubernetesObject } from '@kates/core';
import { compareResourceVersions } from '@kates/core/internal';

/** One change a cache took in, as its watch delivered it. */
export interface CacheEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubernetesObject;
  /** The object's resourceVersion: the version the collection reached with this event. */
  readonly resourceVersion: string;
  readonly uid: string;
  /** When it arrived (ms), for the history's age limit. */
  readonly at: number;
}

/** Limits of a {@link History}. */
export interface HistoryLimits {
  /** Most events kept (default 10 000). */
  readonly maxEvents: number;
  /** Oldest event kept, in ms (default 75 s, the API server's watch cache's `eventFreshDuration`). */
  readonly maxAgeMs: number;
}

/**
 * The recent events of one cache, as the API server's watch cache keeps them: a watch that asks to
 * resume from a resourceVersion inside the window gets the events after it; older versions get
 * 410 Gone and list again. The window starts at the version of the list that filled the cache and
 * moves on as old events are dropped.
 */
export class History {
  private events: CacheEvent[] = [];
  private head = 0;
  /** The version the window starts after: events newer than it are all here. */
  private start: string;

  constructor(
    private readonly limits: HistoryLimits,
    listResourceVersion: string,
  ) {
    this.start = listResourceVersion;
  }

  /** Appends an event and drops what the limits no longer allow. */
  append(event: CacheEvent): void {
    this.events.push(event);
    const oldest = event.at - this.limits.maxAgeMs;
    while (
      this.length > this.limits.maxEvents ||
      (this.length > 0 && (this.events[this.head] as CacheEvent).at < oldest)
    ) {
      this.start = (this.events[this.head] as CacheEvent).resourceVersion;
      this.head++;
    }
    // Compacts now and then: a moving head keeps drops O(1).
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  get length(): number {
    return this.events.length - this.head;
  }

  /**
   * The events after `rv`, oldest first; `undefined` when `rv` is older than the window (the
   * caller answers 410 Gone) or cannot be ordered against it.
   */
  since(rv: string): CacheEvent[] | undefined {
    const c = compareResourceVersions(rv, this.start);
    if (c === undefined || c < 0) return undefined;
    // Binary search for the first event newer than rv; versions grow along the array.
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cm = compareResourceVersions((this.events[mid] as CacheEvent).resourceVersion, rv);
      if (cm !== undefined && cm <= 0) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }
}
