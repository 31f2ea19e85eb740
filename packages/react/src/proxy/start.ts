import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CreateClientOptions, createClient, type Transport } from '@kates/core';
import { forward } from './forward.js';
import { hostRefusalOf, isApiPath, refusalOf, siteRefusalOf } from './guard.js';
import { serveStatic } from './static.js';
import { writeStatus } from './status.js';
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
}

/** A running proxy. */
export interface KubeProxy {
  /** `http://127.0.0.1:PORT`: the dashboard's origin, and the browser transport's base URL. */
  readonly url: string;
  readonly port: number;
  /** The API server it forwards to (no credentials in it). */
  readonly apiServer: string;
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
  const transport =
    options.transport ??
    createClient({
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context ? { context: options.context } : {}),
    }).transport;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const acceptHosts = options.acceptHosts ?? [
    ...LOOPBACK_NAMES,
    ...(host === '0.0.0.0' || host === '::' ? [] : [bracketed.toLowerCase()]),
  ];
  const guard = { allowWrites: options.allowWrites ?? false, acceptHosts };
  const maxBodyBytes = options.maxBodyBytes ?? 3 * 1024 * 1024;
  const mux = options.multiplexWatches === false ? undefined : new WatchMuxServer(transport);

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
    if (mux && WatchMuxServer.handles(url.pathname)) {
      const refusal = siteRefusalOf(req, guard);
      if (refusal) return refuse(req, res, refusal.code, refusal.reason, refusal.message);
      return mux.handle(req, res, url.pathname);
    }
    if (isApiPath(url.pathname)) {
      const refusal = refusalOf(req, url.pathname, guard);
      if (refusal) return refuse(req, res, refusal.code, refusal.reason, refusal.message, refusal.headers);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Watches hold their connections open; end them rather than wait for their timeouts.
        server.closeAllConnections();
        if (ownTransport) transport.close?.();
      }),
  };
}
