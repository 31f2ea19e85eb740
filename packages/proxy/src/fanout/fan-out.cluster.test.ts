import { type Client, createClient, type KubernetesObject } from '@kates/core';
import { METADATA_LIST_ACCEPT, WATCH_MUX_PATH } from '@kates/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { loggingFetch } from '../__fixtures__/logging-fetch.js';
import { openPage } from '../__fixtures__/session.js';
import { within } from '../__fixtures__/within.js';
import { type KubeProxy, startKubeProxy } from '../start.js';

const cluster = realCluster();
const names = (items: readonly KubernetesObject[] | undefined) =>
  (items ?? []).map((o) => o.metadata?.name).sort();

describe.skipIf(!cluster)('the fan-out proxy against the real API server', () => {
  let client: Client;
  let proxy: KubeProxy;
  const run = `fan-${Date.now().toString(36)}`;

  beforeAll(async () => {
    client = createClient({ kubeconfig: cluster!.kubeconfigPath, namespace: 'default' });
    proxy = await startKubeProxy({ kubeconfig: cluster!.kubeconfigPath, port: 0 });
    for (let i = 0; i < 12; i++) {
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${run}-${i}`, labels: { run, half: String(i % 2) } },
      });
    }
  });
  afterAll(async () => {
    await proxy.close();
    client.transport.close?.();
  });

  it('holds one API server watch per distinct query for fifty pages, and the fiftieth page asks the API server nothing', async () => {
    const queries = [
      { name: 'even', kind: 'cm', namespace: 'default', labelSelector: `run=${run},half=0` },
      { name: 'odd', kind: 'cm', namespace: 'default', labelSelector: `run=${run},half=1` },
    ] as const;
    const first = openPage(proxy.url, queries);
    await first.acc.changed();
    await within(3000, () => proxy.stats().upstream.openWatches === 2);
    const counts = proxy.stats().upstream;
    const pages = [first];
    for (let i = 1; i < 50; i++) pages.push(openPage(proxy.url, queries));
    await Promise.all(pages.map((p) => p.acc.changed()));
    await within(5000, () => proxy.stats().fanOut?.watches === 100);
    expect(proxy.stats().upstream).toEqual(counts);
    for (const p of pages) expect(names(p.acc.getSnapshot().even)).toHaveLength(6);
    await client.patch({ kind: 'ConfigMap', name: `${run}-3` }, { data: { seen: 'by all' } });
    await within(5000, () =>
      pages.every((p) =>
        (p.acc.getSnapshot().odd ?? []).some((c: KubernetesObject) => c.data?.seen === 'by all'),
      ),
    );
    for (const p of pages) p.close();
  });

  it('shows a page that lost its stream, after the cluster changed, the same objects as a fresh LIST within 2 s of reconnecting', async () => {
    const browser = loggingFetch();
    const page = openPage(
      proxy.url,
      [{ name: 'all', kind: 'cm', namespace: 'default', labelSelector: `run=${run}` }],
      browser.fetch,
    );
    try {
      await page.acc.changed();
      await within(3000, () => browser.log.some((l) => l.startsWith(`POST ${WATCH_MUX_PATH}/`)));
      browser.breakStream();
      await client.delete({ kind: 'ConfigMap', name: `${run}-0` });
      await client.patch({ kind: 'ConfigMap', name: `${run}-1` }, { data: { after: 'the drop' } });
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${run}-new`, labels: { run, half: '0' } },
      });
      const fresh = await client.list('ConfigMap', { labelSelector: `run=${run}` });
      const sessions = () => browser.log.filter((l) => l === `GET ${WATCH_MUX_PATH}`).length;
      // The reflector backs off (0.8 s at first) and watches again through a new session.
      await within(10_000, () => sessions() >= 2);
      const reconnected = Date.now();
      // Equal to the fresh LIST: the same objects, each at the same resourceVersion with the same data.
      const versions = (items: readonly KubernetesObject[]) =>
        JSON.stringify(
          items
            .map((c) => `${c.metadata?.name}@${c.metadata?.resourceVersion}:${JSON.stringify(c.data ?? {})}`)
            .sort(),
        );
      const same = () => versions(page.acc.getSnapshot().all ?? []) === versions(fresh);
      await within(5000, same);
      expect(Date.now() - reconnected).toBeLessThan(2000);
      expect(names(page.acc.getSnapshot().all)).toEqual(names(fresh));
    } finally {
      page.close();
    }
  });

  it('answers a metadata-only list from its cache as the API server answers it', async () => {
    const path = `/api/v1/namespaces/default/configmaps`;
    const viaProxy = await (
      await fetch(`${proxy.url}${path}?labelSelector=run%3D${run}`, {
        headers: { accept: METADATA_LIST_ACCEPT },
      })
    ).json();
    const direct = await client.transport.request({
      method: 'GET',
      path,
      query: { labelSelector: `run=${run}` },
      accept: METADATA_LIST_ACCEPT,
    });
    const expected = JSON.parse(await direct.text());
    expect(viaProxy.kind).toBe('PartialObjectMetadataList');
    const byName = (items: KubernetesObject[]) =>
      [...items].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    expect(byName(viaProxy.items)).toEqual(byName(expected.items));
  });

  it('serves several users from the same caches, each only what the API server lets them read', async () => {
    const users: Record<string, { username: string; groups: string[] }> = {
      admin: { username: 'kates-admin', groups: ['system:masters', 'system:authenticated'] },
      nobody: { username: 'kates-nobody', groups: ['system:authenticated'] },
    };
    const shared = await startKubeProxy({
      kubeconfig: cluster!.kubeconfigPath,
      port: 0,
      // In a deployment, an authenticating front sets such a header and nothing else can reach the proxy.
      identify: (req) => users[String(req.headers['x-test-user'])],
    });
    try {
      const path = `/api/v1/namespaces/default/configmaps?labelSelector=run%3D${run}`;
      const as = (user: string) => ({ headers: { 'x-test-user': user } });
      const admin = await fetch(`${shared.url}${path}`, as('admin'));
      expect(admin.status).toBe(200);
      expect((await admin.json()).items.length).toBeGreaterThan(0);
      const nobody = await fetch(`${shared.url}${path}`, as('nobody'));
      expect(nobody.status).toBe(403);
      const direct = await createClient({ kubeconfig: cluster!.nobodyKubeconfigPath }).transport.request({
        method: 'GET',
        path: '/api/v1/namespaces/default/configmaps',
      });
      expect((await nobody.json()).message).toBe(JSON.parse(await direct.text()).message);
      expect((await fetch(`${shared.url}${path}`)).status).toBe(401);

      // Watches: the admin's page works; nobody's watch is refused; nobody cannot use the admin's session.
      const page = openPage(
        shared.url,
        [{ name: 'mine', kind: 'cm', namespace: 'default', labelSelector: `run=${run}` }],
        (input, init) =>
          fetch(input, {
            ...init,
            headers: { ...(init?.headers as Record<string, string>), 'x-test-user': 'admin' },
          }),
      );
      await page.acc.changed();
      expect((page.acc.getSnapshot().mine ?? []).length).toBeGreaterThan(0);
      const session = await fetch(`${shared.url}${WATCH_MUX_PATH}`, as('nobody'));
      const reader = session.body!.getReader();
      const id = /^s (\S+)\n/.exec(new TextDecoder().decode((await reader.read()).value))?.[1];
      const watch = await fetch(`${shared.url}${WATCH_MUX_PATH}/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-user': 'nobody' },
        body: JSON.stringify({
          id: 1,
          path: '/api/v1/namespaces/default/configmaps',
          query: { watch: 'true' },
        }),
      });
      expect(watch.status).toBe(403);
      expect((await watch.json()).message).toMatch(/User "kates-nobody" cannot watch resource "configmaps"/);
      const hijack = await fetch(`${shared.url}${WATCH_MUX_PATH}/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-user': 'admin' },
        body: JSON.stringify({
          id: 2,
          path: '/api/v1/namespaces/default/configmaps',
          query: { watch: 'true' },
        }),
      });
      expect(hijack.status).toBe(404);
      await reader.cancel();
      // One API server list+watch served them both.
      expect(shared.stats().upstream.watches).toBe(1);
      page.close();
    } finally {
      await shared.close();
    }
  });

  it('refuses to forward writes for several users', async () => {
    await expect(
      startKubeProxy({
        kubeconfig: cluster!.kubeconfigPath,
        port: 0,
        allowWrites: true,
        identify: () => undefined,
      }),
    ).rejects.toThrow(/does not forward writes for several users/);
  });
});
