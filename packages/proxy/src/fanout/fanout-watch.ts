import type { ErrorInfo, KubernetesObject } from '@kates/core';
import { apiVersionOf } from '@kates/core';
import { compareResourceVersions, META_V1 } from '@kates/core/internal';
import type { CacheEvent } from './history.js';
import type { Serializer } from './serialize.js';
import type { WatchSink } from './sink.js';
import type { CacheChange, WatchCache } from './watch-cache.js';

/** Where a fan-out watch starts, from its query parameters. */
export type WatchStart =
  /** The whole current state as ADDED events first (`resourceVersion` unset or `0`, or `sendInitialEvents`). */
  | { readonly initial: true; readonly initialEventsEnd: boolean }
  /** The events after a version the client has (410 Gone when it is older than the history). */
  | { readonly initial: false; readonly resourceVersion: string };

/** Settings of one {@link FanoutWatch}. */
export interface FanoutWatchOptions {
  readonly start: WatchStart;
  /** `allowWatchBookmarks`: a BOOKMARK every `bookmarkIntervalMs` while nothing else is due. */
  readonly bookmarks: boolean;
  readonly bookmarkIntervalMs: number;
  /** The watch ends cleanly after this long, as at the API server's `timeoutSeconds`. */
  readonly timeoutMs: number;
  /** The form of its objects (a projection's serializer); the cache's own by default. */
  readonly serializer?: Serializer;
}

interface Pending {
  readonly type: CacheEvent['type'];
  readonly object: KubernetesObject;
  readonly resourceVersion: string;
}

/**
 * One client's watch on a {@link WatchCache}. Its events go out as fast as the client reads them;
 * what the client has not read yet is held coalesced, one entry per object with its newest state,
 * in the order of its newest version. So a slow client costs at most one entry per object of the
 * query, never an unbounded queue of events, and when it catches up it reads a resync of the
 * current state: every object it would have seen change, once, at its latest version.
 *
 * Why the order matters: a client resumes from the last resourceVersion it read. Each object
 * held back is at its newest version, and those go out oldest first, so every version at or
 * below what the client read has gone out (or was superseded by a newer one still to come).
 *
 * The initial state of a watch (`sendInitialEvents`, or no resourceVersion) goes out as ADDED
 * events alone, then, when asked, the `k8s.io/initial-events-end` bookmark; only then what
 * changed meanwhile, as the API server does (a streaming list reads every event before that
 * bookmark as an object of the list).
 */
export class FanoutWatch {
  /** Events not yet written, by uid, oldest newest-version first. */
  private backlog = new Map<string, Pending>();
  /** While the initial state goes out: what changed since, held until it is out. */
  private later: Map<string, Pending> | undefined;
  private initialEnd: string | undefined;
  /** Versions at or below this are already accounted for (the client has them). */
  private floor = '';
  private lastSent = '';
  private unsubscribe: (() => void) | undefined;
  private stopWritable: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;

  private readonly serializer: Serializer;

  constructor(
    private readonly cache: WatchCache,
    private readonly sink: WatchSink,
    private readonly options: FanoutWatchOptions,
  ) {
    this.serializer = options.serializer ?? cache.serializer;
  }

  /** Starts the watch; the cache must have listed. */
  start(): void {
    const { cache, options } = this;
    cache.users++;
    cache.lastUsed = Date.now();
    this.sink.onClose(() => this.close());
    if (options.start.initial) {
      const snapshot = cache.snapshot();
      for (const object of snapshot.items) {
        const uid = object.metadata?.uid as string;
        this.backlog.set(uid, {
          type: 'ADDED',
          object,
          resourceVersion: object.metadata?.resourceVersion ?? '',
        });
      }
      this.later = new Map();
      this.floor = snapshot.resourceVersion;
      if (options.start.initialEventsEnd) this.initialEnd = snapshot.resourceVersion;
    } else {
      const from = options.start.resourceVersion;
      const events = cache.eventsSince(from);
      if (!events) {
        this.fail({
          message: `too old resource version: ${from} (${cache.resourceVersion}); the kates proxy keeps the events of the last minutes: list again`,
          code: 410,
          reason: 'Expired',
          at: new Date().toISOString(),
        });
        return;
      }
      this.floor = from;
      this.lastSent = from;
      for (const e of events) this.deliver(e);
    }
    this.unsubscribe = cache.subscribe((change) => this.take(change));
    if (options.bookmarks) {
      const t = setInterval(() => this.bookmark(false), options.bookmarkIntervalMs);
      t.unref();
      this.timers.push(t);
    }
    const deadline = setTimeout(() => this.close(true), options.timeoutMs);
    deadline.unref();
    this.timers.push(deadline);
    this.flush();
  }

