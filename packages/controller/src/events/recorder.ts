import { hostname } from 'node:os';
import {
  ApiError,
  type Client,
  isAlreadyExists,
  isNotFound,
  type KubernetesObject,
  TransportError,
} from '@kates/core';
import { type Clock, type ClockTimer, systemClock } from '../clock.js';
import { formatMicroTime } from '../leaderelection/micro-time.js';
import { TokenBucket } from '../workqueue/token-bucket.js';
import {
  checkEventInput,
  checkReportingController,
  EVENT_LIMITS,
  type EventInput,
  type EventReference,
  type EventsV1Event,
  eventReferenceTo,
  truncateNote,
} from './event.js';

/** Why an Event was not written. */
export type EventDropReason = 'buffer-full' | 'rate-limited' | 'rejected' | 'retries-exhausted' | 'closed';

/** What an Event recorder tells its metrics. */
export interface EventRecorderMetrics {
  /** `event()` accepted a new Event, or folded a repeat into a series. */
  recorded(kind: 'new' | 'series'): void;
  dropped(reason: EventDropReason): void;
  written(verb: 'create' | 'patch', ok: boolean): void;
  /** Events waiting to be written. */
  buffered(count: number): void;
}

/** Options of an {@link EventRecorder}. */
export interface EventRecorderOptions {
  /** Writes the Events: a kates client (or anything with its `create` and `patch`). */
  readonly client: Pick<Client, 'create' | 'patch'>;
  /** Who reports: a qualified name such as `example.com/router`. */
  readonly reportingController: string;
  /** Which replica reports; `<reportingController>-<hostname>` by default (the pod name in a cluster). */
  readonly reportingInstance?: string;
  /** Events waiting to be written (besides the one being written) at most; more are dropped and counted (default 1000). */
  readonly bufferSize?: number;
  /** New Events per object: a burst (default 25) refilled at `perObjectQps` (default 1 per 5 min), as client-go. */
  readonly perObjectBurst?: number;
  readonly perObjectQps?: number;
  /** API writes a second over all Events (default 10, burst 50). */
  readonly qps?: number;
  readonly burst?: number;
  /**
   * A repeat within this long of the last one joins its series (default 6 min, as client-go);
   * a later one starts a new Event.
   */
  readonly seriesWindowMs?: number;
  /**
   * How often series counts that changed are written (default 60 s). The first repeat is written at
   * once; later ones are folded in and written on this beat, so that a hot loop costs one write a beat.
   */
  readonly seriesUpdateMs?: number;
  /** Retries of a write that failed for the network or the server's load (default 12, 10 s apart, as client-go). */
  readonly maxRetries?: number;
  readonly retryDelayMs?: number;
  /** Series remembered at most (default 4096); the least recently seen is forgotten first. */
  readonly maxSeries?: number;
  readonly clock?: Clock;
  readonly metrics?: EventRecorderMetrics;
  /** Where write failures are reported; `console.error` by default. */
  readonly log?: (line: string) => void;
}

interface Entry {
  readonly key: string;
  readonly event: EventsV1Event;
  /** The API server has it (a write may patch its series). */
  created: boolean;
  /** Changed since last written. */
  dirty: boolean;
  lastSeen: number;
}

function unref(handle: ClockTimer): void {
  (handle as { unref?: () => void } | undefined)?.unref?.();
}

function retryable(e: unknown): boolean {
  return e instanceof TransportError || (e instanceof ApiError && (e.code === 429 || e.code >= 500));
}

let sequence = 0;

/**
 * Records `events.k8s.io/v1` Events about the objects a controller manages, as client-go's
 * `tools/events` recorder does:
 * - **Series**: a repeat of an Event (same type, reason, action, note, regarding and related
 *   object, reporter) within `seriesWindowMs` of the last one adds to its `series.count` and
 *   `series.lastObservedTime` instead of creating another Event. The first repeat is written at
 *   once; later ones every `seriesUpdateMs`. The regarding object's resourceVersion is not part of
 *   what makes a repeat, so a failure repeated across status updates still forms one series.
 * - **Rate limits**: new Events per object follow a token bucket (burst 25, one per 5 minutes);
 *   writes over all Events follow another (10/s, burst 50).
 * - **Never blocking**: `event()` is synchronous and does no I/O; writes happen in the background,
 *   one at a time. At most `bufferSize` Events wait; more are dropped and counted, as are Events the
 *   API server refuses. A failure to write an Event never reaches the caller.
 * - **No data**: an Event names its objects by reference (kind, name, namespace, uid); nothing of
 *   their spec, data or annotations is copied. The note is the caller's, cut to 1024 bytes.
 */
