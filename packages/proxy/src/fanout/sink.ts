import type { ServerResponse } from 'node:http';

/**
 * Where a fan-out watch writes its lines: a direct watch's response, or one watch of a
 * multiplexed session. A sink that is not writable has a client that does not keep up; the watch
 * then holds its events back, coalesced, rather than piling them up in memory.
 */
export interface WatchSink {
  /** Whether a line written now goes out without piling up. */
  readonly writable: boolean;
  /** Writes one line of the watch (without its newline). */
  write(line: string): void;
  /** Ends the watch: the client sees a clean end, as at the server's timeout. */
  end(): void;
  /** Calls `fn` when the sink is writable again; returns the unsubscribe. */
  onWritable(fn: () => void): () => void;
  /** Calls `fn` once when the client has gone (the connection closed). */
  onClose(fn: () => void): void;
}

/** Bytes a client may have waiting in its socket's buffer before its watches hold back (1 MiB). */
export const DEFAULT_MAX_BUFFERED_BYTES = 1 << 20;

/** A sink over a direct watch's response: one line per event, newline-delimited. */
export function responseSink(res: ServerResponse, maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES): WatchSink {
  return {
    get writable() {
      return !res.destroyed && res.writableLength < maxBufferedBytes;
    },
    write(line) {
      if (!res.destroyed && !res.writableEnded) res.write(`${line}\n`);
    },
    end() {
      if (!res.writableEnded) res.end();
    },
    onWritable(fn) {
      res.on('drain', fn);
      return () => res.off('drain', fn);
    },
    onClose(fn) {
      res.once('close', fn);
    },
  };
}
