import { chunksOf } from './chunks.js';
import { type TransportRequest, type TransportResponse, transportResponse } from './types.js';
import { type MuxWatchRequest, parseMuxFrame, WATCH_MUX_PATH } from './watch-mux-protocol.js';

/** How the mux sends its requests: the browser transport's fetch, with its headers and failures. */
export interface MuxFetch {
  /** fetch `path` (under the proxy's base) with the transport's headers and credentials policy. */
  (
    path: string,
    init: { method: 'GET' | 'POST' | 'DELETE'; body?: string; signal?: AbortSignal },
  ): Promise<Response>;
  /** The error a failed or broken request of `req` turns into (a TransportError naming the request). */
  fail(req: Pick<TransportRequest, 'method' | 'path'>, what: string, cause?: unknown): Error;
}

/** The lines of one watch, as the session's stream delivers them. */
class Channel {
  private readonly queue: string[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private error: Error | undefined;

  push(line: string): void {
    this.queue.push(line);
    this.notify();
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.notify();
  }

  get done(): boolean {
    return this.ended;
  }

  /** The lines; leaving early calls `onLeave` (which stops the watch at the proxy). */
  async *lines(onLeave: () => void): AsyncIterable<string> {
    try {
      for (;;) {
        const line = this.queue.shift();
        if (line !== undefined) {
          yield line;
          continue;
        }
        if (this.ended) {
          if (this.error) throw this.error;
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      if (!this.ended) onLeave();
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

interface Session {
  readonly id: string;
  readonly channels: Map<number, Channel>;
  readonly abort: AbortController;
  nextId: number;
  /** When the last frame arrived (ms). */
  lastFrameAt: number;
  /** Set once the proxy sends heartbeats: checks that frames keep coming. */
  watchdog?: ReturnType<typeof setInterval>;
  /** Why the watchdog cut the stream. */
  dead?: Error;
}

/** Heartbeat intervals of silence after which a session counts as dead. */
const MISSED_HEARTBEATS = 3;

/**
 * The browser's side of watch multiplexing (see `watch-mux-protocol.ts`): every watch of a
 * transport rides one session stream, opened with the first watch and again after it breaks.
 * Against a proxy without the endpoint (`kubectl proxy`), `watch()` answers undefined from then
 * on and the transport opens one connection per watch.
 */
export class WatchMux {
  /** The session being opened or open; cleared when it breaks. */
  private session: Promise<Session | undefined> | undefined;
  private current: Session | undefined;
  private unavailable = false;
  private closed = false;

  constructor(private readonly fetch: MuxFetch) {}

  /** Starts a watch through the session; undefined when the proxy does not multiplex. */
  async watch(req: TransportRequest): Promise<TransportResponse | undefined> {
    if (this.unavailable || this.closed) return undefined;
    const session = await this.open(req);
    if (!session) return undefined;
    const id = session.nextId++;
    const channel = new Channel();
    session.channels.set(id, channel);
    const stop = () => {
      if (session.channels.get(id) !== channel) return;
      session.channels.delete(id);
      channel.end(this.fetch.fail(req, 'aborted'));
      this.fetch(`${WATCH_MUX_PATH}/${session.id}/${id}`, { method: 'DELETE' }).catch(() => undefined);
    };
    if (req.signal?.aborted) stop();
    req.signal?.addEventListener('abort', stop, { once: true });
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query[k] = String(v);
    const body: MuxWatchRequest = {
      id,
      path: req.path,
      query,
      ...(req.accept ? { accept: req.accept } : {}),
    };
    let res: Response;
    try {
      res = await this.fetch(`${WATCH_MUX_PATH}/${session.id}`, {
        method: 'POST',
        body: JSON.stringify(body),
        ...(req.signal ? { signal: req.signal } : {}),
      });
    } catch (e) {
      session.channels.delete(id);
      throw this.fetch.fail(req, req.signal?.aborted ? 'aborted' : 'request failed', e);
    }
    if (res.status !== 200) {
      session.channels.delete(id);
      req.signal?.removeEventListener('abort', stop);
      // The proxy lost the session (it restarted): the next watch opens a new one.
      if (res.headers.get('x-kates-watch-session') === 'unknown') this.forget(session);
      // The API server's answer (403, 404, 410...), as a direct watch would have it.
      return transportResponse(
        res,
        () => (res.body ? chunksOf(res.body) : undefined),
        (e, what) => this.fetch.fail(req, what ?? 'connection lost while reading the answer', e),
      );
    }
    // The POST's body is empty: the lines come on the session's stream.
    await res.text().catch(() => '');
    const lines = () => channel.lines(stop);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      lines,
      async text() {
        const out: string[] = [];
        for await (const line of lines()) out.push(line);
        return out.join('\n');
      },
    };
  }

  /** Ends the session and every watch on it. */
  close(): void {
    this.closed = true;
    if (this.current) this.forget(this.current);
  }

  private open(req: TransportRequest): Promise<Session | undefined> {
    this.session ??= this.connect(req).catch((e: unknown) => {
      this.session = undefined;
      throw e;
    });
    return this.session;
  }

  private async connect(req: TransportRequest): Promise<Session | undefined> {
    const abort = new AbortController();
    const opening = { method: 'GET' as const, path: WATCH_MUX_PATH };
    let res: Response;
    try {
      res = await this.fetch(WATCH_MUX_PATH, { method: 'GET', signal: abort.signal });
    } catch (e) {
      throw this.fetch.fail(opening, 'request failed', e);
    }
    // No such endpoint (kubectl proxy, another proxy, a static server answering every path with
    // its page): one connection per watch from now on.
    const type = res.headers.get('content-type') ?? '';
    if (
      res.status === 404 ||
      res.status === 405 ||
      (res.status === 200 && !type.startsWith('application/x-ndjson'))
    ) {
      this.unavailable = true;
      // Not read: a page served in its place could be a stream that never ends.
      await res.body?.cancel().catch(() => undefined);
      return undefined;
    }
    if (res.status !== 200 || !res.body) {
      const text = await res.text().catch(() => '');
      throw this.fetch.fail(
        req,
        `the proxy refused to multiplex watches (${res.status})`,
        new Error(text.slice(0, 200)),
      );
    }
    const lines = transportResponse(
      res,
      () => chunksOf(res.body!),
      (e, what) => this.fetch.fail(opening, what ?? 'watch stream lost', e),
    )
      .lines()
      [Symbol.asyncIterator]();
    const first = await lines.next().catch(() => undefined);
    const frame = first && !first.done ? parseMuxFrame(first.value) : undefined;
    if (frame?.type !== 'session') {
      abort.abort();
      throw this.fetch.fail(opening, 'the proxy did not open a watch session');
    }
    if (this.closed) {
      // Closed while the session was opening: nothing may ride it.
      abort.abort();
      return undefined;
    }
    const session: Session = {
      id: frame.session,
      channels: new Map(),
      abort,
      nextId: 1,
      lastFrameAt: Date.now(),
    };
    this.current = session;
    void this.pump(session, lines, opening);
    return session;
  }

  /** Hands each frame to its watch; when the stream ends, every watch on it ends with an error. */
  private async pump(
    session: Session,
    lines: AsyncIterator<string>,
    opening: Pick<TransportRequest, 'method' | 'path'>,
  ): Promise<void> {
    let error: Error | undefined;
    try {
      for (;;) {
        const next = await lines.next();
        if (next.done) break;
        session.lastFrameAt = Date.now();
        const frame = parseMuxFrame(next.value);
        if (frame?.type === 'heartbeat') {
          this.armWatchdog(session, frame.intervalMs, opening);
          continue;
        }
        if (!frame || frame.type === 'session') continue;
        const channel = session.channels.get(frame.id);
        if (!channel) continue;
        if (frame.type === 'line') channel.push(frame.line);
        else {
          session.channels.delete(frame.id);
          channel.end(
            frame.type === 'error'
              ? this.fetch.fail(opening, `watch ${frame.id} broke`, new Error(frame.message))
              : undefined,
          );
        }
      }
    } catch (e) {
      error = e as Error;
    }
    this.forget(session, session.dead ?? error ?? this.fetch.fail(opening, 'watch stream ended'));
  }

  /**
   * Arms the watchdog of a session whose proxy sends heartbeats: a silence of three intervals
   * means the connection died without closing (a laptop's sleep, a dropped route), and the
   * watches on it would otherwise wait for their own inactivity timeouts (minutes).
   */
  private armWatchdog(
    session: Session,
    intervalMs: number,
    opening: Pick<TransportRequest, 'method' | 'path'>,
  ): void {
    if (session.watchdog) return;
    session.watchdog = setInterval(() => {
      const silent = Date.now() - session.lastFrameAt;
      if (silent <= MISSED_HEARTBEATS * intervalMs) return;
      session.dead = this.fetch.fail(
        opening,
        `no heartbeat for ${silent} ms (the proxy sends one every ${intervalMs} ms): the connection is lost`,
      );
      session.abort.abort();
    }, intervalMs);
  }

  private forget(session: Session, error?: Error): void {
    if (this.current === session) {
      this.current = undefined;
      this.session = undefined;
    }
    session.abort.abort();
    if (session.watchdog) clearInterval(session.watchdog);
    const lost = error ?? this.fetch.fail({ method: 'GET', path: WATCH_MUX_PATH }, 'watch stream closed');
    for (const channel of session.channels.values()) channel.end(lost);
    session.channels.clear();
  }
}
