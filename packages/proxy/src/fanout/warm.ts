import {
  Discovery,
  formatSelector,
  PROJECTION_PARAM,
  parseFieldSelector,
  parseLabelSelector,
  type Query,
  type ResourceType,
  type Transport,
  UnknownKindError,
} from '@kates/core';
import { type CollectionQuery, describeQuery } from './collection.js';
import { isDiscoveryPath } from './discovery-cache.js';
import type { FanOut } from './fan-out.js';
import { isProjectionError, type Projection, takeProjection } from './projection.js';
import type { WatchCache } from './watch-cache.js';

/**
 * A query whose cache the proxy fills at startup and keeps (see `KubeProxyOptions.warm`): what a
 * page will ask for, in the words of a kates {@link Query} (its `name` is not needed), and the
 * fields its page projects to, if any.
 */
export interface WarmQuery extends Omit<Query, 'name'> {
  /** Not used: there so that a page's own queries can be passed as they are. */
  readonly name?: string;
  /**
   * The projection the pages ask for (`katesFields`, the paths of `withProjection`): the cache's
   * objects are serialized in it as soon as it has listed, so the first page's list costs no
   * serialization either.
   */
  readonly fields?: readonly string[];
}

/** Where one warm query stands (see `KubeProxyStats.warm`). */
export interface WarmStatus {
  /** `pods`, `configmaps in namespace "shop" (labels app=web) [metadata only]`. */
  readonly query: string;
  /**
   * `synced` once listed (and watching); `pending` while listing; `failed` while the API server
   * refuses it (or the query is malformed); `unserved` while the API server serves no such kind (a
   * CRD not installed yet: asked again every 10 s, and warmed once it appears).
   */
  readonly state: 'synced' | 'pending' | 'failed' | 'unserved';
  /** Why it is not synced, when known (in `stats()`; `/readyz` withholds it, as kube-apiserver's does). */
  readonly error?: string;
}

/** A failed resolution (an unknown kind, an API server not reached yet) is tried again this often. */
const RETRY_MS = 10_000;

/**
 * The proxy's warm caches: at startup it resolves each query's kind with discovery and asks the
 * fan-out for its cache, pinned (never dropped when idle), as kube-apiserver lists each resource
 * into its watch cache when it starts so that its first client finds it filled. It serves nobody
 * by itself: each request for a warm cache is authorized as any other, before the fan-out sees it.
 */
export class Warmup {
  private readonly entries: Entry[];
  private readonly abort = new AbortController();

  constructor(
    private readonly fanOut: FanOut,
    transport: Transport,
    queries: readonly WarmQuery[],
  ) {
    const discovery = new Discovery(throughCache(transport, fanOut));
    this.entries = queries.map((q) => {
      const entry: Entry = { query: q.kind };
      entry.unserved = new Promise<void>((resolve) => {
        entry.markUnserved = resolve;
      });
      entry.kept = this.keep(discovery, q, entry);
      return entry;
    });
  }

  /** Each warm query's state now, in the order given. */
  get statuses(): readonly WarmStatus[] {
    return this.entries.map(({ query, cache, error }) => {
      // Read from the cache each time: it falls back to pending or failed when the API server
      // refuses it later (403, a CRD removed), and readiness follows, as kube-apiserver's does.
      if (!cache)
        return { query, state: error?.state ?? 'pending', ...(error ? { error: error.message } : {}) };
      const state = cache.state;
      const why = state === 'synced' ? undefined : cache.lastError?.message;
      return { query, state, ...(why ? { error: why } : {}) };
    });
  }

  /**
   * Whether every warm cache has listed. A kind the API server does not serve holds nothing back:
   * there is nothing to list (kube-apiserver's readiness waits for the caches of what it serves).
   */
  get ready(): boolean {
    return this.entries.every(
      (e) => e.cache?.state === 'synced' || (!e.cache && e.error?.state === 'unserved'),
    );
  }

