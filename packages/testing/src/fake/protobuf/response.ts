import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Transcoder } from './transcoder.js';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
/** The media type of a protobuf watch stream (length-prefixed `metav1.WatchEvent` frames). */
export const PROTOBUF_WATCH = `${PROTOBUF};stream=watch`;

/**
 * A stand-in for the `ServerResponse` of one request that asked for protobuf. The fake's handlers
 * write JSON into it as they always do (`writeHead`, `write`, `end`, `drain` and `close`), and it
 * sends protobuf: a single answer (an object, a list, a Status) is collected and encoded at
 * `end`; a watch stream's JSON lines become length-prefixed `metav1.WatchEvent` frames, in order.
 * An answer the codec cannot encode (a kind that is not built in) goes out as the JSON it was.
 */
export class ProtobufResponse {
  private head: { code: number; headers: OutgoingHttpHeaders } | undefined;
  private readonly chunks: string[] = [];
  private streaming = false;
  private partialLine = '';
  private written: Promise<void> = Promise.resolve();
  private ended = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly transcoder: Transcoder,
    private readonly watch: boolean,
  ) {}

  /** This object, typed as what the handlers write to. */
  asServerResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }

  get headersSent(): boolean {
    return this.head !== undefined;
  }

  get writableEnded(): boolean {
    return this.ended;
  }

  writeHead(code: number, headers: OutgoingHttpHeaders = {}): this {
    const { 'content-length': _, ...rest } = headers;
    this.head = { code, headers: rest };
    // A watch that starts (200) streams; one refused before its first event is a single answer.
    if (this.watch && code === 200) {
      this.streaming = true;
      this.res.writeHead(code, { ...rest, 'content-type': PROTOBUF_WATCH });
    }
    return this;
  }

  flushHeaders(): void {
    if (this.streaming) this.res.flushHeaders();
  }

  write(chunk: string | Buffer): boolean {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.streaming) this.writeEvents(text);
    else this.chunks.push(text);
    return true; // the frames queue here; the socket's own buffer takes them as they are encoded
  }

  end(chunk?: string | Buffer): this {
    if (this.ended) return this;
    this.ended = true;
    if (chunk !== undefined) this.write(chunk);
    if (this.streaming) {
      this.written = this.written.then(() => {
        if (!this.res.writableEnded) this.res.end();
      });
    } else void this.sendOne();
    return this;
  }

  on(event: string, listener: (...args: unknown[]) => void): this {
    this.res.on(event, listener);
    return this;
  }

  once(event: string, listener: (...args: unknown[]) => void): this {
    this.res.once(event, listener);
    return this;
  }

  destroy(): void {
    this.res.destroy();
  }

  private async sendOne(): Promise<void> {
    const json = this.chunks.join('');
    const head = this.head ?? { code: 200, headers: { 'content-type': 'application/json' } };
    let body: Buffer;
    let type = PROTOBUF;
    try {
      body = await this.transcoder.toProtobuf(json);
    } catch {
      body = Buffer.from(json, 'utf8');
      type = String(head.headers['content-type'] ?? 'application/json');
    }
    if (this.res.destroyed) return;
    this.res.writeHead(head.code, { ...head.headers, 'content-type': type, 'content-length': body.length });
    this.res.end(body);
  }

  private writeEvents(text: string): void {
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const encoded = this.transcoder.watchEvent(line);
      encoded.catch(() => {}); // awaited in turn below; handled there
      this.written = this.written.then(async () => {
        let message: Buffer;
        try {
          message = await encoded;
        } catch {
          // An event the codec cannot carry: end the watch, as a broken stream; the client re-watches.
          this.res.destroy();
          return;
        }
        if (this.res.destroyed) return;
        const length = Buffer.alloc(4);
        length.writeUInt32BE(message.length, 0);
        this.res.write(Buffer.concat([length, message]));
      });
    }
  }
}
