import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport, TransportResponse } from '@kates/core';
import { isWatchRequest, type MuxWatchRequest, WATCH_MUX_PATH } from '@kates/core/internal';
import type { UserInfo } from './authz/access-review.js';
import type { Authorizer } from './authz/authorizer.js';
import type { FanOut } from './fanout/fan-out.js';
import { isProjectionError, type Projection, takeProjection } from './fanout/projection.js';
import { readBody, relayWhole } from './forward.js';
import { isApiPath, tunnelRefusalOf } from './guard.js';
import { SessionStream, type SessionStreamOptions } from './session-stream.js';
import { baseHeaders, writeStatus, writeUnreachable } from './status.js';

/** One browser page's stream, and the watches it carries. */
interface Session {
  readonly stream: SessionStream;
  readonly watches: Map<number, AbortController>;
  /** Whose page it is, on a proxy that tells its users apart: only they may start watches on it. */
  readonly user: string | undefined;
}

/** Settings of a {@link WatchMuxServer}. */
export interface WatchMuxOptions extends SessionStreamOptions {
  /** Serve the watches it can from the fan-out's caches; relay each to the API server without it. */
  readonly fanOut?: FanOut;
  /** Authorizes each watch for its user, on a proxy that tells its users apart. */
  readonly authorizer?: Authorizer;
}

/**
 * The proxy's side of watch multiplexing (the protocol is in `@kates/core`'s
 * `watch-mux-protocol.ts`): one stream per page carries all its watches, so that a dashboard with
 * many queries does not run out of the six connections a browser opens to an origin. Only watches
 * (GET with `watch=true`) ride it; everything else goes through {@link forward} as before.
 *
 * With a {@link FanOut}, a watch follows the cache of its query, shared with every other session;
 * the watches it does not serve (a Table, a rare parameter) are relayed, one API server watch each.
 */
export class WatchMuxServer {
  private readonly sessions = new Map<string, Session>();
  private relayed = 0;

  constructor(
    private readonly transport: Transport,
    private readonly options: WatchMuxOptions,
  ) {}

  /** Whether `pathname` is the protocol's. */
  static handles(pathname: string): boolean {
    return pathname === WATCH_MUX_PATH || pathname.startsWith(`${WATCH_MUX_PATH}/`);
  }

