import type {
  ErrorInfo,
  KubernetesObject,
  ReflectorOptions,
  ReflectorPhase,
  ResourceType,
  Transport,
} from '@kates/core';
import {
  compareResourceVersions,
  listCompleted,
  listPage,
  listStarted,
  Reflector,
  reflectorStatus,
  watchEvents,
} from '@kates/core/internal';
import { type CollectionQuery, describeQuery } from './collection.js';
import { type CacheEvent, History, type HistoryLimits } from './history.js';
import type { Projection } from './projection.js';
import { Serializer, UpstreamTexts } from './serialize.js';
import { recordingRefusals, type UpstreamRefusal } from './upstream-answer.js';

/** What a cache tells the watches that follow it. */
export type CacheChange =
  /** New events, in the order the API server sent them. */
  | { readonly type: 'events'; readonly events: readonly CacheEvent[] }
  /** The collection reached a version with no change for this query (a bookmark). */
  | { readonly type: 'progress'; readonly resourceVersion: string }
  /**
   * The cache listed again (its watch got 410 Gone): what changed between the two states, as
   * events at the new list's version, then the history starts over from it.
   */
  | { readonly type: 'resync'; readonly events: readonly CacheEvent[]; readonly resourceVersion: string }
  /** The API server refuses the query now (403, 404): watches end with this error. */
  | { readonly type: 'failed'; readonly error: ErrorInfo };

/** A consistent view of a cache: its objects at one resourceVersion. */
export interface CacheSnapshot {
  readonly items: readonly KubernetesObject[];
  readonly resourceVersion: string;
}

/** Settings of a {@link WatchCache}. */
export interface WatchCacheOptions {
  readonly history: HistoryLimits;
  readonly reflector?: ReflectorOptions;
  /** Keep each object's JSON (faster fan-out, about twice the memory); see {@link Serializer}. */
  readonly keepJson: boolean;
}

/** Projections per cache whose texts are kept (see `serializerFor`). */
const MAX_KEPT_PROJECTIONS = 8;

const FAILED_PHASES: ReadonlySet<ReflectorPhase> = new Set(['forbidden', 'unserved']);

/**
 * One list+watch of the API server for every session that asks for the same query, as the API
 * server's watch cache is one etcd watch for all its clients. A kates {@link Reflector} keeps it
 * (list, watch, relist on 410, back off on errors); the actions it dispatches, the same plain
 * actions a kates store takes, are folded here into the watch's own view: the objects the API
 * server says match, the version reached, and a window of recent events to resume watches from.
 *
 * Why not a kates store: a store re-judges selectors on the objects it holds, to fold in its
 * client's own writes. The proxy writes nothing into its caches, and a metadata-only cache could
 * not re-judge a field selector on `status.phase`: the API server's answer is the truth here.
 */
export class WatchCache {
  readonly serializer: Serializer;
  private readonly projected = new Map<string, Serializer>();
  private readonly upstream: ReturnType<typeof recordingRefusals>;
  private readonly reflector: Reflector;
  private objects = new Map<string, KubernetesObject>();
  private pending: Map<string, KubernetesObject> | undefined;
  private history: History;
  private rv = '';
  private synced = false;
  private phase: ReflectorPhase = 'pending';
  private error: ErrorInfo | undefined;
  private snapshotMemo: CacheSnapshot | undefined;
  private readonly listeners = new Set<(change: CacheChange) => void>();
  private readonly waiters = new Set<() => void>();
  /** Watches following the cache (for idle eviction); lists only touch `lastUsed`. */
  users = 0;
  lastUsed = Date.now();

