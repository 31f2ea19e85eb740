import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  formatMuxFrame,
  isWatchRequest,
  type MuxFrame,
  type MuxWatchRequest,
  type Transport,
  type TransportResponse,
  WATCH_MUX_PATH,
} from '@kates/core';
import { drainedOrClosed } from './drain.js';
import { readBody, relayWhole } from './forward.js';
import { isApiPath, tunnelRefusalOf } from './guard.js';
import { baseHeaders, writeStatus, writeUnreachable } from './status.js';

/** One browser page's stream, and the watches it carries. */
interface Session {
  readonly stream: ServerResponse;
  readonly watches: Map<number, AbortController>;
}

/**
 * The proxy's side of watch multiplexing (the protocol is in `@kates/core`'s
 * `watch-mux-protocol.ts`): one stream per page carries all its watches, so that a dashboard with
 * many queries does not run out of the six connections a browser opens to an origin. Only watches
 * (GET with `watch=true`) ride it; everything else goes through {@link forward} as before.
 */
export class WatchMuxServer {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly transport: Transport) {}

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

  /** Answers one request of the protocol; the caller has checked its host and site. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const [sessionId, watchId, extra] = pathname.slice(WATCH_MUX_PATH.length + 1).split('/');
    const method = req.method ?? 'GET';
    if (pathname === WATCH_MUX_PATH && method === 'GET') return this.open(res);
    if (sessionId && watchId === undefined && method === 'POST') return this.start(req, res, sessionId);
    if (sessionId && watchId && extra === undefined && method === 'DELETE') {
      return this.stop(req, res, sessionId, watchId);
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

  private open(res: ServerResponse): void {
    const id = randomUUID();
    const session: Session = { stream: res, watches: new Map() };
    this.sessions.set(id, session);
    res.on('close', () => {
      this.sessions.delete(id);
      for (const watch of session.watches.values()) watch.abort();
      session.watches.clear();
    });
    res.writeHead(200, { ...baseHeaders, 'content-type': 'application/x-ndjson', 'x-accel-buffering': 'no' });
    res.write(`${formatMuxFrame({ type: 'session', session: id })}\n`);
  }

  private async start(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
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
    const refused = tunnelRefusalOf(watch.path);
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

  /** Relays a watch's lines onto its session's stream, with the stream's backpressure. */
  private async pump(session: Session, id: number, upstream: TransportResponse, signal: AbortSignal) {
    const send = async (frame: MuxFrame) => {
      if (session.stream.destroyed) return;
      if (!session.stream.write(`${formatMuxFrame(frame)}\n`)) await drainedOrClosed(session.stream);
    };
    let failure: string | undefined;
    try {
      for await (const line of upstream.lines()) {
        if (signal.aborted) break;
        await send({ type: 'line', id, line });
      }
    } catch (e) {
      failure = (e as Error).message;
    }
    if (session.watches.get(id)?.signal === signal) session.watches.delete(id);
    if (signal.aborted) return;
    await send(failure === undefined ? { type: 'end', id } : { type: 'error', id, message: failure });
  }

  private stop(req: IncomingMessage, res: ServerResponse, sessionId: string, watchId: string): void {
    req.resume();
    const watches = this.sessions.get(sessionId)?.watches;
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
