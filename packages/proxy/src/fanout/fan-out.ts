import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReflectorOptions, ResourceType, Transport } from '@kates/core';
import { compareResourceVersions, isWatchRequest } from '@kates/core/internal';
import { baseHeaders, writeStatus, writeUnreachable } from '../status.js';
import { type CollectionQuery, collectionOf, collectionQueryOf, keyOf } from './collection.js';
import { type CachedAnswer, DiscoveryCache, isDiscoveryPath } from './discovery-cache.js';
import { FanoutWatch, type WatchStart } from './fanout-watch.js';
import { ContinueTokens, writeList } from './list-answer.js';
import type { Projection } from './projection.js';
import { DEFAULT_MAX_BUFFERED_BYTES, responseSink, type WatchSink } from './sink.js';
import { WatchCache } from './watch-cache.js';

/** Settings of the fan-out (see {@link FanOut}); every one has a default. */
export interface FanOutOptions {
  /** A cache no watch has followed for this long is dropped, with its API server watch (default 60 s). */
  readonly idleMs?: number;
  /** Events a cache keeps for watches that resume (default 10 000)... */
  readonly historyEvents?: number;
  /** ...and for how long (default 75 s, as the API server's watch cache)... */
  readonly historyMs?: number;
  /**
   * ...and at most this many bytes of objects, estimated (default 128 MiB): watch streams of large
   * objects (30 MB/s of 200 KB pods, bench/src/browser-flood) would otherwise keep 2 GB of events
   * per cache. Past it, a watch resuming from before the window lists again, from the proxy's memory.
   */
  readonly historyBytes?: number;
  /** A BOOKMARK this often on watches that allow them (default 30 s). */
  readonly bookmarkIntervalMs?: number;
  /** The longest a watch runs before it ends and the client watches again (default 1800 s). */
  readonly maxWatchSeconds?: number;
  /** Keep each object's JSON: one serialization for all sessions, about twice the memory (default true). */
  readonly keepJson?: boolean;
  /** Discovery documents are asked of the API server once per this many ms (default 30 s). */
  readonly discoveryTtlMs?: number;
  /** A list's next page may be asked for this long after the previous one (default 60 s). */
  readonly continueTtlMs?: number;
  /** A list or watch asking for a version the cache has not reached waits this long, then goes to the API server (default 3 s). */
  readonly notOlderThanWaitMs?: number;
  /** Bytes a slow client may have waiting before its watches hold back (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  /**
   * Settings of the caches' reflectors (page size, streaming lists, backoff). Measured on the real
   * API server, 30k pods (bench/src/browser-scale/cold-list.ts, two runs): kube-apiserver answers
   * the first LIST (resourceVersion "0") from its cache in one 160 MB body whatever the page size,
   * and a cold proxy served a page's whole projected list in 4.1 to 6.7 s (pages of 500 or 2000
   * alike); a streaming list (`initialList: 'stream'`) as fast (4.5 to 6.6 s), with a peak RSS of
   * 350 MB against 540 to 740 MB in a fresh process. The fan-out lists (`initialList: 'list'`,
   * where a client's reflectors may stream a large collection): a query the API server refuses
   * would otherwise be refused in the words of a watch ("cannot watch") to a client that listed.
   * `KubeProxyOptions.warm` takes the list off a page's path instead.
   */
  readonly reflector?: ReflectorOptions;
}

/** What the fan-out holds, for status pages, tests and benchmarks. */
export interface FanOutStats {
  /** Distinct queries held: each is one list+watch of the API server. */
  readonly caches: number;
  /** Watches of sessions following them. */
  readonly watches: number;
  /** Objects held, over every cache. */
  readonly objects: number;
}

/** What the fan-out makes of a watch request. */
export type PreparedWatch =
  /** Not one it serves (a Table, another version, a rare parameter): relay it to the API server. */
  | { readonly type: 'relay' }
  /** The API server refuses the query: this answer, as it gave it. */
  | { readonly type: 'refused'; readonly answer: (res: ServerResponse) => void }
  /** Served from a cache: `start` follows it into `sink`. */
  | { readonly type: 'ready'; readonly start: (sink: WatchSink) => FanoutWatch };

type Params = URLSearchParams | Readonly<Record<string, string>>;
const param = (p: Params, k: string): string | undefined =>
  (p instanceof URLSearchParams ? p.get(k) : p[k]) ?? undefined;

