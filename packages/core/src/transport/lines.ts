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

/**
 * Splits a stream of byte chunks into lines, as they arrive; blank lines are skipped, and a last
 * line without a newline is yielded at the end. Each character is looked at once: a large object
 * arriving in many chunks is joined once, when its newline comes (a search of the whole buffer per
 * chunk made a 5 MB line cost seconds). Characters split across chunks (UTF-8) are decoded whole.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineLength = MAX_LINE_LENGTH,
): AsyncIterable<string> {
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
      if (line) yield line;
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) {
      parts.push(start === 0 ? text : text.slice(start));
      pending += text.length - start;
      if (pending > maxLineLength) throw new LineTooLongError(maxLineLength);
    }
  }
  const last = take(decoder.decode());
  if (last) yield last;
}
