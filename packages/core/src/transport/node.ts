import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { type KubeConfig, RequestContext } from '@kubernetes/client-node';
import { Agent, type Dispatcher, getGlobalDispatcher } from 'undici';
import { bodyText, bodyTextUnless } from './body-text.js';
import { ACCEPTED_CODINGS, decodeChunks } from './content-coding.js';
import { type StreamedAnswer, streamRequest } from './stream-request.js';
import {
  requestUrl,
  type Transport,
  TransportError,
  type TransportRequest,
  type TransportResponse,
  transportResponse,
} from './types.js';
import { isWatchRequest } from './watch-mux-protocol.js';

/** A {@link Transport} over client-node's authentication, with counters for tests and benchmarks. */
export interface NodeTransport extends Transport {
  /** Requests sent, connections opened, connection pools (one per cluster and TLS identity) held. */
  stats(): { readonly requests: number; readonly connections: number; readonly dispatchers: number };
  /**
   * Lets the requests in flight finish and frees the connections; any request made afterwards
   * fails with a {@link TransportError} ("the client is closed") without being sent.
   */
  close(): void;
}

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /**
   * Whether requests other than watches ask for gzip (`accept-encoding`), which kube-apiserver
   * applies to answers over 128 KB. Default true, as client-go. False is client-go's
   * `DisableCompression` and the kubeconfig's `disable-compression: true` (which `createClient`
   * reads): for a fast network, where compressing costs the API server and the client more than
   * the bytes it saves. Measured on kube-apiserver over loopback, the bench's objects, fresh
   * processes taking turns (medians of 5 to 8 each, 2026-12-07): the first snapshot of 10k
   * ConfigMaps took 403 and 496 ms without compression against 530 and 536 with it (two batches),
   * and one LIST of them 353 against 433 ms; 1k ConfigMaps 67 against 75 ms; 1k Pods 226 against 210 ms
   * (gzip at level 1 makes those Pods 7% of their size, the ConfigMaps 32%). The default stays on,
   * as client-go's: across a slow network the bytes cost more, and a loopback address says nothing
   * of the network behind it (an SSH tunnel, `kubectl proxy`). Proved by 'asks for no content
   * coding when compression is off' (node.test.ts) and 'gets a large LIST uncompressed when
   * compression is off, and the same text either way' (node.cluster.test.ts).
   */
  readonly compression?: boolean;
}

type CreateDispatcher = (cluster: unknown, agentOptions: unknown) => Dispatcher | undefined;

const USER_AGENT = 'kates-ts/0.1';

/**
 * The Node transport: each request asks client-node for its authentication (bearer tokens, token
 * files, exec plugins, OIDC, client certificates, CA, proxies), then sends it through undici's
 * dispatcher API (`streamRequest`).
 * kates writes no auth of its own.
 *
 * client-node builds a new undici dispatcher (a connection pool) on every call to
 * `applySecurityAuthentication`, so every request would open a new TLS connection. We keep one
 * dispatcher per distinct set of TLS options instead: the first request builds it, later requests
 * with the same options reuse its connections, and rotated client certificates (exec plugins) get
 * a new pool.
 */