/**
 * One list+watch of the API server per distinct query, for every browser session: the proxy's
 * watch cache. A session's LIST is answered from memory (page by page, each page of one list at
 * the same version), its watches follow the cache (resuming from a resourceVersion within the
 * last minutes of events, 410 Gone before that), and discovery documents are asked of the API
 * server once for all. Fifty pages looking at the same pods cost the API server one list and one
 * watch, and the fiftieth page's first view costs it nothing.
 *
 * A page may ask for its objects projected (`katesFields`, see `projection.ts`): the same cache
 * serves it, each object serialized once per projection.
 *
 * What it does not serve goes to the API server as before: writes, single objects, subresources,
 * Tables, a continue token of the API server's, an `Exact` resourceVersion.
 *
 * Consistency: a list without a resourceVersion is answered from the cache, as fresh as its
 * watch (milliseconds behind the API server), as the API server itself answers such lists from
 * its watch cache since 1.31. `resourceVersionMatch=NotOlderThan` waits for the cache to reach
 * the version asked for.
 */
export class FanOut {
  readonly discovery: DiscoveryCache;
  private readonly caches = new Map<string, WatchCache>();
  /** Keys of the caches kept warm (see {@link FanOut.keep}): never dropped when idle. */
  private readonly pinned = new Set<string>();
  private readonly tokens: ContinueTokens;
  private readonly sweeper: NodeJS.Timeout;
  private readonly settings: Required<Omit<FanOutOptions, 'reflector'>> & Pick<FanOutOptions, 'reflector'>;

