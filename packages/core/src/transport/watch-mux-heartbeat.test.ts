import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBrowserTransport } from './browser.js';
import { formatMuxFrame, parseMuxFrame } from './watch-mux-protocol.js';

/** A proxy's watch session endpoint that sends heartbeats every `intervalMs` for `beats` beats, then falls silent. */
async function sessionServer(intervalMs: number, beats: number): Promise<{ url: string; server: Server }> {
  const streams: ServerResponse[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/kates/watches') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${formatMuxFrame({ type: 'session', session: 's1' })}\n`);
      streams.push(res);
      let sent = 0;
      const beat = () => {
        if (sent++ >= beats || res.destroyed) return;
        res.write(`${formatMuxFrame({ type: 'heartbeat', intervalMs })}\n`);
        setTimeout(beat, intervalMs);
      };
      beat();
      return;
    }
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.on('close', () => {
    for (const s of streams) s.destroy();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

describe('heartbeats of the watch sessions', () => {
  it('are frames of their own, which transports that do not know them skip', () => {
    expect(formatMuxFrame({ type: 'heartbeat', intervalMs: 15000 })).toBe('h 15000');
    expect(parseMuxFrame('h 15000')).toEqual({ type: 'heartbeat', intervalMs: 15000 });
    for (const text of ['h', 'h ', 'h x', 'h -5', 'h 0']) expect(parseMuxFrame(text)).toBeUndefined();
  });

  it('keep a quiet watch open while they come, and break it when three intervals pass without one', async () => {
    const started = await sessionServer(50, 6);
    server = started.server;
    const transport = createBrowserTransport({ baseUrl: started.url });
    const res = await transport.request({ method: 'GET', path: '/api/v1/pods', query: { watch: true } });
    expect(res.status).toBe(200);
    const t0 = Date.now();
    const read = (async () => {
      for await (const _line of res.lines()) {
        // no watch lines come: only heartbeats, which the transport takes itself
      }
    })();
    const error = await read.then(
      () => undefined,
      (e: Error) => e,
    );
    const lasted = Date.now() - t0;
    expect(error?.message).toMatch(/no heartbeat for \d+ ms \(the proxy sends one every 50 ms\)/);
    // Six beats (300 ms) kept it open; then it broke within three intervals and one check.
    expect(lasted).toBeGreaterThanOrEqual(250);
    expect(lasted).toBeLessThan(2000);
    transport.close?.();
  });
});
