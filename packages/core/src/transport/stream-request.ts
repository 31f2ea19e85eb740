import type { Dispatcher } from 'undici';
import { contentCoding } from './content-coding.js';
import { LineSplitter } from './lines.js';

/** The answer of {@link streamRequest}: what `transportResponse` reads of a fetch `Response`. */
export interface StreamedAnswer {
  readonly status: number;
  readonly headers: { forEach(fn: (value: string, name: string) => void): void };
  /** The body's content coding (`content-encoding`, lower case), undefined for none. */
  readonly contentCoding: string | undefined;
  /** The body's chunks as they arrive; read it once, or leave it (the request is then aborted). */
  readonly body: AsyncIterable<Uint8Array>;
  /**
   * Or the body's lines, in arrays of all that arrived since the last array was taken (one read,
   * or what queued while the reader was busy): read one of `body` and `lineBatches`, once.
   */
  lineBatches(): AsyncIterable<readonly string[]>;
  /**
   * Or the body's lines handed to `onLines` in the callback that brings the bytes, one call per
   * read that completes a line (what came before the call, at once): see
   * `TransportResponse.readLines`. Resolves at the body's end; rejects when reading fails, or
   * with what `onLines` threw, the request then aborted. Read one of the three, once.
   */
  readLines(onLines: (lines: readonly string[]) => void): Promise<void>;
  text(): Promise<string>;
}

/** Chunks held before the socket is paused (and resumed once half are read). */
const HIGH_WATER_CHUNKS = 64;

/**
 * One request through undici's dispatcher API: the body's chunks go from the HTTP parser into a
 * queue that the reader takes from, with nothing between. Resolves at the answer's headers; rejects
 * when there is none (connection refused, TLS failure, abort). The content coding of the body is
 * left to the reader (`contentCoding`).
 *
 * Why not fetch, whose answers cross a Node stream and a web stream (and a zlib stream) first:
 * - a watch: a ConfigMap's watch line took 52 to 171 µs from the TLS socket to the reader that way
 *   against 22 to 91 µs this way (medians of three rounds, one line every 5 ms, 2 loaded cores);
 * - a LIST: in a fresh process (a controller's start), a page of 1,000 ConfigMaps from
 *   kube-apiserver (gzip, 370 KB sent) took 88 to 120 ms from request to parsed JSON through fetch,
 *   38 to 54 ms this way; a page of 2,000, 210 to 250 ms against 80 to 86 ms (2026-12-06, the
 *   connection open already; fetch's body path runs cold, and is most of it).
 */