  constructor(
    private readonly transport: Transport,
    options: FanOutOptions = {},
  ) {
    this.settings = {
      idleMs: options.idleMs ?? 60_000,
      historyEvents: options.historyEvents ?? 10_000,
      historyMs: options.historyMs ?? 75_000,
      historyBytes: options.historyBytes ?? 128 * 2 ** 20,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 30_000,
      maxWatchSeconds: options.maxWatchSeconds ?? 1800,
      keepJson: options.keepJson ?? true,
      discoveryTtlMs: options.discoveryTtlMs ?? 30_000,
      continueTtlMs: options.continueTtlMs ?? 60_000,
      notOlderThanWaitMs: options.notOlderThanWaitMs ?? 3000,
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      reflector: options.reflector,
    };
    this.discovery = new DiscoveryCache(transport, this.settings.discoveryTtlMs);
    this.tokens = new ContinueTokens(this.settings.continueTtlMs);
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, this.settings.idleMs / 2));
    this.sweeper.unref();
  }

  get stats(): FanOutStats {
    let watches = 0;
    let objects = 0;
    for (const c of this.caches.values()) {
      watches += c.users;
      objects += c.size;
    }
    return { caches: this.caches.size, watches, objects };
  }

  /**
   * Answers a GET of the API from memory when it can (discovery, a list, a direct watch);
   * false when the request is to go to the API server.
   */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    projection?: Projection,
  ): Promise<boolean> {
    if (req.method !== 'GET') return false;
    const accept = req.headers.accept;
    if (isDiscoveryPath(url.pathname))
      return url.search === '' && this.serveDiscovery(res, url.pathname, accept);
    const query = Object.fromEntries(url.searchParams);
    if (isWatchRequest({ path: url.pathname, query })) {
      const prepared = await this.prepareWatch(
        url.pathname,
        url.searchParams,
        accept,
        closeSignal(res),
        projection,
      );
      if (res.destroyed) return true;
      if (prepared.type === 'relay') return false;
      if (prepared.type === 'refused') prepared.answer(res);
      else {
        res.writeHead(200, { ...baseHeaders, 'content-type': 'application/json', 'x-accel-buffering': 'no' });
        res.flushHeaders();
        prepared.start(responseSink(res, this.settings.maxBufferedBytes));
      }
      return true;
    }
    return this.serveList(res, url, accept, projection);
  }

  /** What to make of a watch (for the watch sessions, and direct watches). */
  async prepareWatch(
    pathname: string,
    params: Params,
    accept: string | undefined,
    signal?: AbortSignal,
    projection?: Projection,
  ): Promise<PreparedWatch> {
    const collection = collectionOf(pathname);
    const query = collection && collectionQueryOf(collection, params, accept, 'watch');
    const start = watchStartOf(params);
    if (!query || !start) return { type: 'relay' };
    const cache = await this.cacheFor(query, signal);
    if (!cache) return { type: 'relay' };
    if (cache.state !== 'synced') return { type: 'refused', answer: (res) => this.refuse(res, cache) };
    if (start.initial && start.notOlderThan && !(await this.reached(cache, start.notOlderThan))) {
      return { type: 'relay' };
    }
    const timeout = Number(param(params, 'timeoutSeconds') ?? '');
    const seconds =
      Number.isFinite(timeout) && timeout > 0
        ? Math.min(timeout, this.settings.maxWatchSeconds)
        : this.settings.maxWatchSeconds;
    const bookmarks = ['true', '1'].includes(param(params, 'allowWatchBookmarks') ?? '');
    return {
      type: 'ready',
      start: (sink) => {
        const watch = new FanoutWatch(cache, sink, {
          start: start.initial
            ? { initial: true, initialEventsEnd: start.initialEventsEnd && bookmarks }
            : start,
          bookmarks,
          bookmarkIntervalMs: this.settings.bookmarkIntervalMs,
          timeoutMs: seconds * 1000,
          serializer: cache.serializerFor(projection),
        });
        watch.start();
        return watch;
      },
    };
  }

  /**
   * Starts the cache of `query` now, if it has none, and keeps it while the fan-out runs (it is
   * never dropped when idle): a warm cache, listed before any page asks. Once it has listed, its
   * objects are serialized in `projection` too, so the first page's list only copies texts.
   * Nothing is served by it here: requests reach a warm cache as any other, authorized first.
   */
  keep(query: CollectionQuery, resource: ResourceType, projection?: Projection): WatchCache {
    const key = keyOf(query);
    this.pinned.add(key);
    const cache = this.caches.get(key) ?? this.newCache(key, query, resource);
    if (projection) {
      void cache.ready().then(() => {
        if (cache.state !== 'synced') return;
        const serializer = cache.serializerFor(projection);
        for (const obj of cache.snapshot().items) serializer.json(obj);
      });
    }
    return cache;
  }

  /** Stops every cache and its API server watch. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.caches.values()];
    this.caches.clear();
    await Promise.all(all.map((c) => c.stop()));
  }

  private async serveDiscovery(
    res: ServerResponse,
    path: string,
    accept: string | undefined,
  ): Promise<boolean> {
    let answer: CachedAnswer;
    try {
      answer = await this.discovery.get(path, accept);
    } catch (e) {
      writeUnreachable(res, e);
      return true;
    }
    res.writeHead(answer.status, {
      ...baseHeaders,
      ...(answer.contentType ? { 'content-type': answer.contentType } : {}),
    });
    res.end(answer.body);
    return true;
  }

  private async serveList(
    res: ServerResponse,
    url: URL,
    accept: string | undefined,
    projection: Projection | undefined,
  ): Promise<boolean> {
    const params = url.searchParams;
    const collection = collectionOf(url.pathname);
    const query = collection && collectionQueryOf(collection, params, accept, 'list');
    if (!query) return false;
    const limitParam = Number(params.get('limit') ?? '0');
    const limit = Number.isSafeInteger(limitParam) && limitParam > 0 ? limitParam : undefined;
    const token = params.get('continue');
    if (token) {
      const found = this.tokens.read(token);
      if (found === undefined) return false;
      if (found === 'expired') {
        writeStatus(
          res,
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
        return true;
      }
      const { held, offset, id } = found;
      await writeList(
        res,
        held.cache,
        held.snapshot,
        offset,
        limit,
        (next) => this.tokens.token(id, next),
        held.cache.serializerFor(projection),
      );
      return true;
    }
    const rv = params.get('resourceVersion') ?? '';
    const match = params.get('resourceVersionMatch') ?? '';
    // Exact versions, and a version with a limit but no match (Exact in the API's rules), are etcd's.
    if (match === 'Exact' || (match && match !== 'NotOlderThan') || (rv && rv !== '0' && !match && limit)) {
      return false;
    }
    const cache = await this.cacheFor(query, closeSignal(res));
    // The client left while the cache listed: nothing to answer, nor to ask the API server.
    if (res.destroyed) return true;
    if (!cache) return false;
    if (cache.state !== 'synced') {
      this.refuse(res, cache);
      return true;
    }
    if (rv && rv !== '0' && !(await this.reached(cache, rv))) return false;
    const snapshot = cache.snapshot();
    await writeList(
      res,
      cache,
      snapshot,
      0,
      limit,
      (next) => this.tokens.token(this.tokens.hold(cache, snapshot), next),
      cache.serializerFor(projection),
    );
    return true;
  }

  /** The cache of a query, made on first use; once it has listed (or failed). */
  private async cacheFor(query: CollectionQuery, signal?: AbortSignal): Promise<WatchCache | undefined> {
    const key = keyOf(query);
    let cache = this.caches.get(key);
    if (!cache) {
      // An API server that cannot be reached: the request goes to it anyway, and fails in its words.
      const resource = await this.discovery.resourceTypeOf(query).catch(() => undefined);
      // Unknown to discovery, not listable, or a namespaced path of a cluster-scoped kind: the
      // API server's own answer (404, 405) says it best.
      if (
        !resource?.verbs.includes('list') ||
        !resource.verbs.includes('watch') ||
        (query.namespace !== undefined && !resource.namespaced)
      ) {
        return undefined;
      }
      cache = this.caches.get(key) ?? this.newCache(key, query, resource);
    }
    cache.lastUsed = Date.now();
    await cache.ready(signal);
    return signal?.aborted ? undefined : cache;
  }

  private newCache(key: string, query: CollectionQuery, resource: ResourceType): WatchCache {
    const cache = new WatchCache(this.transport, resource, query, {
      history: {
        maxEvents: this.settings.historyEvents,
        maxAgeMs: this.settings.historyMs,
        maxBytes: this.settings.historyBytes,
      },
      keepJson: this.settings.keepJson,
      ...(this.settings.reflector ? { reflector: this.settings.reflector } : {}),
    });
    this.caches.set(key, cache);
    return cache;
  }

  /** Whether the cache reaches `rv` within `notOlderThanWaitMs`. */
  private reached(cache: WatchCache, rv: string): Promise<boolean> {
    const now = () => {
      const c = compareResourceVersions(cache.resourceVersion, rv);
      return c !== undefined && c >= 0;
    };
    if (now()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(ok);
      };
      const timer = setTimeout(() => done(now()), this.settings.notOlderThanWaitMs);
      const unsubscribe = cache.subscribe(() => {
        if (now()) done(true);
      });
    });
  }

  /** Answers as the API server refused the cache's query (403, 404, 5xx), or 502 when it could not be reached. */
  private refuse(res: ServerResponse, cache: WatchCache): void {
    const error = cache.lastError;
    const refusal = cache.lastRefusal;
    if (refusal && refusal.status === error?.code) {
      res.writeHead(refusal.status, {
        ...baseHeaders,
        'content-type': refusal.contentType ?? 'application/json',
      });
      res.end(refusal.body);
      return;
    }
    if (error?.code) {
      writeStatus(res, error.code, error.reason ?? 'Unknown', error.message);
      return;
    }
    writeStatus(
      res,
      502,
      'BadGateway',
      `the kates proxy could not reach the API server: ${error?.message ?? 'no answer yet'}`,
    );
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, cache] of this.caches) {
      if (cache.users > 0 || now - cache.lastUsed < this.settings.idleMs || this.pinned.has(key)) continue;
      this.caches.delete(key);
      this.tokens.forget(cache);
      void cache.stop();
    }
  }
}

/** An AbortSignal that aborts when the client's connection closes. */
function closeSignal(res: ServerResponse): AbortSignal {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  return abort.signal;
}

/** Where a watch starts, from its parameters; undefined for combinations the API server judges itself. */
function watchStartOf(params: Params): (WatchStart & { readonly notOlderThan?: string }) | undefined {
  const rv = param(params, 'resourceVersion') ?? '';
  const send = param(params, 'sendInitialEvents');
  const match = param(params, 'resourceVersionMatch');
  if (send !== undefined) {
    if (match !== 'NotOlderThan' || (send !== 'true' && send !== '1')) return undefined;
    return { initial: true, initialEventsEnd: true, ...(rv && rv !== '0' ? { notOlderThan: rv } : {}) };
  }
  if (match) return undefined;
  if (!rv || rv === '0') return { initial: true, initialEventsEnd: false };
  return { initial: false, resourceVersion: rv };
}
