import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTransport } from './node.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A kubeconfig for a plain-HTTP server that answers every request with `handle`. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<KubeConfig> {
  server = createServer(handle);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain HTTP unless TLS verification is off.
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('the Node transport', () => {
  it('asks for gzip on every request but a watch, and reads a gzipped answer as the text sent', async () => {
    const asked: Record<string, string | undefined> = {};
    const list = JSON.stringify({ items: Array.from({ length: 300 }, (_, i) => ({ name: `café-${i}` })) });
    const kc = await serve((req, res) => {
      const watch = /[?&]watch=(true|1)/.test(req.url ?? '');
      asked[watch ? 'watch' : req.method!] = req.headers['accept-encoding'];
      if (watch) {
        res.end('{"type":"ADDED"}\n{"type":"DELETED"}\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(list));
    });
    const transport = createNodeTransport(kc);
    try {
      const listed = await transport.request({ method: 'GET', path: '/api/v1/configmaps' });
      expect(await listed.text()).toBe(list);
      const created = await transport.request({ method: 'POST', path: '/api/v1/configmaps', body: '{}' });
      expect(JSON.parse(await created.text()).items).toHaveLength(300);
      // A watch the proxy forwards has its query as text.
      for (const watch of [true, 'true'] as const) {
        const watched = await transport.request({
          method: 'GET',
          path: '/api/v1/configmaps',
          query: { watch },
        });
        const lines: string[] = [];
        for await (const line of watched.lines()) lines.push(line);
        expect(lines).toEqual(['{"type":"ADDED"}', '{"type":"DELETED"}']);
      }
      expect(asked).toEqual({ GET: 'gzip', POST: 'gzip', watch: undefined });
    } finally {
      transport.close();
    }
  });

  it('asks for no content coding when compression is off', async () => {
    const asked: (string | undefined)[] = [];
    const kc = await serve((req, res) => {
      asked.push(req.headers['accept-encoding']);
      res.end('{}');
    });
    const transport = createNodeTransport(kc, { compression: false });
    try {
      await (await transport.request({ method: 'GET', path: '/api/v1/configmaps' })).text();
      await (await transport.request({ method: 'POST', path: '/api/v1/configmaps', body: '{}' })).text();
      await (
        await transport.request({ method: 'GET', path: '/api/v1/configmaps', query: { watch: true } })
      ).text();
      expect(asked).toEqual([undefined, undefined, undefined]);
    } finally {
      transport.close();
    }
  });

  it('says when a request has been written to its connection, before its answer, on a new connection and a reused one', async () => {
    const events: string[] = [];
    let answer: () => void = () => undefined;
    const kc = await serve((req, res) => {
      events.push(`server got ${req.url}`);
      // The answer waits for the test: it must not be what onSent waited for.
      answer = () => res.end('{}');
    });
    const transport = createNodeTransport(kc);
    try {
      for (const path of ['/a', '/b']) {
        const sent = new Promise<void>((resolve) => {
          const pending = transport.request({
            method: 'GET',
            path,
            onSent: () => {
              events.push(`sent ${path}`);
              resolve();
            },
          });
          void pending.then(async (res) => {
            events.push(`answered ${path}`);
            await res.text();
          });
        });
        await sent;
        await expect.poll(() => events.includes(`server got ${path}`)).toBe(true);
        expect(events.includes(`answered ${path}`)).toBe(false);
        answer();
        await expect.poll(() => events.includes(`answered ${path}`)).toBe(true);
        // Its body read, and undici's turn to free the connection past: the next reuses it.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(events.filter((e) => e.startsWith('sent'))).toEqual(['sent /a', 'sent /b']);
      expect(transport.stats().connections).toBe(1);
    } finally {
      transport.close();
    }
  });

  it('ends the request of a body whose start says it is not wanted, and reads a wanted one whole', async () => {
    const head = '{"metadata":{"continue":"abc","remainingItemCount":50000},"items":[';
    const rest = `${Array.from({ length: 300 }, (_, i) => JSON.stringify({ name: `café-${i}` })).join(',')}]}`;
    let closedEarly: Promise<void> | undefined;
    const kc = await serve((req, res) => {
      if (req.url?.includes('whole')) {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(gzipSync(head + rest));
        return;
      }
      // The head, then nothing until the client goes: it must not wait for the rest.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(head);
      closedEarly = new Promise((resolve) => res.on('close', () => resolve()));
    });
    const transport = createNodeTransport(kc);
    const large = (start: string) => (start.includes('"items":') ? start.includes('50000') : undefined);
    try {
      const dropped = await transport.request({ method: 'GET', path: '/api/v1/configmaps' });
      expect(await dropped.textUnless?.(large)).toBeUndefined();
      await closedEarly;
      const kept = await transport.request({ method: 'GET', path: '/api/v1/configmaps/whole' });
      expect(await kept.textUnless?.((start) => (start.includes('"items":') ? false : undefined))).toBe(
        head + rest,
      );
    } finally {
      transport.close();
    }
  });
});