export class EventRecorder {
  readonly reportingController: string;
  readonly reportingInstance: string;
  private readonly client: Pick<Client, 'create' | 'patch'>;
  private readonly clock: Clock;
  private readonly metrics: EventRecorderMetrics | undefined;
  private readonly log: (line: string) => void;
  private readonly bufferSize: number;
  private readonly perObjectBurst: number;
  private readonly perObjectQps: number;
  private readonly seriesWindowMs: number;
  private readonly seriesUpdateMs: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly maxSeries: number;
  private readonly writes: TokenBucket;
  private readonly series = new Map<string, Entry>();
  private readonly perObject = new Map<string, TokenBucket>();
  private readonly pending = new Set<Entry>();
  private writer: Promise<void> | undefined;
  private beat: ClockTimer | undefined;
  private closed = false;

  constructor(options: EventRecorderOptions) {
    checkReportingController(options.reportingController);
    this.reportingController = options.reportingController;
    this.reportingInstance = (
      options.reportingInstance ?? `${options.reportingController.replace(/.*\//, '')}-${hostname()}`
    ).slice(0, EVENT_LIMITS.reportingInstance);
    this.client = options.client;
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics;
    this.log = options.log ?? ((line) => console.error(line));
    this.bufferSize = options.bufferSize ?? 1000;
    this.perObjectBurst = options.perObjectBurst ?? 25;
    this.perObjectQps = options.perObjectQps ?? 1 / 300;
    this.seriesWindowMs = options.seriesWindowMs ?? 6 * 60_000;
    this.seriesUpdateMs = options.seriesUpdateMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 12;
    this.retryDelayMs = options.retryDelayMs ?? 10_000;
    this.maxSeries = options.maxSeries ?? 4096;
    this.writes = new TokenBucket({ qps: options.qps ?? 10, burst: options.burst ?? 50, clock: this.clock });
    this.scheduleBeat();
  }

  /** Events waiting to be written. */
  get buffered(): number {
    return this.pending.size;
  }

  /**
   * Records that something happened to `regarding`. Returns at once; the Event is written in the
   * background (or dropped, and counted, when the buffer is full or the object is too chatty).
   *
   * @throws InvalidInputError for a mistake in the call itself (no type, reason or action, an
   *   object without a name), so that it shows where the Event is recorded.
   */
  event(regarding: KubernetesObject, input: EventInput): void {
    checkEventInput(input);
    const ref = eventReferenceTo(regarding);
    const related = input.related ? eventReferenceTo(input.related, 'related') : undefined;
    if (this.closed) {
      this.metrics?.dropped('closed');
      return;
    }
    const note = input.note === undefined ? undefined : truncateNote(String(input.note));
    const { resourceVersion: _rv, ...identity } = ref;
    const key = JSON.stringify([
      input.type,
      input.reason,
      input.action,
      note ?? '',
      identity,
      related ?? null,
    ]);
    const now = this.clock.now();
    const known = this.series.get(key);
    if (known && now - known.lastSeen < this.seriesWindowMs) {
      this.touch(known, now);
      const count = (known.event.series?.count ?? 1) + 1;
      known.event.series = { count, lastObservedTime: formatMicroTime(new Date()) };
      known.dirty = true;
      this.metrics?.recorded('series');
      if (count === 2) this.enqueue(known);
      return;
    }
    if (known) {
      // Its series ended: write its last count if not yet written, and start a new Event.
      this.series.delete(known.key);
      if (known.dirty) this.enqueue(known);
    }
    if (!this.allowNew(ref)) {
      this.metrics?.dropped('rate-limited');
      return;
    }
    if (this.pending.size >= this.bufferSize) {
      this.metrics?.dropped('buffer-full');
      return;
    }
    const entry: Entry = {
      key,
      event: this.build(ref, related, input, note),
      created: false,
      dirty: true,
      lastSeen: now,
    };
    this.touch(entry, now);
    this.metrics?.recorded('new');
    this.enqueue(entry);
  }

  /** Writes every series count not yet written, and resolves once nothing waits to be written. */
  async flush(): Promise<void> {
    for (const entry of this.series.values()) if (entry.dirty) this.enqueue(entry);
    while (this.writer) await this.writer;
  }

  /**
   * Stops recording (later Events are dropped and counted as `closed`), then flushes. Race it
   * with a deadline at shutdown: a server that does not answer makes the flush wait for retries.
   */
  async close(): Promise<void> {
    if (this.closed) return this.flush();
    this.closed = true;
    if (this.beat) this.clock.clearTimeout(this.beat);
    await this.flush();
  }

