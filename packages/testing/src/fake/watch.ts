import type { ServerResponse } from 'node:http';
import { apiVersionOf, type KubernetesObject, type WatchEventType } from '@kates/core';
import { type Conversion, objectTypeOf, renderObject } from './negotiation.js';
import { atVersion } from './object-shape.js';
import type { ObjectFilter } from './query.js';
import type { ServedResource } from './registry.js';
import { type ApiError, errors } from './status.js';
import { type ObjectStore, ResourceVersionExpired, type StoreEvent } from './store.js';

/** How a watch starts, from its query parameters. */
export interface WatchRequest {
  readonly resource: ServedResource;
  readonly filter: ObjectFilter;
  /** `resourceVersion`: undefined or `0` starts with the current state, a number after that version. */
  readonly resourceVersion: string | undefined;
  readonly sendInitialEvents: boolean | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly timeoutSeconds: number | undefined;
  /** The request path, for fault filters and messages. */
  readonly path: string;
  /** What `Accept` asked each object to be converted to (metadata only), if anything. */
  readonly conversion?: Conversion;
}

/** Timings of watches (bookmarks), settable per server. */
export interface WatchTimings {
  /** How often a watch with bookmarks gets one when its resource moved on. */
  readonly bookmarkIntervalMs: number;
}

/** What a watch asks of the server around it: fault settings, and notice when it closes. */
export interface WatchHooks {
  /** Current event delay (faults.delayEvents). */
  delayMs(): number;
  /** Counts one delayed event. */
  delayed(): void;
  closed(w: WatchStream): void;
}

interface Pending {
  readonly line: string;
  readonly at: number;
}

/**
 * One open watch: a chunked 200 response of newline-delimited events. Events pass through a
 * queue, so faults (delay, stall) keep their order and a bookmark never overtakes an event.
 */
export class WatchStream {
  // A queue with a moving head: shift() on 100k initial events would be quadratic.
  private queue: Pending[] = [];
  private head = 0;
  private pumping = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  /** Newest resourceVersion of this resource seen (sent or filtered out), and newest sent. */
  private seenRv = 0;
  private sentRv = 0;
  /** Set by the faults: no output before this time (ms since epoch). */
  stalledUntil = 0;

  constructor(
    private readonly res: ServerResponse,
    readonly request: WatchRequest,
    private readonly store: ObjectStore,
    private readonly timings: WatchTimings,
    private readonly hooks: WatchHooks,
  ) {
    res.on('close', () => this.close());
  }

