import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PROTOBUF, PROTOBUF_WATCH, ProtobufResponse } from './response.js';
import type { Transcoder } from './transcoder.js';

/** A ServerResponse that records what is written to it. */
function recorder() {
  const out = { head: undefined as unknown, chunks: [] as Buffer[], ended: false };
  const res = {
    destroyed: false,
    get writableEnded() {
      return out.ended;
    },
    writeHead(code: number, headers: Record<string, unknown>) {
      out.head = { code, headers };
    },
    flushHeaders() {},
    write(chunk: Buffer) {
      out.chunks.push(chunk);
      return true;
    },
    end(chunk?: Buffer) {
      if (chunk) out.chunks.push(chunk);
      out.ended = true;
    },
    destroy() {},
  };
  return { out, res: res as unknown as ServerResponse };
}

/** A codec that answers later the earlier it was asked, to show the frames keep their order. */
function slowCodec(): Transcoder {
  let delay = 30;
  return {
    watchEvent: (json: string) => {
      delay -= 10;
      return new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.from(`pb:${json}`)), delay));
    },
    toProtobuf: async (json: string) => {
      if (json.includes('Widget')) throw new Error('not a built-in kind');
      return Buffer.from(`pb:${json}`);
    },
  } as unknown as Transcoder;
}

describe('a response written in JSON and sent in protobuf', () => {
  it('sends a watch as length-prefixed frames, in the order of the events, lines split across writes', async () => {
    const { out, res } = recorder();
    const pb = new ProtobufResponse(res, slowCodec(), true);
    pb.writeHead(200, { 'content-type': 'application/json' });
    pb.write('{"type":"ADDED"}\n{"type":"MOD');
    pb.write('IFIED"}\n{"type":"DELETED"}\n');
    pb.end();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(out.head).toEqual({ code: 200, headers: { 'content-type': PROTOBUF_WATCH } });
    const frames = out.chunks.map((c) => c.subarray(4).toString());
    expect(frames).toEqual(['pb:{"type":"ADDED"}', 'pb:{"type":"MODIFIED"}', 'pb:{"type":"DELETED"}']);
    expect(out.chunks.map((c) => c.readUInt32BE(0))).toEqual(frames.map((f) => f.length));
    expect(out.ended).toBe(true);
  });

  it('encodes a single answer at its end, with its code, and sends what the codec cannot encode as JSON', async () => {
    const one = recorder();
    new ProtobufResponse(one.res, slowCodec(), false)
      .writeHead(201, { 'content-type': 'application/json', 'content-length': 10 })
      .end('{"kind":"ConfigMap"}');
    const other = recorder();
    new ProtobufResponse(other.res, slowCodec(), false).writeHead(200, {}).end('{"kind":"Widget"}');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(one.out.head).toEqual({ code: 201, headers: { 'content-type': PROTOBUF, 'content-length': 23 } });
    expect(Buffer.concat(one.out.chunks).toString()).toBe('pb:{"kind":"ConfigMap"}');
    expect(other.out.head).toMatchObject({ code: 200, headers: { 'content-type': 'application/json' } });
    expect(Buffer.concat(other.out.chunks).toString()).toBe('{"kind":"Widget"}');
  });
});
