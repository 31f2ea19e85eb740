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
  /**
   * Most bytes of objects kept, as {@link approximateBytes} counts them (default: no limit here;
   * the fan-out's default is 128 MiB). A count and an age alone let a stream of large objects fill
   * the proxy: 10 000 events of 200 KB pods are 2 GB, and at 30 MB/s 75 s of events are 2.2 GB.
   */
  readonly maxBytes?: number;
}

/**
 * About the bytes of `value` as JSON (strings by their length, numbers as 8), without making the
 * JSON: what an event costs the history to keep. A pod of 5 KB takes microseconds.
 */
export function approximateBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      let n = 2;
      if (Array.isArray(value)) {
        for (const v of value) n += approximateBytes(v) + 1;
        return n;
      }
      for (const k in value) n += k.length + 4 + approximateBytes((value as Record<string, unknown>)[k]);
      return n;
    }
    default:
      return 0;
  }
}

/**
 * The recent events of one cache, as the API server's watch cache keeps them: a watch that asks to
 * resume from a resourceVersion inside the window gets the events after it; older versions get
 * 410 Gone and list again. The window starts at the version of the list that filled the cache and
 * moves on as old events are dropped.
 */
export class History {
  private events: CacheEvent[] = [];
  /** The approximate bytes of each event (same index as `events`), and their sum from `head`. */
  private sizes: number[] = [];
  private bytes = 0;
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
    const maxBytes = this.limits.maxBytes ?? Number.POSITIVE_INFINITY;
    const size = maxBytes === Number.POSITIVE_INFINITY ? 0 : approximateBytes(event.object);
    this.events.push(event);
    this.sizes.push(size);
    this.bytes += size;
    const oldest = event.at - this.limits.maxAgeMs;
    while (
      this.length > this.limits.maxEvents ||
      (this.length > 0 && (this.events[this.head] as CacheEvent).at < oldest) ||
      (this.length > 1 && this.bytes > maxBytes)
    ) {
      this.start = (this.events[this.head] as CacheEvent).resourceVersion;
      this.bytes -= this.sizes[this.head] as number;
      // Let go of the object now: the array keeps its slot until the next compaction.
      (this.events as (CacheEvent | undefined)[])[this.head] = undefined;
      this.head++;
    }
    // Compacts now and then: a moving head keeps drops O(1).
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** The approximate bytes of the events kept (0 without `maxBytes`: they are not counted). */
  get byteSize(): number {
    return this.bytes;
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