export function streamRequest(
  dispatcher: Dispatcher,
  url: string,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    /** Called when undici has written the request to its connection (`onRequestSent`). */
    onSent?: () => void;
  },
): Promise<StreamedAnswer> {
  const { origin, pathname, search } = new URL(url);
  const { signal } = options;
  // Nothing is sent for a signal aborted already (a write fenced by a leadership term that ended):
  // undici would have connected and written the request before its first callback could refuse.
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let answered = false;
    let ended = false;
    let failure: Error | undefined;
    const queue: Uint8Array[] = [];
    let wake: (() => void) | undefined;
    // A reader of `readLines`: each chunk goes to it in undici's callback, none to the queue.
    let sink: LineSink | undefined;
    const settle = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onAbort = () => controller?.abort(abortError(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    const arrival = () =>
      new Promise<void>((r) => {
        wake = r;
      });
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      if (!ended && !failure) controller?.abort(new Error('the body was not read to its end'));
    };
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          const chunk = queue.shift();
          if (chunk) {
            if (controller?.paused && queue.length < HIGH_WATER_CHUNKS / 2) controller.resume();
            yield chunk;
            continue;
          }
          if (failure) throw failure;
          if (ended) return;
          await arrival();
        }
      } finally {
        done();
      }
    }
    // The lines of every chunk queued, split where they are taken: one generator between the HTTP
    // parser and the reader, not one for chunks and one for lines (each a few promise turns per
    // read, the process cold after a pause).
    async function* lineBatches(): AsyncGenerator<readonly string[]> {
      const splitter = new LineSplitter();
      try {
        for (;;) {
          if (queue.length > 0) {
            const lines: string[] = [];
            for (const chunk of queue) splitter.push(chunk, lines);
            queue.length = 0;
            if (controller?.paused) controller.resume();
            if (lines.length > 0) yield lines;
            continue;
          }
          if (failure) throw failure;
          if (ended) {
            const last = splitter.end();
            if (last) yield [last];
            return;
          }
          await arrival();
        }
      } finally {
        done();
      }
    }
    // The lines of each chunk handed over in the callback that brings it, with no promise between:
    // a watch's change reaches the store before undici finishes its read. Through `lineBatches`,
    // a quiet watch's line waited for the rest of undici's read and three promise turns first:
    // 90 to 120 us from the chunk to the parser, against 35 to 60 this way (a ConfigMap line every
    // 100 ms, plain HTTP, Node 24, 2026-12-07). Proved by 'hands each chunk's lines to the reader
    // in the callback that brings them' (stream-request.test.ts).
    function readLines(onLines: (lines: readonly string[]) => void): Promise<void> {
      return new Promise<void>((resolveRead, rejectRead) => {
        const splitter = new LineSplitter();
        const reader: LineSink = {
          settled: false,
          take(chunk) {
            try {
              const lines = splitter.push(chunk);
              if (lines.length > 0) onLines(lines);
            } catch (e) {
              // A line too long, or the reader's own error: the request ends, and the read
              // rejects with it as thrown.
              controller?.abort(e instanceof Error ? e : new Error(String(e)));
              reader.fail(e);
            }
          },
          end() {
            try {
              const last = splitter.end();
              if (last) onLines([last]);
            } catch (e) {
              reader.fail(e);
              return;
            }
            reader.settled = true;
            sink = undefined;
            done();
            resolveRead();
          },
          fail(e) {
            if (reader.settled) return;
            reader.settled = true;
            sink = undefined;
            done();
            rejectRead(e);
          },
        };
        // What came before the reader, in order; then the reader takes each chunk as it comes.
        for (const chunk of queue.splice(0)) {
          reader.take(chunk);
          if (reader.settled) return;
        }
        if (controller?.paused) controller.resume();
        if (failure) reader.fail(failure);
        else if (ended) reader.end();
        else sink = reader;
      });
    }
    const body = chunks();
    dispatcher.dispatch(
      {
        origin,
        path: pathname + search,
        method: options.method as Dispatcher.HttpMethod,
        headers: options.headers,
        ...(options.body === undefined ? {} : { body: options.body }),
      },
      {
        onRequestStart(c) {
          controller = c;
          if (signal?.aborted) c.abort(abortError(signal));
        },
        onRequestSent() {
          options.onSent?.();
        },
        onResponseStart(_c, status, rawHeaders) {
          answered = true;
          const headers: [string, string][] = Object.entries(rawHeaders).map(([name, value]) => [
            name.toLowerCase(),
            Array.isArray(value) ? value.join(', ') : String(value ?? ''),
          ]);
          let coding: string | undefined;
          for (const [name, value] of headers) if (name === 'content-encoding') coding = contentCoding(value);
          resolve({
            status,
            contentCoding: coding,
            headers: {
              forEach: (fn) => {
                for (const [name, value] of headers) fn(value, name);
              },
            },
            body,
            lineBatches,
            readLines,
            text: () => Promise.reject(new Error('read the body of a streamed answer with bodyText')),
          });
        },
        onResponseData(c, chunk) {
          if (sink) {
            sink.take(chunk);
            return;
          }
          queue.push(chunk);
          if (queue.length >= HIGH_WATER_CHUNKS) c.pause();
          settle();
        },
        onResponseEnd() {
          ended = true;
          signal?.removeEventListener('abort', onAbort);
          if (sink) sink.end();
          settle();
        },
        onResponseError(_c, error) {
          signal?.removeEventListener('abort', onAbort);
          if (!answered) {
            reject(error);
            return;
          }
          failure = error;
          sink?.fail(error);
          settle();
        },
      },
    );
  });
}

/** The reader of `readLines`, as the dispatch callbacks see it. */
interface LineSink {
  settled: boolean;
  take(chunk: Uint8Array): void;
  end(): void;
  fail(e: unknown): void;
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