export function createNodeTransport(kc: KubeConfig, options: NodeTransportOptions = {}): NodeTransport {
  const compression = options.compression ?? true;
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new Error(
      `kubeconfig context "${kc.getCurrentContext()}" names no cluster: check its \`cluster:\` entry`,
    );
  }
  const server = cluster.server.replace(/\/+$/, '');
  if (!validServer(server)) {
    throw new Error(
      `kubeconfig cluster "${cluster.name}" has an invalid server: it must be an https:// (or http://) ` +
        'URL without user information',
    );
  }
  const dispatchers = new Map<string, Dispatcher>();
  let requests = 0;
  let connections = 0;
  // After close(), a request would otherwise build a new pool that nothing ever closes (its
  // sockets keep the process alive), or reach a pool that close() is draining.
  let closed = false;

  const build = (KubeConfigPrototype(kc) as { createDispatcher?: CreateDispatcher }).createDispatcher;
  // A view of the kubeconfig whose dispatchers come from the cache. Everything else (users,
  // authenticators and their token caches) is the caller's KubeConfig, through the prototype.
  const auth: KubeConfig =
    typeof build === 'function'
      ? Object.create(kc, {
          createDispatcher: {
            value(clusterArg: unknown, agentOptions: unknown): Dispatcher | undefined {
              const options = kc.createDispatcherOptions(clusterArg as never, agentOptions as never);
              // Closed meanwhile: request() refuses before it sends, so build nothing to keep.
              if (closed) return undefined;
              const key = fingerprint(options);
              let dispatcher = dispatchers.get(key);
              if (!dispatcher) {
                dispatcher =
                  options.type === 'agent' || options.type === 'none'
                    ? http1Agent(options.type === 'agent' ? options.connect : undefined)
                    : build.call(kc, clusterArg, agentOptions);
                if (!dispatcher) return undefined;
                dispatcher.on('connect', () => {
                  connections++;
                });
                dispatchers.set(key, dispatcher);
              }
              return dispatcher;
            },
          },
        })
      : kc;

  async function request(req: TransportRequest): Promise<TransportResponse> {
    requests++;
    const path = requestUrl(req);
    const ctx = new RequestContext(`${server}${path}`, req.method);
    const fail = (what: string, cause: unknown) => {
      const secrets = secretsOf(ctx.getHeaders());
      const described = redact(describeCause(cause), secrets);
      // A cause that quotes a credential (undici quotes a malformed header value) is replaced.
      const safeCause = described.includes(REDACTED) ? new Error(described) : cause;
      return new TransportError(
        `${req.method} ${server}${req.path}: ${what}: ${described}`,
        server,
        req.method,
        req.path,
        safeCause,
      );
    };
    const refuseClosed = () =>
      new TransportError(
        `${req.method} ${server}${req.path}: the client is closed`,
        server,
        req.method,
        req.path,
      );
    if (closed) throw refuseClosed();
    try {
      await auth.applySecurityAuthentication(ctx);
    } catch (e) {
      throw fail("could not apply the kubeconfig's authentication and TLS settings", e);
    }
    // Closed while the authentication was applied (an exec plugin, a token file).
    if (closed) throw refuseClosed();
    const headers: Record<string, string> = {
      ...ctx.getHeaders(),
      accept: req.accept ?? 'application/json',
      'user-agent': USER_AGENT,
    };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    // A watch asks for no content coding (see ACCEPTED_CODINGS); so does one the proxy forwards,
    // and any request with compression off.
    if (compression && !isWatchRequest(req)) headers['accept-encoding'] = ACCEPTED_CODINGS;
    let res: StreamedAnswer;
    try {
      res = await streamRequest(ctx.getDispatcher() ?? getGlobalDispatcher(), `${server}${path}`, {
        method: req.method,
        headers,
        body: req.body,
        signal: req.signal,
        onSent: req.onSent,
      });
    } catch (e) {
      throw fail(req.signal?.aborted ? 'aborted' : 'request failed', e);
    }
    const { body, contentCoding } = res;
    return transportResponse(
      res,
      () => decodeChunks(body, contentCoding),
      (e: unknown, what?: string) =>
        fail(
          what ??
            (req.signal?.aborted
              ? 'aborted while reading the answer'
              : 'connection lost while reading the answer'),
          e,
        ),
      () => released(bodyText(body, contentCoding)),
      contentCoding === undefined ? res : undefined,
      (drop) => released(bodyTextUnless(body, contentCoding, drop)),
    );
  }

  return {
    server,
    request,
    stats: () => ({ requests, connections, dispatchers: dispatchers.size }),
    close() {
      closed = true;
      // close() lets requests in flight finish; they settle with their answer or their error.
      for (const d of dispatchers.values()) void d.close().catch(() => undefined);
      dispatchers.clear();
    },
  };
}

/**
 * What `read` gives, one turn of the event loop later. undici hands the connection of an answer read
 * to its end back to its pool on a later turn (a full turn, for servers that close a connection
 * they said they would keep), so a request made at once (a list's next page, a write after the read
 * it follows) found none free and opened one of its own, with a TLS handshake:
 * a list of five pages from kube-apiserver took two connections, and a controller's first watch
 * one more. With the turn they take one (2026-12-07, undici's diagnostics channels). Proved by
 * 'sends sequential requests over one keep-alive connection' (node.cluster.test.ts, both servers).
 */
async function released<T>(read: Promise<T>): Promise<T> {
  const value = await read;
  await setImmediate();
  return value;
}

/**
 * A connection pool that speaks HTTP/1.1 only, as client-node's own requests do: each watch holds a
 * connection of its own. Why not HTTP/2 (undici's default, `allowH2`): its client froze the event
 * loop of a leader-election replica for good, busy in `Http2Stream.close()` (`submitRstStream`)
 * when a request was aborted after the process had been paused (SIGSTOP) with answers in flight;
 * found by `failover.cluster.test.ts`, in about one run of four under load, with a CPU profile of
 * the frozen replica. undici also tracks an HTTP/2 request with a body that is never written while
 * another stream of the session is still receiving (nodejs/undici#5524): a PATCH behind a watch.
 */
function http1Agent(connect: object | undefined): Dispatcher {
  return new Agent({ allowH2: false, ...(connect ? { connect } : {}) });
}

function validServer(server: string): boolean {
  try {
    const url = new URL(server);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

function KubeConfigPrototype(kc: KubeConfig): object {
  return Object.getPrototypeOf(kc) as object;
}

/**
 * The message of a network error and of its causes (undici nests the socket error), such as
 * `connect ECONNREFUSED 127.0.0.1:1`. These name hosts and codes, never headers.
 */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(
      typeof code === 'string' && !current.message.includes(code)
        ? `${current.message} (${code})`
        : current.message,
    );
    current = current.cause;
  }
  return parts.length ? parts.join(': ') : String(cause);
}

const REDACTED = '[redacted]';

/** Header values that are credentials, and the bare tokens inside `Bearer`/`Basic` values. */
function secretsOf(headers: Record<string, string>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!/^(authorization|impersonate-)/i.test(name) || !value) continue;
    secrets.push(value);
    const token = value.replace(/^(Bearer|Basic)\s+/i, '');
    if (token !== value) secrets.push(token, token.trim());
  }
  return secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}

/** A stable key for dispatcher options; key material is hashed, never kept as text. */
function fingerprint(options: unknown): string {
  const json = JSON.stringify(options, (_key, value: unknown) => {
    if (
      value &&
      typeof value === 'object' &&
      (value as { type?: unknown }).type === 'Buffer' &&
      Array.isArray((value as { data?: unknown }).data)
    ) {
      return Buffer.from((value as { data: number[] }).data).toString('base64');
    }
    return value;
  });
  return createHash('sha256').update(json).digest('hex');
}
