import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CreateClientOptions, createClient, type Transport } from '@kates/core';
import { type AccessReviewOptions, AccessReviews } from './authz/access-review.js';
import { Authorizer, type Identify } from './authz/authorizer.js';
import { FanOut, type FanOutOptions, type FanOutStats } from './fanout/fan-out.js';
import { isProjectionError, takeProjection } from './fanout/projection.js';
import { DEFAULT_MAX_BUFFERED_BYTES } from './fanout/sink.js';
import { type WarmQuery, type WarmStatus, Warmup } from './fanout/warm.js';
import { forward } from './forward.js';
import { hostRefusalOf, isApiPath, refusalOf, siteRefusalOf } from './guard.js';
import { isProbePath, serveProbe } from './probes.js';
import { serveStatic } from './static.js';
import { writeStatus } from './status.js';
import { countingUpstream, type UpstreamCounts } from './upstream-counts.js';
import { WatchMuxServer } from './watch-mux.js';

/** Options of {@link startKubeProxy}. */
export interface KubeProxyOptions {
  /** A kubeconfig path or a loaded `KubeConfig`; by default kubectl's chain ($KUBECONFIG, ~/.kube/config, in-cluster). */
  readonly kubeconfig?: CreateClientOptions['kubeconfig'];
  /** A kubeconfig context other than the current one. */
  readonly context?: string;
  /** Or a transport of your own instead of a kubeconfig (it must add the credentials itself). */
  readonly transport?: Transport;
  /** The port (default 8001, as kubectl proxy; 0 picks a free one). */
  readonly port?: number;
  /** The address to bind (default `127.0.0.1`: only this machine can use the credentials). */
  readonly host?: string;
  /** Forward POST, PUT, PATCH and DELETE (default false: GET, list and watch only; others get 405). */
  readonly allowWrites?: boolean;
  /** A built dashboard to serve beside the API (paths that are not `/api`, `/apis`, `/version`). */
  readonly staticDir?: string;
  /**
   * Host names (Host header, without port) the proxy answers to; default `localhost`, `127.0.0.1`,
   * `[::1]` and `host`. Add your own when binding another address.
   */
  readonly acceptHosts?: readonly (string | RegExp)[];
  /** The largest request body forwarded (default 3 MiB, the API server's own limit). */
  readonly maxBodyBytes?: number;
  /**
   * Serve `/kates/watches`, over which the browser transport carries all of a page's watches on
   * one connection (default true). Without it each watch holds one of the six connections a
   * browser opens to an origin.
   */
  readonly multiplexWatches?: boolean;
  /**
   * One list+watch of the API server per distinct query, shared by every browser session (default
   * on): lists are answered from the proxy's memory, watches follow its caches, discovery is asked
   * once for all. `false` relays every request to the API server, as `kubectl proxy` does.
   */
  readonly fanOut?: boolean | FanOutOptions;
  /** A heartbeat on each watch session this often (default 15 s); a page that reads nothing for 30 s is cut loose. */
  readonly heartbeatMs?: number;
  /**
   * Tells who makes each request, for a proxy several people share behind an authenticating front
   * (its headers, a client certificate, a session cookie). With it, every request is authorized
   * for its user by a SubjectAccessReview made with the proxy's credentials (kept briefly, see
   * `accessReviews`): a user is served only what they could read from the API server, from the
   * same shared caches. Without it (the default) the proxy serves one person, the kubeconfig's
   * user, whose own requests the API server authorizes.
   */
  readonly identify?: Identify;
  /** How long access decisions are kept (default 60 s allowed, 10 s denied). */
  readonly accessReviews?: AccessReviewOptions;
  /**
   * Queries whose fan-out caches are listed and watched from the start and kept while the proxy
   * runs: the dashboard's own queries (with the `fields` its pages project to), so that its first
   * page is served from memory rather than waiting for the proxy's first list of the API server.
   * kube-apiserver does the same with its watch cache, which lists each resource when it starts.
   * `/readyz` passes once they have all listed (see `waitForCacheSync`). A warm cache serves no
   * one by itself: every request is authorized as before (`identify`), whoever warmed it.
   * Requires the fan-out (`fanOut` not false). Named as a cache is warm, not `prefetch`: a proxy
   * prefetches a response once, ahead of a request; these caches are kept in step with the API
   * server (list, then watch) for the proxy's life, and are never dropped as idle.
   */
  readonly warm?: readonly WarmQuery[];
}

