import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { splitLines } from './lines.js';
import { type StreamedAnswer, streamRequest } from './stream-request.js';

let server: Server | undefined;
const agent = new Agent({ allowH2: false });
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A server whose every request is handed to `handle`; returns its base URL. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A server that answers a line, `{"n":1}`, and holds the stream open; `closed()` resolves when the
 * client's connection has closed.
 */
async function serveOneLine(): Promise<{ url: string; closed: () => Promise<void> }> {
  let closed: Promise<void> | undefined;
  const url = await serve((req, res) => {
    closed = new Promise((r) => req.socket.once('close', () => r()));
    res.writeHead(200);
    res.write('{"n":1}\n');
  });
  return { url, closed: () => closed ?? Promise.reject(new Error('no request came')) };
}

const get = (url: string, signal?: AbortSignal) =>
  streamRequest(agent, url, { method: 'GET', headers: { accept: 'application/json' }, signal });

/** The lines of `batches`, one at a time. */
async function* each(batches: AsyncIterable<readonly string[]>): AsyncIterable<string> {
  for await (const batch of batches) yield* batch;
}

describe.each([
  ['its chunks', (a: StreamedAnswer) => splitLines(a.body)],
  ['its line batches', (a: StreamedAnswer) => each(a.lineBatches())],
])('streamRequest, the body read as %s', (_how, read) => {
  it('answers with the status and headers, then hands over each chunk as it is sent', async () => {
    let next: (() => void) | undefined;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'X-Thing': 'a' });
      res.write('{"n":1}\n');
      // The second line only after the client has read the first: nothing waits for the end.
      next = () => res.end('{"n":2}\n');
    });
    const answer = await get(`${url}/watch`);
    const seen: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      seen[name] = value;
    });
    expect(answer.status).toBe(200);
    expect(seen['x-thing']).toBe('a');
    const lines: string[] = [];
    for await (const line of read(answer)) {
      lines.push(line);
      next?.();
      next = undefined;
    }
    expect(lines).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('holds what arrives while nobody reads, in order, pausing the socket meanwhile', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 5000; i++) res.write(`${JSON.stringify({ i, pad: 'x'.repeat(1000) })}\n`);
      res.end();
    });
    const answer = await get(url);
    await new Promise((r) => setTimeout(r, 50));
    const got: number[] = [];
    for await (const line of read(answer)) got.push((JSON.parse(line) as { i: number }).i);
    expect(got).toEqual([...Array(5000).keys()]);
  });

  it('ends the body with an error when the signal aborts it mid-stream, and frees the connection', async () => {
    const { url, closed } = await serveOneLine();
    const abort = new AbortController();
    const answer = await get(url, abort.signal);
    const lines = read(answer)[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('{"n":1}');
    abort.abort();
    await expect(lines.next()).rejects.toThrow();
    await closed();
  });

  it('frees the connection when the reader leaves before the end', async () => {
    const { url, closed } = await serveOneLine();
    const answer = await get(url);
    for await (const _ of read(answer)) break;
    await closed();
  });
});

