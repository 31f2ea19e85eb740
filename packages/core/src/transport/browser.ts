import {
  requestUrl,
  type Transport,
  TransportError,
  type TransportRequest,
  type TransportResponse,
  transportResponse,
} from './types.js';

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
}

/**
 * A {@link Transport} over the browser's fetch: lists and watches stream through a same-origin
 * proxy (such as `startKubeProxy` of `@kates/react/proxy`, or `kubectl proxy`), and the reflector
 * and store run unchanged. Watch bodies are read as a `ReadableStream`, line by line, as they arrive.
 *
 * Each watch holds one connection open. Over HTTP/1.1 a browser opens at most six connections to
 * an origin, so a page with six watches has none left for lists and discovery: keep to five
 * queries per page of distinct kind, namespace and selectors, or serve the proxy over HTTP/2.
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

  async function request(req: TransportRequest): Promise<TransportResponse> {
    const fail = (what: string, cause: unknown) =>
      new TransportError(
        `${req.method} ${server}${req.path}: ${what}: ${(cause as Error)?.message ?? String(cause)}`,
        server,
        req.method,
        req.path,
        cause,
      );
    const headers: Record<string, string> = { ...options.headers, accept: req.accept ?? 'application/json' };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`${base}${requestUrl(req)}`, {
        method: req.method,
        headers,
        body: req.body,
        signal: req.signal,
        // The proxy authenticates; cookies of the page's own origin are all the browser may send.
        credentials: 'same-origin',
        cache: 'no-store',
      });
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

  return { server, request };
}

/**
 * The chunks of a body stream, with a reader rather than `for await` over the stream itself,
 * which some browsers still lack. Leaving early cancels the stream, which ends the request.
 */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
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
