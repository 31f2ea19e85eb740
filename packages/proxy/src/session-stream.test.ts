import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { within } from './__fixtures__/within.js';
import { SessionStream } from './session-stream.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

/** A server whose every answer is a session stream; `onOpen` gets it. */
async function serve(onOpen: (s: SessionStream) => void) {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    onOpen(new SessionStream(res, { heartbeatMs: 40, maxBufferedBytes: 64 * 1024, maxBlockedMs: 300 }));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a watch session stream', () => {
  it('keeps one close listener on the stream however many watches come and go, and closes the open ones when it closes', async () => {
    let session: SessionStream | undefined;
    const url = await serve((s) => {
      session = s;
    });
    const res = await fetch(url);
    const reader = res.body!.getReader();
    await within(2000, () => session !== undefined);
    const closed: number[] = [];
    const listenersBefore = session!.stream.listenerCount('close');
    // A long session: watches end (reconnects, relists) and new ones start.
    for (let id = 1; id <= 30; id++) {
      const sink = session!.sink(id);
      sink.onClose(() => closed.push(id));
      if (id <= 27) sink.end();
    }
    expect(session!.stream.listenerCount('close')).toBe(listenersBefore);
    await reader.cancel();
    await within(2000, () => closed.length === 3);
    expect(closed).toEqual([28, 29, 30]);
  });

  it('sends a heartbeat every interval to a page that reads', async () => {
    const url = await serve(() => {});
    const res = await fetch(url);
    const reader = res.body!.getReader();
    let text = '';
    const t0 = Date.now();
    while (Date.now() - t0 < 220) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text.split('\n').filter((l) => l === 'h 40').length).toBeGreaterThanOrEqual(3);
  });

  it('cuts a page that stops reading once it has not been able to write for maxBlockedMs, rather than buffer for it', async () => {
    let stream: SessionStream | undefined;
    let closedAt = 0;
    const url = await serve((s) => {
      stream = s;
      s.stream.on('close', () => {
        closedAt = Date.now();
      });
    });
    // A client that reads nothing after the headers.
    const req = request(url, (res) => res.pause());
    req.end();
    await within(2000, () => stream !== undefined);
    // A fire hose of frames, written while the stream takes them, until the socket's buffers fill.
    const line = 'x'.repeat(8 * 1024);
    let blockedAt = 0;
    const hose = setInterval(() => {
      while (stream?.write({ type: 'line', id: 1, line }));
      if (!stream?.writable) blockedAt ||= Date.now();
    }, 5);
    await within(10_000, () => closedAt > 0);
    clearInterval(hose);
    expect(blockedAt).toBeGreaterThan(0);
    expect(closedAt - blockedAt).toBeGreaterThanOrEqual(250);
    req.destroy();
  });
});
