import { LineTooLongError, splitLineBatches, splitLines } from './lines.js';
/**
 * The transport is the only thing that talks HTTP. The reflector, the discovery and the client
 * speak to it; the Node transport (client-node's auth and TLS) and the browser transport (fetch
 * through a same-origin proxy) implement it. Nothing above it imports either.
 */

/** One HTTP request to the API server. `path` starts with `/api` or `/apis`. */
export interface TransportRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** Query parameters; undefined values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON body, already serialized. */
  readonly body?: string;
  /** Content-Type of the body (e.g. `application/merge-patch+json`); `application/json` by default. */
  readonly contentType?: string;
  /** Accept header; `application/json` by default. */
  readonly accept?: string;
  /** Aborts the request, or the stream of a watch. */
  readonly signal?: AbortSignal;
  /**
   * Called once the request has been handed to the network (written to its connection), before its
   * answer comes; never where it fails first. A transport that cannot tell leaves it uncalled. The
   * reflector waits for it before it parses a LIST page, so that the next page is on its way
   * meanwhile (`Reflector.list`).
   */
  readonly onSent?: () => void;
}

/**
 * Says, of the start of a body as text, whether the rest is not wanted (true), is wanted (false),
 * or cannot be told yet (undefined: asked again when more has come). See
 * `TransportResponse.textUnless`.
 */
export type DropBody = (start: string) => boolean | undefined;

/** An HTTP answer whose body is read once, whole or as lines. */
export interface TransportResponse {
  readonly status: number;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body as text. */
  text(): Promise<string>;
  /**
   * The whole body as text, unless `drop` says of its start that it is not wanted: then the rest
   * is not read (the request ends) and the answer is undefined. `drop` answers true (drop), false
   * (read on) or undefined (cannot tell yet: ask again when more has come). Optional, and a
   * transport may read the whole body before it asks, or never ask: the caller judges the text it
   * gets as it would have judged its start. The reflector uses it to drop a first LIST page that
   * says the collection is to be streamed (see `initialList`).
   */
  textUnless?(drop: DropBody): Promise<string | undefined>;
  /** The body as newline-delimited lines (the watch protocol), as they arrive; empty lines skipped. */
  lines(): AsyncIterable<string>;
  /**
   * The same lines, in arrays of those that arrived together (one read of the body each). Optional:
   * a transport without it is read a line at a time (`lines()`). The reflector acts once per
   * array, so a watch that was quiet has its change stored as soon as the read is parsed.
   */
  lineBatches?(): AsyncIterable<readonly string[]>;
  /**
   * The same lines handed to `onLines` in the transport's own callback, as each read of the body
   * completes them (what came before the call, at once), with no promise between the bytes and the
   * reader. Resolves at the body's end; rejects when reading fails, or with what `onLines` threw
   * as thrown (the request then ends). `onLines` is never called after it settles. Optional: see
   * {@link readLinesOf}. The reflector reads a watch this way, so that a change is in the store
   * before the transport has finished the read that brought it.
   */
  readLines?(onLines: (lines: readonly string[]) => void): Promise<void>;
}

/**
 * The lines of `res` in arrays of those that arrived together: its own `lineBatches()`, or each line
 * of `lines()` alone.
 */
export function lineBatchesOf(res: TransportResponse): AsyncIterable<readonly string[]> {
  return res.lineBatches ? res.lineBatches() : eachAlone(res.lines());
}

/**
 * Reads the lines of `res` into `onLines`, one call per array of {@link lineBatchesOf}: through
 * its own `readLines()` where it has one, else from its batches. Resolves at the body's end;
 * rejects when reading fails or `onLines` throws (with what it threw).
 */
export async function readLinesOf(
  res: TransportResponse,
  onLines: (lines: readonly string[]) => void,
): Promise<void> {
  if (res.readLines) return res.readLines(onLines);
  for await (const lines of lineBatchesOf(res)) onLines(lines);
}

async function* eachAlone(lines: AsyncIterable<string>): AsyncIterable<readonly string[]> {
  for await (const line of lines) yield [line];
}

/** Sends requests to one API server. */
export interface Transport {
  /** The API server's base URL, for error messages. Never holds credentials. */
  readonly server: string;
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Frees sockets and timers. */
  close?(): void;
}

/**
 * A request that never reached an answer: connection refused, TLS failure, reset, abort. The
 * message names the server and what failed, never a credential.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly server: string,
    readonly method: string,
    readonly path: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Builds `path?query` from a request. */
export function requestUrl(req: Pick<TransportRequest, 'path' | 'query'>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${req.path}?${qs}` : req.path;
}

/** The parts of a fetch `Response` (the global one or undici's) that a transport reads. */
export interface FetchLikeResponse {
  readonly status: number;
  readonly headers: { forEach(fn: (value: string, name: string) => void): void };
  text(): Promise<string>;
}

/**
 * Adapts a fetch response to a {@link TransportResponse}: header names in lower case, the body
 * read whole (by `readText`, fetch's `text()` unless the transport has a faster way; or by
 * `readTextUnless`, where the transport can stop at the start) or as lines from `chunks()` (or from
 * `lineSource` where the transport splits them itself), and any failure while reading turned into
 * `lost(e)`. The one adapter of the Node and browser transports.
 */
export function transportResponse(
  res: FetchLikeResponse,
  chunks: () => AsyncIterable<Uint8Array> | undefined,
  lost: (e: unknown, what?: string) => Error,
  readText: () => Promise<string> = () => res.text(),
  lineSource?: LineSource,
  readTextUnless?: (drop: DropBody) => Promise<string | undefined>,
): TransportResponse {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  // A body read as lines fails as a lost connection, or as a dropped stream when a line has no end.
  const readFailure = (e: unknown) => (e instanceof LineTooLongError ? lost(e, 'stream dropped') : lost(e));
  return {
    status: res.status,
    headers,
    async text() {
      try {
        return await readText();
      } catch (e) {
        throw lost(e);
      }
    },
    ...(readTextUnless
      ? {
          async textUnless(drop: DropBody) {
            try {
              return await readTextUnless(drop);
            } catch (e) {
              throw lost(e);
            }
          },
        }
      : {}),
    async *lines() {
      const body = chunks();
      if (!body) return;
      try {
        yield* splitLines(body);
      } catch (e) {
        throw readFailure(e);
      }
    },
    async *lineBatches() {
      let source = lineSource?.lineBatches();
      if (!source) {
        const body = chunks();
        if (!body) return;
        source = splitLineBatches(body);
      }
      try {
        yield* source;
      } catch (e) {
        throw readFailure(e);
      }
    },
    ...(lineSource
      ? {
          readLines(onLines: (lines: readonly string[]) => void) {
            // What the reader threw is its own, and passes as it is; the rest is the transport's.
            let thrown: { error: unknown } | undefined;
            const reader = (lines: readonly string[]) => {
              try {
                onLines(lines);
              } catch (e) {
                thrown = { error: e };
                throw e;
              }
            };
            return lineSource.readLines(reader).catch((e: unknown) => {
              throw thrown ? thrown.error : readFailure(e);
            });
          },
        }
      : {}),
  };
}

/** A body the transport splits into lines itself (see `TransportResponse.readLines`). */
export interface LineSource {
  lineBatches(): AsyncIterable<readonly string[]>;
  readLines(onLines: (lines: readonly string[]) => void): Promise<void>;
}

export { LineTooLongError, MAX_LINE_LENGTH, splitLines } from './lines.js';