/** What a running proxy holds (for status pages, tests and benchmarks). */
export interface KubeProxyStats {
  /** Watch sessions open: one per browser page. */
  readonly sessions: number;
  /** Watches relayed one to one to the API server (those the fan-out does not serve). */
  readonly relayedWatches: number;
  /** The fan-out's caches, when it is on. */
  readonly fanOut?: FanOutStats;
  /** What the proxy has asked of the API server. */
  readonly upstream: UpstreamCounts;
  /** The warm queries' caches (see `KubeProxyOptions.warm`), with why one is not synced. */
  readonly warm: readonly WarmStatus[];
}

/** A running proxy. */
export interface KubeProxy {
  /** `http://127.0.0.1:PORT`: the dashboard's origin, and the browser transport's base URL. */
  readonly url: string;
  readonly port: number;
  /** The API server it forwards to (no credentials in it). */
  readonly apiServer: string;
  /** What it holds now. */
  stats(): KubeProxyStats;
  /**
   * Resolves true once every warm cache (`KubeProxyOptions.warm`) has listed, as client-go's
   * `WaitForCacheSync`; false when `signal` aborts or the proxy closes first. True at once
   * without warm queries. `/readyz` answers the same question over HTTP.
   */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean>;
  /** Stops listening, ends open watches, frees the transport's connections. */
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Starts a proxy for a browser dashboard, like `kubectl proxy`: the browser talks plain HTTP to
 * it, same-origin, and it talks to the API server with the kubeconfig's credentials, which never
 * reach the browser (no request header goes up but `Accept` and `Content-Type`; no response header
 * comes down but those that describe the body). Read-only unless `allowWrites`. Watches stream
 * through unbuffered. It refuses other hosts (DNS rebinding), other sites, and exec/attach/
 * portforward/proxy subresources.
 *
 * @example
 * ```ts
 * const proxy = await startKubeProxy({ staticDir: 'dist/web' });
 * console.log(`dashboard at ${proxy.url}`);
 * ```
 * @public
 */
export async function startKubeProxy(options: KubeProxyOptions = {}): Promise<KubeProxy> {
  const host = options.host ?? '127.0.0.1';
  const ownTransport = !options.transport;
  const transport = countingUpstream(
    options.transport ??
      createClient({
        ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
        ...(options.context ? { context: options.context } : {}),
      }).transport,
  );
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const acceptHosts = options.acceptHosts ?? [
    ...LOOPBACK_NAMES,
    ...(host === '0.0.0.0' || host === '::' ? [] : [bracketed.toLowerCase()]),
  ];
  const guard = { allowWrites: options.allowWrites ?? false, acceptHosts };
  if (options.identify && guard.allowWrites) {
    if (ownTransport) transport.close?.();
    throw new Error(
      'the kates proxy does not forward writes for several users (identify with allowWrites): the API server would ' +
        "record them as the proxy's, not the user's; run one proxy per user (without identify) to write",
    );
  }
  const authorizer = options.identify
    ? new Authorizer(options.identify, new AccessReviews(transport, options.accessReviews))
    : undefined;
  const maxBodyBytes = options.maxBodyBytes ?? 3 * 1024 * 1024;
  const fanOut =
    options.fanOut === false
      ? undefined
      : new FanOut(transport, typeof options.fanOut === 'object' ? options.fanOut : {});
  if (options.warm?.length && !fanOut) {
    if (ownTransport) transport.close?.();
    throw new Error('the kates proxy keeps warm caches in its fan-out: warm needs fanOut (not false)');
  }
  const warmup = fanOut && options.warm?.length ? new Warmup(fanOut, transport, options.warm) : undefined;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const mux =
    options.multiplexWatches === false
      ? undefined
      : new WatchMuxServer(transport, {
          heartbeatMs,
          maxBlockedMs: Math.max(30_000, 2 * heartbeatMs),
          maxBufferedBytes:
            (typeof options.fanOut === 'object' && options.fanOut.maxBufferedBytes) ||
            DEFAULT_MAX_BUFFERED_BYTES,
          ...(fanOut ? { fanOut } : {}),
          ...(authorizer ? { authorizer } : {}),
        });

  /** Answers without reading the request's body: the connection closes, so no client reuses a socket mid-body. */
  function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    code: number,
    reason: string,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    req.resume();
    writeStatus(res, code, reason, message, req.complete ? headers : { ...headers, connection: 'close' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Parsing against a fixed base resolves `..` and `%2e%2e` before any check sees the path.
    const url = new URL(req.url ?? '/', 'http://kates-proxy.invalid');
    // Probes answer any host (a kubelet's carries the pod's address) and tell nothing but ok or not.
    if (isProbePath(url.pathname) && (req.method === 'GET' || req.method === 'HEAD')) {
      return serveProbe(req, res, url, warmup?.statuses ?? []);
    }
    if (mux && WatchMuxServer.handles(url.pathname)) {
      const refusal = siteRefusalOf(req, guard);
      if (refusal) return refuse(req, res, refusal.code, refusal.reason, refusal.message);
      const user = await authorizer?.userOf(req);
      if (user && 'code' in user) return refuse(req, res, user.code, user.reason, user.message);
      return mux.handle(req, res, url.pathname, user);
    }
    if (isApiPath(url.pathname)) {
      // A page's projection is the proxy's to serve: the API server never sees it.
      const projection = takeProjection(url.searchParams);
      if (isProjectionError(projection)) return refuse(req, res, 400, 'BadRequest', projection.error);
      const refusal = refusalOf(req, url.pathname, guard);
      if (refusal) return refuse(req, res, refusal.code, refusal.reason, refusal.message, refusal.headers);
      if (authorizer) {
        const user = await authorizer.userOf(req);
        const denied =
          'code' in user
            ? user
            : await authorizer.check(user, req.method ?? 'GET', url.pathname, url.searchParams);
        if (denied) return refuse(req, res, denied.code, denied.reason, denied.message);
      }
      if (fanOut && (await fanOut.serve(req, res, url, projection))) return;
      return forward(transport, req, res, url, maxBodyBytes);
    }
    const refusal = hostRefusalOf(req, guard);
    if (refusal) return refuse(req, res, refusal.code, refusal.reason, refusal.message);
    if (options.staticDir) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return refuse(
          req,
          res,
          405,
          'MethodNotAllowed',
          `the dashboard's files are read-only: ${req.method} is refused`,
          { allow: 'GET, HEAD' },
        );
      }
      return serveStatic(options.staticDir, req, res, url.pathname);
    }
    refuse(
      req,
      res,
      404,
      'NotFound',
      `the kates proxy serves /api, /apis and /version only (${url.pathname})`,
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) =>
      writeStatus(res, 500, 'InternalError', `the kates proxy failed: ${(e as Error)?.message ?? String(e)}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      warmup?.close();
      void fanOut?.close();
      if (ownTransport) transport.close?.();
      reject(
        new Error(
          `the kates proxy could not listen on ${bracketed}:${options.port ?? 8001}: ${e.code ?? e.message}` +
            `${e.code === 'EADDRINUSE' ? '; pass another port (0 picks a free one)' : ''}`,
        ),
      );
    });
    server.listen(options.port ?? 8001, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : bracketed;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    apiServer: transport.server,
    stats: () => ({
      sessions: mux?.sessionCount ?? 0,
      relayedWatches: mux?.relayedWatchCount ?? 0,
      ...(fanOut ? { fanOut: fanOut.stats } : {}),
      upstream: { ...transport.counts },
      warm: warmup?.statuses ?? [],
    }),
    waitForCacheSync: async (signal) => {
      await warmup?.whenReady(signal);
      return warmup?.ready ?? true;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Watches hold their connections open; end them rather than wait for their timeouts.
        server.closeAllConnections();
      });
      warmup?.close();
      await fanOut?.close();
      if (ownTransport) transport.close?.();
    },
  };
}
