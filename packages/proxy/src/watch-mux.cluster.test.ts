import {
  type Accumulator,
  type Client,
  createBrowserTransport,
  createClient,
  createKatesStore,
  Discovery,
  type KubernetesObject,
  type Transport,
} from '@kates/core';
import { createAccumulator, createWatchHost, WATCH_MUX_PATH } from '@kates/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../testing/src/vitest/cluster.js';
import { loggingFetch } from './__fixtures__/logging-fetch.js';
import { within } from './__fixtures__/within.js';
import { type KubeProxy, startKubeProxy } from './start.js';

const cluster = realCluster();

function accumulatorOver(
  transport: Transport,
  queries: Parameters<typeof createAccumulator>[1],
): Accumulator {
  const discovery = new Discovery(transport);
  const host = createWatchHost(transport, createKatesStore(), (kind) => discovery.resolve(kind));
  return createAccumulator(host, queries);
}

describe.skipIf(!cluster)('watch multiplexing through the proxy, against the real API server', () => {
  let client: Client;
  let proxy: KubeProxy;
  const run = `mux-${Date.now().toString(36)}`;

  beforeAll(async () => {
    client = createClient({ kubeconfig: cluster!.kubeconfigPath, namespace: 'default' });
    // Each watch relayed to the API server: what this suite tests is the multiplexing itself
    // (fan-out.cluster.test.ts tests the shared caches).
    proxy = await startKubeProxy({ kubeconfig: cluster!.kubeconfigPath, port: 0, fanOut: false });
  });
  afterAll(async () => {
    await proxy.close();
    client.transport.close?.();
  });

  it('carries eight watches on one stream, each following its own objects, and stops them at the API server when the page is done', async () => {
    const browser = loggingFetch();
    const transport = createBrowserTransport({ baseUrl: proxy.url, fetch: browser.fetch });
    const queries = Array.from({ length: 8 }, (_, i) => ({
      name: `q${i}`,
      kind: 'cm',
      namespace: 'default',
      labelSelector: `run=${run},n=${i}`,
    }));
    const acc = accumulatorOver(transport, queries);
    try {
      await acc.changed();
      for (const q of queries) expect(acc.status()[q.name]?.phase).toBe('synced');
      // Each reflector watches once its list is in.
      await within(3000, () => proxy.stats().upstream.openWatches === 8);

      await Promise.all(
        queries.map((_, i) =>
          client.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `${run}-${i}`, labels: { run, n: String(i) } },
            data: { i: String(i) },
          }),
        ),
      );
      await within(3000, () =>
        queries.every((q, i) => {
          const items = acc.getSnapshot()[q.name] as KubernetesObject[] | undefined;
          return items?.length === 1 && items[0]?.metadata?.name === `${run}-${i}`;
        }),
      );

      // One session; no watch went to the proxy on a connection of its own.
      expect(browser.log.filter((l) => l === `GET ${WATCH_MUX_PATH}`)).toHaveLength(1);
      expect(browser.log.filter((l) => l.startsWith('GET /api') && /[?&]watch=(true|1)/.test(l))).toEqual([]);
      expect(browser.log.filter((l) => l.startsWith(`POST ${WATCH_MUX_PATH}/`))).toHaveLength(8);
    } finally {
      acc.close();
    }
    await within(3000, () => proxy.stats().upstream.openWatches === 0);
    transport.close?.();
  });

  it('opens a new session when the stream breaks, and the watches on it come back', async () => {
    const browser = loggingFetch();
    const transport = createBrowserTransport({ baseUrl: proxy.url, fetch: browser.fetch });
    const name = `${run}-break`;
    const acc = accumulatorOver(transport, [
      { name: 'mine', kind: 'cm', namespace: 'default', labelSelector: `run=${run},n=break` },
    ]);
    try {
      await acc.changed();
      // The watch starts once the list is in: break the stream it rides, not one yet to open.
      await within(3000, () => proxy.stats().upstream.openWatches === 1);
      browser.breakStream();
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, labels: { run, n: 'break' } },
      });
      // The reflector backs off (0.8 s at first) and watches again, through a second session.
      await within(
        10_000,
        () =>
          (acc.getSnapshot().mine as KubernetesObject[] | undefined)?.some(
            (c) => c.metadata?.name === name,
          ) ?? false,
      );
      expect(browser.log.filter((l) => l === `GET ${WATCH_MUX_PATH}`).length).toBeGreaterThanOrEqual(2);
      expect(acc.status().mine?.counters.reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      acc.close();
      transport.close?.();
    }
  });

  it("relays the API server's refusal of a watch as a direct watch would have it", async () => {
    const transport = createBrowserTransport({ baseUrl: proxy.url });
    const res = await transport.request({
      method: 'GET',
      path: '/api/v1/nosuchthings',
      query: { watch: true },
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(await res.text())).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
    transport.close?.();
  });

  it('refuses what is not a watch of the API, a tunnel, an unknown session and other sites', async () => {
    const startedBefore = proxy.stats().upstream.watches;
    const open = await fetch(`${proxy.url}${WATCH_MUX_PATH}`);
    const reader = open.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const session = /^s (\S+)\n/.exec(first)?.[1];
    expect(session).toBeTruthy();
    const start = (body: unknown, headers: Record<string, string> = {}, id = session) =>
      fetch(`${proxy.url}${WATCH_MUX_PATH}/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const list = await start({ id: 1, path: '/api/v1/pods', query: {} });
    expect(list.status).toBe(400);
    expect((await list.json()).message).toMatch(/needs watch=true/);
    const outside = await start({ id: 2, path: '/api/v1/../../etc', query: { watch: 'true' } });
    expect(outside.status).toBe(400);
    const tunnel = await start({
      id: 3,
      path: '/api/v1/namespaces/default/pods/p/exec',
      query: { watch: 'true' },
    });
    expect(tunnel.status).toBe(403);
    const unknown = await start({ id: 4, path: '/api/v1/pods', query: { watch: 'true' } }, {}, 'nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-kates-watch-session')).toBe('unknown');
    const crossSite = await start(
      { id: 5, path: '/api/v1/pods', query: { watch: 'true' } },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect(proxy.stats().upstream.watches).toBe(startedBefore);
    await reader.cancel();
  });

  it('falls back to one connection per watch behind a proxy without the endpoint', async () => {
    const plain = await startKubeProxy({
      kubeconfig: cluster!.kubeconfigPath,
      port: 0,
      multiplexWatches: false,
    });
    const browser = loggingFetch();
    const transport = createBrowserTransport({ baseUrl: plain.url, fetch: browser.fetch });
    const acc = accumulatorOver(transport, [
      { name: 'a', kind: 'cm', namespace: 'default', labelSelector: `run=${run},n=0` },
      { name: 'b', kind: 'cm', namespace: 'default', labelSelector: `run=${run},n=1` },
    ]);
    try {
      await acc.changed();
      expect((acc.getSnapshot().a as KubernetesObject[]).map((c) => c.metadata?.name)).toEqual([`${run}-0`]);
      await within(3000, () => browser.log.filter((l) => /[?&]watch=(true|1)/.test(l)).length === 2);
      // The transport asked for a session once, was told there is none, and did not ask again.
      expect(browser.log.filter((l) => l === `GET ${WATCH_MUX_PATH}`)).toHaveLength(1);
    } finally {
      acc.close();
      transport.close?.();
      await plain.close();
    }
  });
});