  /**
   * Starts the stream: validates the resourceVersion, queues the initial state or the retained
   * events after it, and follows the store. A version older than history is answered as the
   * apiserver does: 200 with one ERROR event (410 Expired), then the end of the stream.
   */
  start(): void {
    const { request: req, store } = this;
    const rvParam = req.resourceVersion;
    const initial = req.sendInitialEvents ?? (rvParam === undefined || rvParam === '' || rvParam === '0');
    let replay: StoreEvent[] = [];
    let from: number | undefined;
    if (rvParam && rvParam !== '0') {
      from = Number(rvParam);
      if (!Number.isSafeInteger(from) || from < 0)
        throw errors.badRequest(`resourceVersion: Invalid value: "${rvParam}": must be an integer`);
    }
    this.res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    this.res.flushHeaders();
    if (from !== undefined && from > store.resourceVersion) {
      this.sendError(errors.tooLargeResourceVersion(rvParam as string, store.resourceVersion));
      return;
    }
    if (!initial && from !== undefined) {
      try {
        replay = store.eventsSince(req.resource.storageKey, from);
      } catch (e) {
        if (e instanceof ResourceVersionExpired) {
          this.sendError(errors.expired(e.message));
          return;
        }
        throw e;
      }
    }
    this.seenRv = from ?? store.resourceVersion;
    if (initial) {
      for (const [, obj] of store.keysFrom(req.resource.storageKey, req.filter.namespace, undefined)) {
        if (req.filter.matches(obj)) this.push('ADDED', obj);
      }
      this.seenRv = store.resourceVersion;
      if (req.allowWatchBookmarks) this.pushBookmark(store.resourceVersion, true);
    }
    for (const e of replay) this.onEvent(e);
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    if (req.allowWatchBookmarks) {
      this.bookmarkTimer = setInterval(() => this.maybeBookmark(), this.timings.bookmarkIntervalMs);
      this.bookmarkTimer.unref();
    }
    if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
      // Like the apiserver, a watch with bookmarks gets one shortly before it times out.
      if (req.allowWatchBookmarks && req.timeoutSeconds > 1) {
        setTimeout(() => this.maybeBookmark(), req.timeoutSeconds * 1000 - 1000).unref();
      }
      this.deadlineTimer = setTimeout(() => this.end(), req.timeoutSeconds * 1000);
      this.deadlineTimer.unref();
    }
  }

  private onEvent(e: StoreEvent): void {
    if (e.storageKey !== this.request.resource.storageKey) return;
    this.seenRv = Math.max(this.seenRv, e.rv);
    const { filter } = this.request;
    const now = filter.matches(e.object);
    if (e.type === 'ADDED') {
      if (now) this.push('ADDED', e.object);
    } else if (e.type === 'DELETED') {
      if (now) this.push('DELETED', e.object);
    } else {
      const before = e.prev !== undefined && filter.matches(e.prev);
      if (before && now) this.push('MODIFIED', e.object);
      else if (now) this.push('ADDED', e.object);
      else if (before) {
        // Leaving a selector is a DELETED of the last state that matched, at the new version.
        const prev = e.prev as KubernetesObject;
        this.push('DELETED', { ...prev, metadata: { ...prev.metadata, resourceVersion: String(e.rv) } });
      }
    }
  }

  private push(type: WatchEventType, obj: KubernetesObject): void {
    const rv = Number(obj.metadata?.resourceVersion ?? 0);
    this.sentRv = Math.max(this.sentRv, rv);
    this.enqueue(
      `{"type":"${type}","object":${renderObject(atVersion(this.request.resource, obj), this.request.conversion)}}\n`,
    );
  }

  private pushBookmark(rv: number, initialEventsEnd = false): void {
    const r = this.request.resource;
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.sentRv = Math.max(this.sentRv, rv);
    const type = objectTypeOf(r, this.request.conversion, apiVersionOf(r));
    this.enqueue(`${JSON.stringify({ type: 'BOOKMARK', object: { ...type, metadata } })}\n`);
  }

  private maybeBookmark(): void {
    if (!this.closed && this.seenRv > this.sentRv) this.pushBookmark(this.seenRv);
  }

  private sendError(error: ApiError): void {
    this.enqueue(`${JSON.stringify({ type: 'ERROR', object: error.status })}\n`);
    this.end();
  }

  /** Queues a raw line (events, or a poison line from the faults). */
  enqueue(line: string): void {
    if (this.closed) return;
    const delay = this.hooks.delayMs();
    if (delay > 0) this.hooks.delayed();
    this.queue.push({ line, at: delay > 0 ? Date.now() + delay : 0 });
    // Lines queued in one tick (a burst, the initial events) go out together.
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.pump();
      });
    }
  }

  private get pending(): number {
    return this.queue.length - this.head;
  }

  /** Writes what is due, in order; waits for stalls, delays and a full socket buffer. */
  pump(): void {
    if (this.pumping || this.closed) return;
    const now = Date.now();
    if (this.stalledUntil > now) {
      this.wakeAt(this.stalledUntil);
      return;
    }
    let chunk = '';
    while (this.pending > 0) {
      const head = this.queue[this.head] as Pending;
      if (head.at > now) break;
      chunk += head.line;
      this.head++;
      if (chunk.length > 1 << 16) break;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (chunk) {
      if (!this.res.write(chunk)) {
        this.pumping = true;
        this.res.once('drain', () => {
          this.pumping = false;
          this.pump();
        });
        return;
      }
    }
    if (this.pending > 0) {
      const head = this.queue[this.head] as Pending;
      if (head.at > now) this.wakeAt(head.at);
      else setImmediate(() => this.pump());
    } else if (this.ending) this.finish();
  }

  private wakeAt(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private ending = false;

  /** Ends the stream cleanly once what is queued is written (timeoutSeconds, ERROR events). */
  end(): void {
    this.ending = true;
    this.stopFollowing();
    if (this.pending === 0) this.finish();
    else this.pump();
  }

  private finish(): void {
    if (!this.res.writableEnded) this.res.end();
    this.close();
  }

  /** Cuts the connection without a clean end, as a dropped network connection would. */
  drop(): void {
    this.res.destroy();
    this.close();
  }

  private stopFollowing(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopFollowing();
    if (this.timer) clearTimeout(this.timer);
    this.hooks.closed(this);
  }
}
