import { chunksOf } from './chunks.js';
import {
  requestUrl,
  type Transport,
  TransportError,
  type TransportRequest,
  type TransportResponse,
  transportResponse,
} from './types.js';
import { type MuxFetch, WatchMux } from './watch-mux.js';
import { isWatchRequest } from './watch-mux-protocol.js';

/** Options of {@link createBrowserTransport}. */
export interface BrowserTransportOptions {
  /**
   * Where a same-origin proxy serves the Kubernetes API: `''` when it serves `/api` and `/apis`
   * beside the page, a path prefix (`/k8s`), or an absolute URL. The proxy holds the credentials;
   * the browser never does.
   */
  readonly baseUrl: string;
  /** The fetch to use (default `globalThis.fetch`). */
  readonly fetch?: typeof globalThis.fetch;
  /** Extra request headers, e.g. a CSRF token the proxy asks for. Never a cluster credential. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Carry every watch over one connection, through the kates proxy's `/kates/watches` (default
   * true). Against a proxy without it (`kubectl proxy`) the transport finds out on the first watch
   * and opens one connection per watch instead.
   */
  readonly multiplexWatches?: boolean;
}

/**
 * A {@link Transport} over the browser's fetch: lists and watches stream through a same-origin
 * proxy (such as `startKubeProxy` of `@kates/proxy`, or `kubectl proxy`), and the reflector
 * and store run unchanged. Watch bodies are read as a `ReadableStream`, line by line, as they arrive.
 *
 * Watches share one connection (see `watch-mux-protocol.ts`): over HTTP/1.1 a browser opens at
 * most six connections to an origin, and a watch holds one for as long as it runs, so without
 * sharing a page with six distinct watches would have none left for its lists. Behind a proxy that
 * does not multiplex (`kubectl proxy`), each watch takes its own connection: keep to five queries
 * of distinct kind, namespace and selectors per page there, or serve that proxy over HTTP/2.
 */
export function createBrowserTransport(options: BrowserTransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchImpl !== 'function') {
    throw new TypeError(
      'createBrowserTransport needs a global fetch (a browser, or Node 18+), or options.fetch',
    );
  }
  const server = describeBase(base);

  const failOf = (req: Pick<TransportRequest, 'method' | 'path'>, what: string, cause?: unknown) =>
    new TransportError(
      `${req.method} ${server}${req.path}: ${what}${cause === undefined ? '' : `: ${(cause as Error)?.message ?? String(cause)}`}`,
      server,
      req.method,
      req.path,
      cause,
    );
  const muxFetch: MuxFetch = Object.assign(
    (path: string, init: { method: 'GET' | 'POST' | 'DELETE'; body?: string; signal?: AbortSignal }) =>
      fetchImpl(`${base}${path}`, {
        method: init.method,
        headers: {
          ...options.headers,
          accept: 'application/json',
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: init.body,
        signal: init.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      }),
    { fail: failOf },
  );
  const mux = options.multiplexWatches === false ? undefined : new WatchMux(muxFetch);

  async function request(req: TransportRequest): Promise<TransportResponse> {
    if (mux && isWatchRequest(req)) {
      const shared = await mux.watch(req);
      if (shared) return shared;
    }
    const fail = (what: string, cause: unknown) => failOf(req, what, cause);
    const headers: Record<string, string> = { ...options.headers, accept: req.accept ?? 'application/json' };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    let res: Response;
    try {
      const answer = fetchImpl(`${base}${requestUrl(req)}`, {
        method: req.method,
        headers,
        body: req.body,
        signal: req.signal,
        // The proxy authenticates; cookies of the page's own origin are all the browser may send.
        credentials: 'same-origin',
        cache: 'no-store',
      });
      // fetch hands the request to the browser's network stack as it is called.
      req.onSent?.();
      res = await answer;
    } catch (e) {
      throw fail(req.signal?.aborted ? 'aborted' : 'request failed', e);
    }
    return transportResponse(
      res,
      () => (res.body ? chunksOf(res.body) : undefined),
      (e, what) =>
        fail(
          what ??
            (req.signal?.aborted
              ? 'aborted while reading the answer'
              : 'connection lost while reading the answer'),
          e,
        ),
    );
  }

  return { server, request, close: () => mux?.close() };
}

/** The base URL for messages: absolute where the page's location is known. */
function describeBase(base: string): string {
  const here = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(base || '/', here).href.replace(/\/+$/, '');
  } catch {
    return base || '(same origin)';
  }
}
