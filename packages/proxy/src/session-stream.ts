import type { ServerResponse } from 'node:http';
import { formatMuxFrame, type MuxFrame } from '@kates/core/internal';
import { drainedOrClosed } from './drain.js';
import type { WatchSink } from './fanout/sink.js';

/** Settings of a {@link SessionStream}. */
export interface SessionStreamOptions {
  /** A heartbeat frame this often (ms), so that both ends notice a dead connection. */
  readonly heartbeatMs: number;
  /** Bytes waiting in the socket's buffer before the session's fan-out watches hold back. */
  readonly maxBufferedBytes: number;
  /** A session that cannot write for this long is cut (ms): its browser reconnects and resyncs. */
  readonly maxBlockedMs: number;
}

/**
 * The stream of one browser page's watch session: frames go out in the order written, a
 * heartbeat keeps it alive, and a page that stops reading is cut loose rather than buffered for.
 *
 * Relayed watches (one API server watch each) wait for the stream to drain, which slows their
 * reading of the API server. Fan-out watches share one API server watch with other pages, so they
 * cannot wait: they write while {@link writable}, and hold their events back, coalesced, when not.
 */
export class SessionStream {
  private blockedSince: number | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly writableListeners = new Set<() => void>();
  /**
   * Each watch's close callback, called once when the stream closes and forgotten when the watch
   * ends first: one 'close' listener on the stream however many watches a long session opens
   * (a listener per watch piled up with every reconnect and tripped MaxListenersExceededWarning).
   */
  private readonly closeListeners = new Set<() => void>();
  private closed = false;

  constructor(
    readonly stream: ServerResponse,
    private readonly options: SessionStreamOptions,
  ) {
    // The interval goes with the first frame, so that the browser knows how long a silence may last.
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
    stream.on('drain', () => {
      this.blockedSince = undefined;
      for (const fn of [...this.writableListeners]) fn();
    });
    stream.once('close', () => {
      this.closed = true;
      clearInterval(this.heartbeat);
      this.writableListeners.clear();
      const listeners = [...this.closeListeners];
      this.closeListeners.clear();
      for (const fn of listeners) fn();
    });
  }

  /** Whether a frame written now goes out without piling up. */
  get writable(): boolean {
    return !this.stream.destroyed && this.stream.writableLength < this.options.maxBufferedBytes;
  }

  /** Writes a frame; false when the stream's buffer is past its limit. */
  write(frame: MuxFrame): boolean {
    if (this.stream.destroyed || this.stream.writableEnded) return false;
    this.stream.write(`${formatMuxFrame(frame)}\n`);
    const ok = this.writable;
    if (!ok) this.blockedSince ??= Date.now();
    return ok;
  }

  /** Writes a frame and waits until the stream can take more (relayed watches: backpressure upstream). */
  async writeAndDrain(frame: MuxFrame): Promise<void> {
    if (this.stream.destroyed) return;
    this.stream.write(`${formatMuxFrame(frame)}\n`);
    if (this.stream.writableNeedDrain) {
      this.blockedSince ??= Date.now();
      await drainedOrClosed(this.stream);
    }
  }

  /** The sink of fan-out watch `id` on this session; `onEnd` when the watch ends. */
  sink(id: number, onEnd?: () => void): WatchSink {
    let ended = false;
    let onClose: (() => void) | undefined;
    const writable = () => !ended && this.writable;
    return {
      get writable() {
        return writable();
      },
      write: (line) => {
        if (!ended) this.write({ type: 'line', id, line });
      },
      end: () => {
        if (ended) return;
        ended = true;
        if (onClose) this.closeListeners.delete(onClose);
        this.write({ type: 'end', id });
        onEnd?.();
      },
      onWritable: (fn) => {
        this.writableListeners.add(fn);
        return () => this.writableListeners.delete(fn);
      },
      onClose: (fn) => {
        if (this.closed) {
          fn();
          return;
        }
        onClose = fn;
        this.closeListeners.add(fn);
      },
    };
  }

  private beat(): void {
    const blockedFor = this.blockedSince === undefined ? 0 : Date.now() - this.blockedSince;
    if (blockedFor > this.options.maxBlockedMs) {
      // The page stopped reading (a frozen tab, a dead network): drop it; it reconnects and resumes.
      this.stream.destroy();
      return;
    }
    this.write({ type: 'heartbeat', intervalMs: this.options.heartbeatMs });
  }
}