describe('streamRequest', () => {
  it('hands over as one batch the lines of everything that arrived while nobody read', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      // Fifty writes, cut anywhere (inside lines too), and a last line without a newline.
      const text = `${[...Array(50).keys()].map((i) => `{"i":${i}}`).join('\n')}\n{"i":"last"}`;
      const cut = Math.ceil(text.length / 50);
      for (let at = 0; at < text.length; at += cut) res.write(text.slice(at, at + cut));
      res.end();
    });
    const answer = await get(url);
    await new Promise((r) => setTimeout(r, 50));
    const batches: (readonly string[])[] = [];
    for await (const batch of answer.lineBatches()) batches.push(batch);
    expect(batches.flat()).toEqual([...[...Array(50).keys()].map((i) => `{"i":${i}}`), '{"i":"last"}']);
    // Held while nobody read: one batch, then the last line at the end.
    expect(batches.length).toBeLessThanOrEqual(2);
  });

  it('sends nothing for a signal that has aborted already', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.end();
    });
    const error = await streamRequest(agent, url, {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: AbortSignal.abort(new Error('term over')),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('term over');
    await get(url);
    expect(requests).toBe(1);
  });

  it('rejects when no answer comes: a refused connection, an aborted request', async () => {
    await expect(get('http://127.0.0.1:1/watch')).rejects.toThrow();
    const url = await serve(() => {});
    const abort = new AbortController();
    const pending = get(url, abort.signal);
    abort.abort();
    await expect(pending).rejects.toThrow();
  });

  it('sends a body, and names the content coding of the answer', async () => {
    const url = await serve((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'content-encoding': 'GZip' });
        res.end(gzipSync(Buffer.concat(parts)));
      });
    });
    const answer = await streamRequest(agent, `${url}/api/v1/namespaces/a/configmaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"metadata":{"name":"x"}}',
    });
    expect(answer.status).toBe(201);
    expect(answer.contentCoding).toBe('gzip');
    const parts: Uint8Array[] = [];
    for await (const c of answer.body) parts.push(c);
    expect(gunzipSync(Buffer.concat(parts)).toString()).toBe('{"metadata":{"name":"x"}}');
    expect((await get(url)).contentCoding).toBe('gzip');
  });

  it('reads an error answer whole', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(410, { 'content-type': 'application/json' });
      res.end('{"kind":"Status","code":410}');
    });
    const answer = await get(url);
    expect(answer.status).toBe(410);
    const parts: Uint8Array[] = [];
    for await (const c of answer.body) parts.push(c);
    expect(Buffer.concat(parts).toString()).toBe('{"kind":"Status","code":410}');
  });

  it("hands each chunk's lines to the reader in the callback that brings them", async () => {
    let write: (text: string) => void = () => {};
    let end: () => void = () => {};
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write('{"n":1}\n{"n":2}\n{"n":');
      write = (text) => res.write(text);
      end = () => {
        res.write('{"n":5}\n');
        setTimeout(() => res.end('{"n":"last"}'), 20);
      };
    });
    const answer = await get(url);
    // A microtask queued where undici announces a chunk has not run when the reader is called:
    // the reader runs in the callback that brought the chunk, with no promise turn between.
    let turnPending = false;
    const onChunk = () => {
      turnPending = true;
      queueMicrotask(() => {
        turnPending = false;
      });
    };
    subscribe('undici:request:bodyChunkReceived', onChunk);
    const reads: { lines: readonly string[]; inCallback: boolean }[] = [];
    try {
      const reading = answer.readLines((lines) => {
        reads.push({ lines, inCallback: turnPending });
        if (reads.length === 1) write('3}\n{"n":4}\n');
        if (reads.length === 2) end();
      });
      await reading;
    } finally {
      unsubscribe('undici:request:bodyChunkReceived', onChunk);
    }
    // What came before the reader at once (not in a callback of undici), then a call per read.
    // and the last line, which no newline ended, at the end.
    expect(reads.map((r) => r.lines)).toEqual([
      ['{"n":1}', '{"n":2}'],
      ['{"n":3}', '{"n":4}'],
      ['{"n":5}'],
      ['{"n":"last"}'],
    ]);
    expect(reads.slice(1, 3).map((r) => r.inCallback)).toEqual([true, true]);
  });

  it('rejects a read of lines with what the reader threw, and ends the request', async () => {
    const { url, closed } = await serveOneLine();
    const answer = await get(url);
    const refused = new Error('410 Gone in the stream');
    let calls = 0;
    await expect(
      answer.readLines(() => {
        calls++;
        throw refused;
      }),
    ).rejects.toBe(refused);
    await closed();
    expect(calls).toBe(1);
  });

  it('rejects a read of lines when the signal aborts it mid-stream, and frees the connection', async () => {
    const { url, closed } = await serveOneLine();
    const abort = new AbortController();
    const answer = await get(url, abort.signal);
    const seen: string[] = [];
    const reading = answer.readLines((lines) => {
      seen.push(...lines);
      abort.abort();
    });
    await expect(reading).rejects.toThrow();
    await closed();
    expect(seen).toEqual(['{"n":1}']);
  });
});