  /** Resolves once every warm cache has listed, or when `signal` aborts or the proxy closes. */
  async whenReady(signal?: AbortSignal): Promise<void> {
    const stop = signal ? AbortSignal.any([signal, this.abort.signal]) : this.abort.signal;
    for (const entry of this.entries) {
      // Resolution retries while it fails: wait for it, or for the signal.
      await Promise.race([entry.kept, aborted(stop), entry.unserved]);
      // ready() also resolves on an error while listing: the cache retries, and so does this.
      const cache = entry.cache;
      while (cache && !isSynced(cache) && !stop.aborted) {
        await cache.ready(stop);
        if (!isSynced(cache)) await sleep(500, stop);
      }
      if (stop.aborted) return;
    }
  }

  /** Stops resolving; the caches stop with the fan-out. */
  close(): void {
    this.abort.abort();
  }

  /** Resolves the query (again while that fails) and pins its cache in the fan-out. */
  private async keep(discovery: Discovery, q: WarmQuery, entry: Entry): Promise<void> {
    const signal = this.abort.signal;
    let collection: CollectionQuery | undefined;
    let resource: ResourceType | undefined;
    let projection: Projection | undefined;
    while (!collection && !signal.aborted) {
      try {
        const rt = await discovery.resolve(q.kind);
        resource = rt;
        if (!rt.verbs.includes('list') || !rt.verbs.includes('watch')) {
          throw new Error(`${rt.resource} cannot be listed and watched`);
        }
        if (q.fields) {
          const p = takeProjection({ [PROJECTION_PARAM]: q.fields.join(',') });
          if (isProjectionError(p)) throw new Error(p.error);
          projection = p;
        }
        collection = {
          group: rt.group,
          version: rt.version,
          resource: rt.resource,
          ...(rt.namespaced && q.namespace ? { namespace: q.namespace } : {}),
          labelSelector: formatSelector(parseLabelSelector(q.labelSelector)),
          fieldSelector: formatSelector(parseFieldSelector(q.fieldSelector)),
          metadataOnly: q.metadataOnly ?? false,
        };
      } catch (e) {
        const unserved = e instanceof UnknownKindError;
        entry.error = {
          state: unserved ? 'unserved' : 'failed',
          message: `${q.kind}: ${(e as Error)?.message ?? String(e)}`,
        };
        if (unserved) entry.markUnserved?.();
        await sleep(RETRY_MS, signal);
      }
    }
    if (!collection || !resource || signal.aborted) return;
    entry.query = describeQuery(collection);
    entry.error = undefined;
    entry.cache = this.fanOut.keep(collection, resource, projection);
  }
}

interface Entry {
  query: string;
  cache?: WatchCache;
  error?: { readonly state: 'failed' | 'unserved'; readonly message: string } | undefined;
  kept?: Promise<void>;
  /** Resolves when discovery first says the kind is not served (readiness does not wait for it). */
  unserved?: Promise<void>;
  markUnserved?: () => void;
}

/**
 * The proxy's transport, with discovery documents asked through the fan-out's discovery cache:
 * the documents a warm-up reads are then the ones the first page's discovery is answered with.
 */
function throughCache(transport: Transport, fanOut: FanOut): Transport {
  return {
    server: transport.server,
    async request(req) {
      const plain = Object.values(req.query ?? {}).every((v) => v === undefined);
      if (req.method !== 'GET' || !isDiscoveryPath(req.path) || !plain) return transport.request(req);
      const answer = await fanOut.discovery.get(req.path, req.accept);
      return {
        status: answer.status,
        headers: answer.contentType ? { 'content-type': answer.contentType } : {},
        text: async () => answer.body,
        async *lines() {
          for (const line of answer.body.split('\n')) if (line) yield line;
        },
      };
    },
  };
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

const isSynced = (cache: WatchCache) => cache.state === 'synced';

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
