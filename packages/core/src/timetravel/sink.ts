/**
 * Where a recorder writes its lines. Browser-safe; the file sink (Node) is in `file-sink.ts`.
 * A sink receives whole lines without their newline, and `rotate()` when the recorder starts a new
 * segment (it then writes the new segment's header and checkpoint).
 */
export interface RecordingSink {
  /** Appends one line to the current segment. */
  write(line: string): void;
  /** Ends the current segment; the next lines belong to a new one. */
  rotate(): void;
  /** Writes out anything buffered. */
  flush?(): void;
  /** Flushes and frees the sink. */
  close?(): void | Promise<void>;
}

/** A sink that keeps segments in memory: for tests, and for a page that records itself. */
export interface MemorySink extends RecordingSink {
  /** Each segment's lines. */
  readonly segments: string[][];
  /** The recording as text: one segment, or all of them in a row. */
  text(segment?: number): string;
}

/** A sink in memory; `maxSegments` keeps only the newest ones (the oldest are dropped on rotation). */
export function memorySink(options: { maxSegments?: number } = {}): MemorySink {
  const segments: string[][] = [[]];
  return {
    segments,
    write(line) {
      segments[segments.length - 1]!.push(line);
    },
    rotate() {
      segments.push([]);
      while (options.maxSegments && segments.length > options.maxSegments) segments.shift();
    },
    text(segment) {
      const chosen = segment === undefined ? segments : [segments[segment] ?? []];
      return chosen.map((s) => s.map((l) => `${l}\n`).join('')).join('');
    },
  };
}

/** Anything with `write(text)`: a Node `Writable`, a WHATWG stream writer, a socket. */
export interface TextWritable {
  write(chunk: string): unknown;
  end?(): unknown;
  close?(): unknown;
}

/**
 * A sink over a stream. Segments follow each other in the same stream (a reader joins them), or go
 * to a new stream each when `nextStream` is given.
 */
export function streamSink(
  stream: TextWritable,
  options: { nextStream?: () => TextWritable } = {},
): RecordingSink {
  let current = stream;
  const end = (s: TextWritable) => (s.end ? s.end() : s.close?.());
  return {
    write(line) {
      current.write(`${line}\n`);
    },
    rotate() {
      if (!options.nextStream) return;
      end(current);
      current = options.nextStream();
    },
    close() {
      end(current);
    },
  };
}
