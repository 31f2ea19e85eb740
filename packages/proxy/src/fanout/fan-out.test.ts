import { createClient, type KubernetesObject } from '@kates/core';
import { METADATA_ACCEPT, METADATA_LIST_ACCEPT } from '@kates/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../../testing/src/fake/index.js';
import { openPage } from '../__fixtures__/session.js';
import { within } from '../__fixtures__/within.js';
import { type KubeProxy, startKubeProxy } from '../start.js';

const configMap = (name: string, labels: Record<string, string>, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels },
  data,
});

/** Reads a watch answer's lines as they come. */
async function watchLines(url: string, accept = 'application/json') {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept }, signal: abort.signal });
  const lines: { type: string; object: KubernetesObject }[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          if (nl > 0) lines.push(JSON.parse(buffered.slice(0, nl)));
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf('\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return { status: res.status, lines, close: () => abort.abort(), ended: reading };
}

describe('the fan-out proxy, on the fake API server', () => {
  let api: FakeApiServer;
  let writer: ReturnType<typeof createClient>;
  let proxy: KubeProxy;

  beforeAll(async () => {
    api = await startFakeApiServer();
    writer = createClient({ kubeconfig: api.kubeconfigPath });
    proxy = await startKubeProxy({ kubeconfig: api.kubeconfigPath, port: 0, fanOut: { historyEvents: 50 } });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writer.create(configMap(`fan-${i}`, { app: 'fan', tier: i % 2 ? 'web' : 'db' }, { i: String(i) })),
      ),
    );
  });
  afterAll(async () => {
    await proxy.close();
    writer.transport.close?.();
    await api.stop();
  });

  it('serves fifty pages with one list and one watch of the API server per distinct query; the fiftieth page asks it nothing', async () => {
    const queries = [
      { name: 'web', kind: 'cm', namespace: 'default', labelSelector: 'app=fan,tier=web' },
      { name: 'db', kind: 'cm', namespace: 'default', labelSelector: 'tier=db, app=fan' },
    ] as const;
    const first = openPage(proxy.url, queries);
    await first.acc.changed();
    await within(3000, () => proxy.stats().upstream.openWatches === 2);
    const after = proxy.stats().upstream;
    expect(after.reads).toBe(2);
    expect(after.watches).toBe(2);
    const pages = [first];
    for (let i = 1; i < 50; i++) pages.push(openPage(proxy.url, queries));
    await Promise.all(pages.map((p) => p.acc.changed()));
    // Every page holds the same view, and none of them cost the API server a request.
    for (const p of pages) {
      expect(p.acc.getSnapshot().web).toHaveLength(10);
      expect(p.acc.getSnapshot().db).toHaveLength(10);
    }
    await within(3000, () => proxy.stats().fanOut?.watches === 100);
    expect(proxy.stats().upstream).toEqual(after);
    expect(proxy.stats().fanOut).toMatchObject({ caches: 2, watches: 100, objects: 20 });

    // One change reaches every page through the one API server watch.
    await writer.patch(
      { kind: 'ConfigMap', name: 'fan-1', namespace: 'default' },
      { data: { i: 'changed' } },
    );
    await within(5000, () =>
      pages.every((p) =>
        (p.acc.getSnapshot().web ?? []).some((c: KubernetesObject) => c.data?.i === 'changed'),
      ),
    );
    expect(proxy.stats().upstream.watches).toBe(2);
    for (const p of pages) p.close();
    await within(3000, () => proxy.stats().fanOut?.watches === 0);
  });

  it('answers a list page by page from one snapshot, whatever changes between the pages', async () => {
    const base = `${proxy.url}/api/v1/namespaces/default/configmaps?labelSelector=app%3Dfan&limit=8`;
    const first = await (await fetch(base)).json();
    expect(first.kind).toBe('ConfigMapList');
    expect(first.items).toHaveLength(8);
    expect(first.metadata.remainingItemCount).toBe(12);
    await writer.create(configMap('fan-late', { app: 'fan' }));
    const names: string[] = first.items.map((c: KubernetesObject) => c.metadata?.name);
    let token = first.metadata.continue as string | undefined;
    while (token) {
      const page = await (await fetch(`${base}&continue=${encodeURIComponent(token)}`)).json();
      expect(page.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      names.push(...page.items.map((c: KubernetesObject) => c.metadata?.name));
      token = page.metadata.continue;
    }
    expect(names).toHaveLength(20);
    expect(names).not.toContain('fan-late');
    const fresh = await (await fetch(base.replace('&limit=8', ''))).json();
    expect(fresh.items.map((c: KubernetesObject) => c.metadata?.name)).toContain('fan-late');
    await writer.delete({ kind: 'ConfigMap', name: 'fan-late', namespace: 'default' });
  });

  it('resumes a watch from its resourceVersion, and answers 410 Gone in the stream when the history is past it', async () => {
    const path = `${proxy.url}/api/v1/namespaces/default/configmaps`;
    const list = await (await fetch(`${path}?labelSelector=app%3Dresume`)).json();
    const from = list.metadata.resourceVersion as string;
    await writer.create(configMap('resume-a', { app: 'resume' }));
    await writer.patch({ kind: 'ConfigMap', name: 'resume-a', namespace: 'default' }, { data: { v: '2' } });
    const resumed = await watchLines(`${path}?watch=true&labelSelector=app%3Dresume&resourceVersion=${from}`);
    await within(3000, () => resumed.lines.length >= 2);
    expect(resumed.lines.map((l) => l.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(resumed.lines[1]?.object.data).toEqual({ v: '2' });
    resumed.close();

    // More events than the history keeps (50): a watch from before them must list again.
    for (let i = 0; i < 60; i++) {
      await writer.patch(
        { kind: 'ConfigMap', name: 'resume-a', namespace: 'default' },
        { data: { v: `n${i}` } },
      );
    }
    // Once the cache has them all (a list through the proxy shows the last).
    for (let tries = 0; ; tries++) {
      const now = await (await fetch(`${path}?labelSelector=app%3Dresume`)).json();
      if (now.items[0]?.data?.v === 'n59') break;
      if (tries > 100) throw new Error('the cache did not take the patches in');
      await new Promise((r) => setTimeout(r, 20));
    }
    const gone = await watchLines(`${path}?watch=true&labelSelector=app%3Dresume&resourceVersion=${from}`);
    await gone.ended;
    expect(gone.status).toBe(200);
    expect(gone.lines).toHaveLength(1);
    expect(gone.lines[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    await writer.delete({ kind: 'ConfigMap', name: 'resume-a', namespace: 'default' });
  });

  it('keeps a metadata-only query apart from the full one, and answers both as the API server would', async () => {
    const path = `${proxy.url}/api/v1/namespaces/default/configmaps?labelSelector=app%3Dfan`;
    const watchesBefore = proxy.stats().upstream.watches;
    const partial = await (await fetch(path, { headers: { accept: METADATA_LIST_ACCEPT } })).json();
    const direct = await writer.transport.request({
      method: 'GET',
      path: '/api/v1/namespaces/default/configmaps',
      query: { labelSelector: 'app=fan' },
      accept: METADATA_LIST_ACCEPT,
    });
    const expected = JSON.parse(await direct.text());
    expect(partial.kind).toBe('PartialObjectMetadataList');
    expect(partial.apiVersion).toBe('meta.k8s.io/v1');
    const byName = (l: { items: KubernetesObject[] }) =>
      [...l.items].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    expect(byName(partial)).toEqual(byName(expected));
    expect(proxy.stats().upstream.watches).toBe(watchesBefore + 1);

    const watch = await watchLines(`${path}&watch=true`, METADATA_ACCEPT);
    await within(3000, () => watch.lines.length === 20);
    expect(
      new Set(watch.lines.map((l) => `${l.type} ${l.object.kind} ${Object.keys(l.object).join()}`)),
    ).toEqual(new Set(['ADDED PartialObjectMetadata kind,apiVersion,metadata']));
    watch.close();
  });

  it("passes the API server's own refusal on to a session, word for word", async () => {
    const nobodyUpstream = createClient({ kubeconfig: api.nobodyKubeconfigPath }).transport;
    const nobody = await startKubeProxy({ transport: nobodyUpstream, port: 0 });
    try {
      const viaProxy = await fetch(`${nobody.url}/api/v1/namespaces/default/secrets`);
      const direct = await nobodyUpstream.request({
        method: 'GET',
        path: '/api/v1/namespaces/default/secrets',
      });
      expect(viaProxy.status).toBe(403);
      expect(await viaProxy.json()).toEqual(JSON.parse(await direct.text()));
      const watch = await fetch(`${nobody.url}/api/v1/namespaces/default/secrets?watch=true`);
      expect(watch.status).toBe(403);
    } finally {
      await nobody.close();
      nobodyUpstream.close?.();
    }
  });

  it('drops a cache no page has watched for idleMs, with its API server watch', async () => {
    const short = await startKubeProxy({ kubeconfig: api.kubeconfigPath, port: 0, fanOut: { idleMs: 300 } });
    try {
      const page = openPage(short.url, [{ name: 'all', kind: 'cm', namespace: 'default' }]);
      await page.acc.changed();
      await within(3000, () => short.stats().upstream.openWatches === 1);
      page.close();
      // The cache stays while a page might come back (a reload), then goes.
      expect(short.stats().fanOut?.caches).toBe(1);
      await within(5000, () => short.stats().upstream.openWatches === 0);
      expect(short.stats().fanOut?.caches).toBe(0);
    } finally {
      await short.close();
    }
  });
});
