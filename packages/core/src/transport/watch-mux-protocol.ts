/**
 * Watch multiplexing between the browser transport and the kates proxy: every watch of a page
 * shares one streaming connection.
 *
 * Why: over HTTP/1.1 a browser opens at most six connections to an origin, and each watch holds
 * one open for as long as it runs. A dashboard with six queries of distinct kind, namespace or
 * selectors then has no connection left for its lists, and its seventh query never syncs.
 *
 * The protocol, under the proxy's base URL:
 * - `GET /kates/watches` opens a session: a stream of newline-delimited frames, the first of which
 *   names the session (`s <session>`).
 * - `POST /kates/watches/<session>` with `{ id, path, query, accept }` starts watch `id` (a GET
 *   with `watch=true` of the API). The answer is the API server's: any status other than 200 comes
 *   back whole, as a direct watch would; 200 means its lines follow on the session's stream.
 * - On the stream: `w<id> <line>` carries one line of watch `id`; `e<id>` says it ended (the
 *   API server closed it); `x<id> <message>` says it broke.
 * - `DELETE /kates/watches/<session>/<id>` stops watch `id`. Closing the stream stops them all.
 * - `h <ms>` on the stream is a heartbeat, sent every `<ms>` milliseconds: a transport that has
 *   seen one treats a silence of three intervals as a dead connection and opens a new session.
 *   A transport that does not know the frame skips it, as it skips any frame it does not know.
 *
 * Watch lines never hold a newline (they are split on it), so a frame is one line as well.
 */

/** Where the proxy serves the protocol, under its base URL. */
export const WATCH_MUX_PATH = '/kates/watches';

/** The body of the POST that starts a watch. */
export interface MuxWatchRequest {
  readonly id: number;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly accept?: string;
}

/** One frame of a session's stream. */
export type MuxFrame =
  | { readonly type: 'session'; readonly session: string }
  | { readonly type: 'line'; readonly id: number; readonly line: string }
  | { readonly type: 'end'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'heartbeat'; readonly intervalMs: number };

/** The text of a frame, without its newline. */
export function formatMuxFrame(frame: MuxFrame): string {
  switch (frame.type) {
    case 'session':
      return `s ${frame.session}`;
    case 'line':
      return `w${frame.id} ${frame.line}`;
    case 'end':
      return `e${frame.id}`;
    case 'error':
      return `x${frame.id} ${frame.message.replace(/\r?\n/g, ' ')}`;
    case 'heartbeat':
      return `h ${frame.intervalMs}`;
  }
}

/** Reads one frame; undefined for a line that is not one (a newer proxy's frame, say). */
export function parseMuxFrame(text: string): MuxFrame | undefined {
  const tag = text[0];
  if (tag === 's' && text[1] === ' ') return { type: 'session', session: text.slice(2) };
  if (tag === 'h' && text[1] === ' ') {
    const intervalMs = Number(text.slice(2));
    return Number.isSafeInteger(intervalMs) && intervalMs > 0 ? { type: 'heartbeat', intervalMs } : undefined;
  }
  const space = text.indexOf(' ');
  const id = Number(text.slice(1, space < 0 ? undefined : space));
  if (!Number.isSafeInteger(id) || id < 0 || text.length < 2) return undefined;
  if (tag === 'w' && space > 0) return { type: 'line', id, line: text.slice(space + 1) };
  if (tag === 'e' && space < 0) return { type: 'end', id };
  if (tag === 'x') return { type: 'error', id, message: space < 0 ? '' : text.slice(space + 1) };
  return undefined;
}

/** Whether a request is a watch: `?watch=true` (or `1`), or the older `/watch/` paths. */
export function isWatchRequest(req: {
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
}): boolean {
  const watch = req.query?.watch;
  return (
    watch === true ||
    watch === 'true' ||
    watch === '1' ||
    watch === 1 ||
    /^\/apis?\/(.+\/)?watch\//.test(req.path)
  );
}