  constructor(
    transport: Transport,
    readonly resource: ResourceType,
    readonly query: CollectionQuery,
    private readonly options: WatchCacheOptions,
  ) {
    // Whole objects go out in the API server's own text once a client reads them whole.
    const upstreamTexts = options.keepJson && !query.metadataOnly ? new UpstreamTexts() : undefined;
    this.serializer = new Serializer(query.metadataOnly, options.keepJson, undefined, upstreamTexts);
    this.history = new History(options.history, '');
    const namespace = resource.namespaced ? query.namespace : undefined;
    this.upstream = recordingRefusals(transport);
    this.reflector = new Reflector(
      this.upstream,
      (action) => this.take(action),
      {
        key: describeQuery(query),
        resource,
        ...(namespace ? { namespace } : {}),
        labelSelector: query.labelSelector,
        fieldSelector: query.fieldSelector,
        metadataOnly: query.metadataOnly,
      },
      // A LIST unless told otherwise (FanOutOptions.reflector says why).
      {
        initialList: 'list',
        ...options.reflector,
        ...(upstreamTexts ? { objectTexts: upstreamTexts } : {}),
      },
    );
    void this.reflector.start();
  }

  /** `synced`, `failed` (403, 404 before or after syncing), or `pending` (listing, or backing off). */
  get state(): 'synced' | 'failed' | 'pending' {
    if (FAILED_PHASES.has(this.phase)) return 'failed';
    return this.synced ? 'synced' : 'pending';
  }

  /** The last error from the API server, while it lasts. */
  get lastError(): ErrorInfo | undefined {
    return this.error;
  }

  /** The API server's last answer other than 200 to this cache's list or watch, word for word. */
  get lastRefusal(): UpstreamRefusal | undefined {
    return this.upstream.lastRefusal;
  }

  /** The version the cache has reached. */
  get resourceVersion(): string {
    return this.rv;
  }

  get size(): number {
    return this.objects.size;
  }

  /** The objects now, at the version now; the same arrays until the next change. */
  snapshot(): CacheSnapshot {
    this.snapshotMemo ??= Object.freeze({
      items: Object.freeze([...this.objects.values()]),
      resourceVersion: this.rv,
    });
    return this.snapshotMemo;
  }

  /**
   * The serializer of a projection (see `projection.ts`), made on first use; the cache's own
   * without one. Each keeps the texts of its form of the objects.
   */
  serializerFor(projection: Projection | undefined): Serializer {
    if (!projection) return this.serializer;
    let s = this.projected.get(projection.key);
    if (!s) {
      // Pages choose their projections: past a few per cache, texts are not kept (each costs about
      // the projected JSON of every object), so that many distinct ones cannot fill the proxy.
      const keep = this.options.keepJson && this.projected.size < MAX_KEPT_PROJECTIONS;
      s = new Serializer(this.query.metadataOnly, keep, projection.transform);
      if (keep) this.projected.set(projection.key, s);
    }
    return s;
  }

  /** The events after `rv` (see {@link History.since}); undefined: too old, list again. */
  eventsSince(rv: string): CacheEvent[] | undefined {
    return this.history.since(rv);
  }