  /** Events held back, for tests and status pages. */
  get held(): number {
    return this.backlog.size + (this.later?.size ?? 0);
  }

  private take(change: CacheChange): void {
    if (this.closed) return;
    switch (change.type) {
      case 'events':
        for (const e of change.events) {
          const c = compareResourceVersions(e.resourceVersion, this.floor);
          if (c !== undefined && c <= 0) continue;
          this.deliver(e);
        }
        break;
      case 'resync':
        // The cache listed again: the client gets what changed, then a bookmark at the new list's version.
        for (const e of change.events) this.hold(e, this.later ?? this.backlog);
        if (compareResourceVersions(change.resourceVersion, this.floor) !== -1)
          this.floor = change.resourceVersion;
        break;
      case 'progress':
        return;
      case 'failed':
        this.fail(change.error);
        return;
    }
    this.flush();
  }

  /**
   * Writes an event now when nothing is held and the client keeps up (so that a client that keeps
   * up reads every event, as from the API server); holds it back, coalesced, otherwise.
   */
  private deliver(e: CacheEvent): void {
    if (this.later) {
      this.hold(e, this.later);
    } else if (this.backlog.size === 0 && this.sink.writable) {
      this.sink.write(this.serializer.event(e.type, e.object));
      this.sent(e.resourceVersion);
    } else {
      this.hold(e, this.backlog);
    }
  }

  /** Holds an event back, coalesced with what is held for the same object. */
  private hold(
    e: Pick<CacheEvent, 'type' | 'object' | 'resourceVersion' | 'uid'>,
    into: Map<string, Pending>,
  ): void {
    const held = into.get(e.uid);
    let type = e.type;
    if (held) {
      into.delete(e.uid);
      // Created and deleted before the client heard of it: nothing to say.
      if (held.type === 'ADDED' && e.type === 'DELETED') return;
      if (held.type === 'ADDED') type = 'ADDED';
    }
    into.set(e.uid, { type, object: e.object, resourceVersion: e.resourceVersion });
  }

  /** Writes what is held while the client keeps up. */
  private flush(): void {
    if (this.closed) return;
    const { sink } = this;
    while (sink.writable) {
      const next = this.backlog.entries().next();
      if (next.done) {
        if (!this.later) break;
        // The initial state is out: its end, then what changed meanwhile.
        if (this.initialEnd !== undefined) this.writeBookmark(this.initialEnd, true);
        this.initialEnd = undefined;
        this.backlog = this.later;
        this.later = undefined;
        continue;
      }
      const [uid, e] = next.value;
      this.backlog.delete(uid);
      sink.write(this.serializer.event(e.type, e.object));
      if (!this.later) this.sent(e.resourceVersion);
    }
    if (this.backlog.size > 0 || this.later) {
      this.stopWritable ??= sink.onWritable(() => this.flush());
    } else if (this.stopWritable) {
      this.stopWritable();
      this.stopWritable = undefined;
    }
  }

  private sent(rv: string): void {
    if (compareResourceVersions(rv, this.lastSent) !== -1) this.lastSent = rv;
  }

  /** A bookmark at the cache's version, when nothing is held back (it would overtake it). */
  private bookmark(force: boolean): void {
    if (this.closed || this.backlog.size > 0 || this.later || !this.sink.writable) return;
    const rv = this.cache.resourceVersion;
    if (!force && compareResourceVersions(rv, this.lastSent) === -1) return;
    this.writeBookmark(rv, false);
  }

  private writeBookmark(rv: string, initialEventsEnd: boolean): void {
    const { resource, query } = this.cache;
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const type = query.metadataOnly
      ? { kind: 'PartialObjectMetadata', apiVersion: META_V1 }
      : { kind: resource.kind, apiVersion: apiVersionOf(resource) };
    this.sink.write(JSON.stringify({ type: 'BOOKMARK', object: { ...type, metadata } }));
    this.sent(rv);
  }

  /** Ends the watch with an ERROR event, as the API server does inside a 200 stream. */
  private fail(error: ErrorInfo): void {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: error.message,
      ...(error.reason ? { reason: error.reason } : {}),
      code: error.code ?? 500,
    };
    if (!this.closed) this.sink.write(JSON.stringify({ type: 'ERROR', object: status }));
    this.close();
  }

  /** Stops following the cache and ends the client's stream (`timedOut`: with a last bookmark first). */
  close(timedOut = false): void {
    if (this.closed) return;
    if (timedOut && this.options.bookmarks) this.bookmark(true);
    this.closed = true;
    this.unsubscribe?.();
    this.stopWritable?.();
    for (const t of this.timers) clearTimeout(t);
    this.backlog.clear();
    this.later = undefined;
    this.cache.users--;
    this.cache.lastUsed = Date.now();
    this.sink.end();
  }
}
