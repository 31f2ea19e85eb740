import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, type ConfigMap, createClient, createNodeTransport, TransportError } from '@kates/core';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../fake/server.js';
import { startFaultProxy } from './fault-proxy.js';
import { kubeconfigVia } from './kubeconfig-via.js';

/**
 * Transport errors of fault runs must reach the caller as rejections, never as uncaught
 * exceptions that end a user's process: a fault proxy in front of a client that stops (RST on
 * every TLS connection) mid-list, mid-watch and mid-write, and a client closed mid-list,
 * mid-watch and mid-write. Each test counts what reaches the process's last-resort handlers.
 */
describe('a client whose connections are cut, or that is closed, mid-request', () => {
  let server: FakeApiServer;
  const escaped: unknown[] = [];
  const onEscape = (e: unknown) => escaped.push(e);

  beforeAll(async () => {
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
    server = await startFakeApiServer();
    const seed = createClient({ kubeconfig: server.kubeconfigPath });
    // Lists of a few MB: a stop or a close lands while a body is being read.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        seed.create<ConfigMap>({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `big-${i}`, namespace: 'default' },
          data: { x: 'y'.repeat(10_000) },
        }),
      ),
    );
    seed.close();
  });
  afterEach(() => {
    expect(escaped).toEqual([]);
  });
  afterAll(async () => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
    await server?.stop();
  });

  /** Writes, lists and a started watch, each settling to a value or an error. */
  function traffic(client: Client, round: number): Promise<unknown>[] {
    const ref = (i: number) => ({ kind: 'cm', name: `big-${i}`, namespace: 'default' });
    return [
      ...Array.from({ length: 6 }, (_, i) => client.patch(ref(i), { data: { round: String(round) } })),
      ...Array.from({ length: 3 }, () => client.list('cm', { namespace: 'default' })),
      client
        .create<ConfigMap>({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `short-${round}`, namespace: 'default' },
        })
        .then(() => client.delete({ kind: 'cm', name: `short-${round}`, namespace: 'default' })),
    ].map((p) =>
      p.then(
        (v) => v,
        (e: unknown) => e,
      ),
    );
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('throws nothing uncaught when the fault proxy in front of it stops mid-list, mid-watch and mid-write', async () => {
    const target = { host: '127.0.0.1', port: Number(new URL(server.httpsUrl).port) };
    for (let round = 0; round < 6; round++) {
      const proxy = await startFaultProxy({ target }, round + 1);
      const dir = mkdtempSync(join(tmpdir(), 'kates-cut-'));
      const client = createClient({
        kubeconfig: kubeconfigVia(server.kubeconfigPath, proxy.port, join(dir, 'kubeconfig')),
        reflector: { pageSize: 20, backoff: { initialMs: 50, maxMs: 200 } },
      });
      const acc = client.watch({ name: 'cms', kind: 'cm' }, { name: 'ns', kind: 'ns' });
      if (round % 2 === 1) await acc.changed();
      const settled = traffic(client, round);
      await new Promise((resolve) => setTimeout(resolve, (round * 11) % 40));
      await proxy.stop();
      await Promise.all(settled);
      // The watches retry against a proxy that is gone (connection refused), then stop.
      await settle();
      acc.close();
      client.close();
      await settle();
    }
  });

  it('throws nothing uncaught when closed mid-list, mid-watch and mid-write, and settles every request', async () => {
    for (let round = 0; round < 6; round++) {
      const client = createClient({ kubeconfig: server.kubeconfigPath, reflector: { pageSize: 20 } });
      const acc = client.watch({ name: 'cms', kind: 'cm' });
      if (round % 2 === 1) await acc.changed();
      const settled = traffic(client, round);
      await new Promise((resolve) => setTimeout(resolve, (round * 7) % 30));
      if (round % 3 === 0) acc.close();
      client.close();
      acc.close();
      const outcomes = await Promise.all(settled);
      // Each request either finished or failed with an error that says what happened.
      for (const o of outcomes) if (o instanceof Error) expect(o.name).toMatch(/TransportError|ApiError/);
      await settle();
    }
  });

  it('refuses a request made after close() without opening a connection pool nobody would close', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    const transport = createNodeTransport(kc);
    await (await transport.request({ method: 'GET', path: '/api' })).text();
    transport.close();
    const refused = await transport.request({ method: 'GET', path: '/api' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as Error).message).toMatch(/: the client is closed$/);
    expect(transport.stats().dispatchers).toBe(0);
  });
});
