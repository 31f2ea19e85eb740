/**
 * The longest watch line taken, in characters: 64 Mi. The API server stores objects of at most
 * 1.5 MiB (etcd's default request limit) and serves each watch event on one line, so a longer line
 * means the stream is not a watch stream (a proxy's error page without newlines, a broken
 * middlebox); holding it whole would let one such stream exhaust the process's memory.
 */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/** A line longer than {@link MAX_LINE_LENGTH}: the stream is dropped (and watched again). */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(
      `a watch line grew past ${limit} characters without a newline: the stream is not a watch stream ` +
        '(check proxies between here and the API server); the watch is dropped and started again',
    );
    this.name = 'LineTooLongError';
  }
}

/** What the splitter tells its caller about the line it just yielded. */
interface LineProgress {
  /** Whether another line (possibly blank) follows in the chunk the line came from. */
  moreInChunk: boolean;
}

/**
 * Splits a stream of byte chunks into lines, as they arrive; blank lines are skipped, and a last
 * line without a newline is yielded at the end. Each character is looked at once: a large object
 * arriving in many chunks is joined once, when its newline comes (a search of the whole buffer per
 * chunk made a 5 MB line cost seconds). Characters split across chunks (UTF-8) are decoded whole.
 */
export function splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineLength = MAX_LINE_LENGTH,
): AsyncIterable<string> {
  return splitWithProgress(chunks, maxLineLength);
}

/** {@link splitLines}, telling `progress` before each line is yielded whether its chunk holds more. */
async function* splitWithProgress(
  chunks: AsyncIterable<Uint8Array>,
  maxLineLength: number,
  progress?: LineProgress,
): AsyncIterableIterator<string> {
  const decoder = new TextDecoder();
  let parts: string[] = [];
  let pending = 0;
  const take = (tail: string): string => {
    const line = parts.length === 0 ? tail : parts.join('') + tail;
    parts = [];
    pending = 0;
    return line.trim();
  };
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      const line = take(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
      if (line) {
        if (progress) progress.moreInChunk = newline >= 0;
        yield line;
      }
    }
    if (start < text.length) {
      parts.push(start === 0 ? text : text.slice(start));
      pending += text.length - start;
      if (pending > maxLineLength) throw new LineTooLongError(maxLineLength);
    }
  }
  const last = take(decoder.decode());
  if (progress) progress.moreInChunk = false;
  if (last) yield last;
}

/**
 * On the iterator of a body's lines, where the transport can tell: whether more lines are at hand
 * without waiting for the network (later lines of the same chunk, or chunks already received and
 * queued). The reflector dispatches a batch as soon as this turns false, instead of a turn of the
 * event loop later. Iterators without it (a wrapper's generator) keep the later dispatch.
 */
export const LINES_PENDING: unique symbol = Symbol('kates.linesPending');

/** The {@link LINES_PENDING} probe of a lines iterator, if it has one. */
export function linesPendingOf(iterator: object): (() => boolean) | undefined {
  const probe = (iterator as { [LINES_PENDING]?: unknown })[LINES_PENDING];
  return typeof probe === 'function' ? (probe as () => boolean) : undefined;
}

/** A web `ReadableStream`, read with a reader (not every runtime makes streams async iterable). */
interface ReadableLike {
  getReader(): {
    read(): Promise<{ done: boolean; value?: Uint8Array }>;
    cancel(): Promise<void>;
    releaseLock(): void;
  };
}

/**
 * The lines of a body, as {@link splitLines} yields them, on an iterator that carries the
 * {@link LINES_PENDING} probe when the body is a web `ReadableStream`. The stream is read one chunk
 * ahead: chunks the network delivered together are queued in the stream at once, before any of
 * them is read, so a read that is already settled one microtask after it was asked for means a
 * chunk is at hand. Proved by 'tells a reader whether more lines are at hand without waiting'
 * (lines.test.ts).
 */
export function linesOf(
  body: AsyncIterable<Uint8Array> | ReadableLike,
  maxLineLength = MAX_LINE_LENGTH,
): AsyncIterableIterator<string> {
  const progress: LineProgress = { moreInChunk: false };
  if (!isReadable(body)) return splitWithProgress(body, maxLineLength);
  let queued = false;
  const lines = splitWithProgress(
    readAhead(body),
    maxLineLength,
    progress,
  ) as AsyncIterableIterator<string> & {
    [LINES_PENDING]?: () => boolean;
  };
  lines[LINES_PENDING] = () => progress.moreInChunk || queued;
  return lines;

  async function* readAhead(stream: ReadableLike): AsyncIterable<Uint8Array> {
    const reader = stream.getReader();
    let done = false;
    try {
      let next = reader.read();
      for (;;) {
        const result = await next;
        if (result.done || !result.value) {
          done = result.done;
          if (done) return;
          next = reader.read();
          continue;
        }
        next = reader.read();
        // Handled here and awaited on the next turn of the loop: never an unhandled rejection.
        let settled = false;
        next.then(
          () => {
            settled = true;
          },
          () => {
            settled = true;
          },
        );
        await null;
        queued = settled;
        yield result.value;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
}

function isReadable(body: unknown): body is ReadableLike {
  return typeof (body as { getReader?: unknown })?.getReader === 'function';
}