  private build(
    regarding: EventReference,
    related: EventReference | undefined,
    input: EventInput,
    note: string | undefined,
  ): EventsV1Event {
    // client-go names Events `<regarding>.<nanoseconds in hex>`; a sequence number keeps two
    // Events of one millisecond apart.
    const stamp = (BigInt(Date.now()) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16);
    const name = `${regarding.name.slice(0, 253 - stamp.length - 1)}.${stamp}`;
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      // Events about cluster-scoped objects go to `default`, as the API server requires.
      metadata: { name, namespace: regarding.namespace ?? 'default' },
      eventTime: formatMicroTime(new Date()),
      reportingController: this.reportingController,
      reportingInstance: this.reportingInstance,
      action: input.action,
      reason: input.reason,
      type: input.type,
      regarding,
      ...(related ? { related } : {}),
      ...(note !== undefined ? { note } : {}),
    };
  }

  /** Moves `entry` to the most recently seen end, forgetting the least recently seen past the cap. */
  private touch(entry: Entry, now: number): void {
    entry.lastSeen = now;
    this.series.delete(entry.key);
    this.series.set(entry.key, entry);
    while (this.series.size > this.maxSeries) {
      const oldest = this.series.values().next().value as Entry;
      this.series.delete(oldest.key);
      if (oldest.dirty) this.enqueue(oldest);
    }
  }

  private allowNew(ref: EventReference): boolean {
    const id = ref.uid ?? `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
    let bucket = this.perObject.get(id);
    if (bucket) this.perObject.delete(id);
    else bucket = new TokenBucket({ qps: this.perObjectQps, burst: this.perObjectBurst, clock: this.clock });
    this.perObject.set(id, bucket);
    if (this.perObject.size > this.maxSeries)
      this.perObject.delete(this.perObject.keys().next().value as string);
    return bucket.tryTake();
  }

  private enqueue(entry: Entry): void {
    if (!this.pending.has(entry)) {
      if (this.pending.size >= this.bufferSize) {
        this.metrics?.dropped('buffer-full');
        return;
      }
      this.pending.add(entry);
      this.metrics?.buffered(this.pending.size);
    }
    this.writer ??= this.drain().finally(() => {
      this.writer = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const entry = this.pending.values().next().value as Entry | undefined;
      if (!entry) return;
      this.pending.delete(entry);
      this.metrics?.buffered(this.pending.size);
      await this.write(entry);
    }
  }

  private async write(entry: Entry): Promise<void> {
    entry.dirty = false;
    const body = structuredClone(entry.event);
    let retries = 0;
    // Bounded: a create after a 404 and a patch after a 409 are one step each, retries are counted.
    for (let step = 0; step < this.maxRetries + 3; step++) {
      const verb = entry.created ? 'patch' : 'create';
      await this.sleep(this.writes.reserve());
      try {
        if (entry.created) await this.client.patch(body, { series: body.series }, { type: 'merge' });
        else await this.client.create(body);
        this.metrics?.written(verb, true);
        entry.created = true;
        return;
      } catch (e) {
        this.metrics?.written(verb, false);
        // Deleted meanwhile (Events live an hour): create it again, series and all.
        if (entry.created && isNotFound(e)) {
          entry.created = false;
          continue;
        }
        // Created by an earlier attempt whose answer was lost: patch its series, if any.
        if (!entry.created && isAlreadyExists(e)) {
          entry.created = true;
          if (body.series) continue;
          return;
        }
        if (retryable(e) && retries < this.maxRetries && !this.closed) {
          retries++;
          await this.sleep(this.retryDelayMs * (0.75 + Math.random() / 2));
          continue;
        }
        this.give(body, verb, retryable(e) ? 'retries-exhausted' : 'rejected', (e as Error).message);
        return;
      }
    }
    this.give(body, entry.created ? 'patch' : 'create', 'retries-exhausted', 'too many attempts');
  }

  private give(body: EventsV1Event, verb: string, reason: EventDropReason, why: string): void {
    this.metrics?.dropped(reason);
    const where = body.regarding.namespace ? `${body.regarding.namespace}/` : '';
    this.log(
      `event recorder ${this.reportingController}: ${verb} of Event ${body.reason} about ` +
        `${body.regarding.kind ?? 'object'} ${where}${body.regarding.name} failed, not retried: ${why}`,
    );
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }

  private scheduleBeat(): void {
    this.beat = this.clock.setTimeout(() => {
      if (this.closed) return;
      const now = this.clock.now();
      for (const entry of [...this.series.values()]) {
        if (entry.dirty) this.enqueue(entry);
        else if (now - entry.lastSeen >= this.seriesWindowMs) this.series.delete(entry.key);
      }
      this.scheduleBeat();
    }, this.seriesUpdateMs);
    unref(this.beat);
  }
}