  /**
   * Resolves when the cache has listed, when it failed, or when it has an error to report while
   * pending (the first list was refused or broke), whichever comes first.
   */
  ready(signal?: AbortSignal): Promise<void> {
    if (this.synced || this.error) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Follows the cache's changes; returns the unsubscribe. */
  subscribe(listener: (change: CacheChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the upstream list+watch. */
  async stop(): Promise<void> {
    this.listeners.clear();
    for (const w of [...this.waiters]) w();
    await this.reflector.stop();
  }

  private emit(change: CacheChange): void {
    for (const l of [...this.listeners]) l(change);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Folds one action of the reflector into the cache. */
  private take(action: { type: string }): void {
    if (watchEvents.match(action)) {
      this.takeEvents(action.payload.events);
      return;
    }
    if (listStarted.match(action)) {
      this.pending = new Map();
      return;
    }
    if (listPage.match(action)) {
      for (const obj of action.payload.items) {
        const uid = obj.metadata?.uid;
        if (uid) this.pending?.set(uid, obj);
      }
      return;
    }
    if (listCompleted.match(action)) {
      this.takeList(action.payload.resourceVersion);
      return;
    }
    if (reflectorStatus.match(action)) {
      const { phase, error } = action.payload;
      this.phase = phase;
      if (error === null) this.error = undefined;
      else if (error) this.error = error;
      if (FAILED_PHASES.has(phase) && error) {
        if (this.synced) this.emit({ type: 'failed', error });
        this.wake();
      } else if (error && !this.synced) this.wake();
    }
  }

  /** Lets go of the texts of objects the cache no longer holds, in every form. */
  private forget(objects: readonly KubernetesObject[]): void {
    for (const obj of objects) {
      this.serializer.forget(obj);
      for (const s of this.projected.values()) s.forget(obj);
    }
  }

  private takeList(resourceVersion: string): void {
    const next = this.pending ?? new Map<string, KubernetesObject>();
    this.pending = undefined;
    const previous = this.objects;
    const wasSynced = this.synced;
    this.objects = next;
    this.rv = resourceVersion;
    this.history = new History(this.options.history, resourceVersion);
    this.snapshotMemo = undefined;
    this.synced = true;
    this.error = undefined;
    if (wasSynced)
      this.emit({ type: 'resync', events: diff(previous, next, resourceVersion), resourceVersion });
    this.wake();
  }

  private takeEvents(events: readonly { type: string; object: KubernetesObject }[]): void {
    const taken: CacheEvent[] = [];
    /** The versions these events replace: their texts are let go once the events are out. */
    const replaced: KubernetesObject[] = [];
    let progressed = false;
    const at = Date.now();
    for (const ev of events) {
      const rv = ev.object.metadata?.resourceVersion ?? '';
      const c = compareResourceVersions(rv, this.rv);
      // A duplicate or a replay of what the cache already has: the kates store skips it too.
      if (c !== undefined && c <= 0) continue;
      if (ev.type === 'BOOKMARK') {
        if (rv) {
          this.rv = rv;
          progressed = true;
        }
        continue;
      }
      const uid = ev.object.metadata?.uid;
      if (!uid || (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED')) continue;
      const previous = this.objects.get(uid);
      if (previous) replaced.push(previous);
      if (ev.type === 'DELETED') this.objects.delete(uid);
      else this.objects.set(uid, ev.object);
      const event: CacheEvent = { type: ev.type, object: ev.object, resourceVersion: rv, uid, at };
      this.history.append(event);
      taken.push(event);
      if (rv) this.rv = rv;
    }
    if (taken.length > 0) {
      this.snapshotMemo = undefined;
      this.emit({ type: 'events', events: taken });
      this.forget(replaced);
    } else if (progressed) {
      this.snapshotMemo = undefined;
      this.emit({ type: 'progress', resourceVersion: this.rv });
    }
  }
}

/**
 * What changed between two lists, as watch events: what a watch that saw `before` needs to see
 * `after`. A deletion carries the last known state at the new list's version, so that a client
 * that compares versions takes it.
 */
function diff(
  before: ReadonlyMap<string, KubernetesObject>,
  after: ReadonlyMap<string, KubernetesObject>,
  resourceVersion: string,
): CacheEvent[] {
  const at = Date.now();
  const out: CacheEvent[] = [];
  for (const [uid, obj] of after) {
    const old = before.get(uid);
    const rv = obj.metadata?.resourceVersion ?? '';
    if (!old) out.push({ type: 'ADDED', object: obj, resourceVersion: rv, uid, at });
    else if (old.metadata?.resourceVersion !== rv)
      out.push({ type: 'MODIFIED', object: obj, resourceVersion: rv, uid, at });
  }
  for (const [uid, obj] of before) {
    if (after.has(uid)) continue;
    const object = { ...obj, metadata: { ...obj.metadata, resourceVersion } };
    out.push({ type: 'DELETED', object, resourceVersion, uid, at });
  }
  return out;
}