  /** Watches running, over every session (for tests and status pages). */
  get watchCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.watches.size;
    return n;
  }

  /** Watches relayed to the API server one to one, over every session. */
  get relayedWatchCount(): number {
    return this.relayed;
  }

  /** Answers one request of the protocol; the caller has checked its host and site. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string, user?: UserInfo): Promise<void> {
    const [sessionId, watchId, extra] = pathname.slice(WATCH_MUX_PATH.length + 1).split('/');
    const method = req.method ?? 'GET';
    if (pathname === WATCH_MUX_PATH && method === 'GET') return this.open(res, user);
    if (sessionId && watchId === undefined && method === 'POST') return this.start(req, res, sessionId, user);
    if (sessionId && watchId && extra === undefined && method === 'DELETE') {
      return this.stop(req, res, sessionId, watchId, user);
    }
    req.resume();
    writeStatus(
      res,
      405,
      'MethodNotAllowed',
      `${method} ${pathname}: the kates proxy's watch sessions are opened with GET ${WATCH_MUX_PATH}, ` +
        `watches started with POST ${WATCH_MUX_PATH}/<session> and stopped with DELETE ${WATCH_MUX_PATH}/<session>/<id>`,
    );
  }

  /** Sessions open (for tests and status pages). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  private open(res: ServerResponse, user: UserInfo | undefined): void {
    const id = randomUUID();
    res.writeHead(200, { ...baseHeaders, 'content-type': 'application/x-ndjson', 'x-accel-buffering': 'no' });
    const session: Session = {
      stream: new SessionStream(res, this.options),
      watches: new Map(),
      user: user?.username,
    };
    this.sessions.set(id, session);
    res.on('close', () => {
      this.sessions.delete(id);
      for (const watch of session.watches.values()) watch.abort();
      session.watches.clear();
    });
    session.stream.write({ type: 'session', session: id });
    // At once, so that the browser knows how long a silence may last before the first interval.
    session.stream.write({ type: 'heartbeat', intervalMs: this.options.heartbeatMs });
  }

  private async start(
    req: IncomingMessage,
    res: ServerResponse,
    sessionId: string,
    user: UserInfo | undefined,
  ): Promise<void> {
    const session = this.sessionOf(sessionId, user);
    if (!session) {
      req.resume();
      writeStatus(
        res,
        404,
        'NotFound',
        `no watch session ${sessionId} (the proxy restarted, or the page's stream closed); open a new one`,
        { 'x-kates-watch-session': 'unknown' },
      );
      return;
    }
    let watch: MuxWatchRequest;
    try {
      watch = parseWatchRequest(await readBody(req, 64 * 1024));
    } catch (e) {
      writeStatus(res, 400, 'BadRequest', `a watch of the kates proxy: ${(e as Error).message}`);
      return;
    }
    // A page's projection is the proxy's to serve: a relayed watch goes up without it.
    const projection = takeProjection(watch.query);
    if (isProjectionError(projection)) return writeStatus(res, 400, 'BadRequest', projection.error);
    const refused =
      tunnelRefusalOf(watch.path) ??
      (user && (await this.options.authorizer?.check(user, 'GET', watch.path, watch.query)));
    if (refused) return writeStatus(res, refused.code, refused.reason, refused.message);
    if (session.watches.has(watch.id)) {
      return writeStatus(res, 409, 'AlreadyExists', `watch ${watch.id} is already running in this session`);
    }
    const abort = new AbortController();
    session.watches.set(watch.id, abort);
    // A page that leaves before the API server answers: nothing to relay.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    if (this.options.fanOut) {
      const served = await this.fanOut(this.options.fanOut, session, watch, res, abort, projection);
      if (served) return;
    }
    let upstream: TransportResponse;
    try {
      upstream = await this.transport.request({
        method: 'GET',
        path: watch.path,
        query: watch.query,
        accept: watch.accept ?? 'application/json',
        signal: abort.signal,
      });
    } catch (e) {
      session.watches.delete(watch.id);
      if (!abort.signal.aborted) writeUnreachable(res, e);
      return;
    }
    if (upstream.status !== 200) {
      session.watches.delete(watch.id);
      return relayWhole(upstream, res, abort.signal);
    }
    res.writeHead(200, { ...baseHeaders, 'content-type': 'application/json' });
    res.end();
    await this.pump(session, watch.id, upstream, abort.signal);
  }

  /** A session, if it is there and it is this user's (another user's is as good as unknown). */
  private sessionOf(id: string, user: UserInfo | undefined): Session | undefined {
    const session = this.sessions.get(id);
    return session && session.user === user?.username ? session : undefined;
  }

  /** Serves a watch from the fan-out's cache; false when the fan-out leaves it to the API server. */
  private async fanOut(
    fanOut: FanOut,
    session: Session,
    watch: MuxWatchRequest,
    res: ServerResponse,
    abort: AbortController,
    projection: Projection | undefined,
  ): Promise<boolean> {
    const prepared = await fanOut.prepareWatch(
      watch.path,
      watch.query,
      watch.accept,
      abort.signal,
      projection,
    );
    if (abort.signal.aborted || session.watches.get(watch.id) !== abort) return true;
    if (prepared.type === 'relay') return false;
    if (prepared.type === 'refused') {
      session.watches.delete(watch.id);
      prepared.answer(res);
      return true;
    }
    res.writeHead(200, { ...baseHeaders, 'content-type': 'application/json' });
    res.end();
    const sink = session.stream.sink(watch.id, () => {
      if (session.watches.get(watch.id) === abort) session.watches.delete(watch.id);
    });
    const running = prepared.start(sink);
    abort.signal.addEventListener('abort', () => running.close(), { once: true });
    return true;
  }

  /** Relays a watch's lines onto its session's stream, with the stream's backpressure. */
  private async pump(session: Session, id: number, upstream: TransportResponse, signal: AbortSignal) {
    let failure: string | undefined;
    this.relayed++;
    try {
      for await (const line of upstream.lines()) {
        if (signal.aborted) break;
        await session.stream.writeAndDrain({ type: 'line', id, line });
      }
    } catch (e) {
      failure = (e as Error).message;
    }
    this.relayed--;
    if (session.watches.get(id)?.signal === signal) session.watches.delete(id);
    if (signal.aborted) return;
    await session.stream.writeAndDrain(
      failure === undefined ? { type: 'end', id } : { type: 'error', id, message: failure },
    );
  }

  private stop(
    req: IncomingMessage,
    res: ServerResponse,
    sessionId: string,
    watchId: string,
    user: UserInfo | undefined,
  ): void {
    req.resume();
    const watches = this.sessionOf(sessionId, user)?.watches;
    const id = Number(watchId);
    watches?.get(id)?.abort();
    watches?.delete(id);
    res.writeHead(200, { ...baseHeaders, 'content-type': 'application/json' });
    res.end('{}');
  }
}

/** The body of a start request, checked: a watch (GET with `watch=true`) of the Kubernetes API. */
function parseWatchRequest(body: string | undefined): MuxWatchRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw new Error(
      'the body must be JSON: { "id": 1, "path": "/api/v1/pods", "query": { "watch": "true" } }',
    );
  }
  const { id, path, query, accept } = (parsed ?? {}) as Partial<Record<keyof MuxWatchRequest, unknown>>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    throw new Error('"id" must be a whole number, unique within the session');
  }
  // Normalized as the proxy normalizes request URLs, so that `..` or `%2e%2e` cannot slip past the checks.
  if (
    typeof path !== 'string' ||
    !isApiPath(path) ||
    new URL(path, 'http://kates-proxy.invalid').pathname !== path
  ) {
    throw new Error(
      `"path" must be a path of the Kubernetes API (/api/..., /apis/...), not ${JSON.stringify(path)}`,
    );
  }
  const params: Record<string, string> = {};
  if (query !== undefined) {
    if (typeof query !== 'object' || query === null) throw new Error('"query" must be an object of strings');
    for (const [k, v] of Object.entries(query)) {
      if (typeof v !== 'string') throw new Error(`query parameter "${k}" must be a string`);
      params[k] = v;
    }
  }
  if (!isWatchRequest({ path, query: params })) {
    throw new Error(`only watches share the session: ${path} needs watch=true; send other requests directly`);
  }
  if (accept !== undefined && typeof accept !== 'string') throw new Error('"accept" must be a string');
  return { id, path, query: params, ...(accept ? { accept } : {}) };
}
