import { type Client, createClient } from '@kates/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type KubeProxy, startKubeProxy } from '../start.js';
import { openPage } from './session.js';

const FIELDS = ['data.shown'];

/**
 * A proxy with warm queries, the same cases on each API server: it lists them at startup, says
 * so on `/readyz`, serves a page's first view without asking the API server anything more, and
 * still authorizes every user (each API server answers the SubjectAccessReviews it sends).
 */
export function warmCases(kubeconfigPath: () => string): void {
  const run = `warm-${Date.now().toString(36)}`;
  const queries = [
    { name: 'mine', kind: 'cm', namespace: 'default', labelSelector: `run=${run}` },
    { name: 'namespaces', kind: 'namespaces' },
  ] as const;
  let writer: Client;
  let proxy: KubeProxy;

  beforeAll(async () => {
    writer = createClient({ kubeconfig: kubeconfigPath(), namespace: 'default' });
    for (let i = 0; i < 4; i++) {
      await writer.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${run}-${i}`, labels: { run } },
        data: { shown: String(i), hidden: 'x' },
      });
    }
    proxy = await startKubeProxy({
      kubeconfig: kubeconfigPath(),
      port: 0,
      warm: queries.map((q) => ({ ...q, fields: FIELDS })),
    });
  });
  afterAll(async () => {
    await proxy.close();
    writer.transport.close?.();
  });

  it('lists its warm queries at startup and says on /readyz when they are synced', async () => {
    expect(await proxy.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    const ready = await fetch(`${proxy.url}/readyz?verbose`);
    expect(ready.status).toBe(200);
    const text = await ready.text();
    expect(text).toContain(`[+]warm-cache/configmaps in namespace "default" (labels run=${run}) ok`);
    expect(text).toContain('[+]warm-cache/namespaces ok');
    expect(proxy.stats().warm.map((w) => w.state)).toEqual(['synced', 'synced']);
    expect(proxy.stats().fanOut?.caches).toBe(2);
  });

  it("answers a page's lists and watches from its warm caches, with no request to the API server after startup", async () => {
    expect(await proxy.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
    const before = proxy.stats().upstream;
    const page = openPage(proxy.url, queries, (input, init) => fetch(input, init));
    try {
      await page.acc.changed();
      expect((page.acc.getSnapshot().mine ?? []).map((c) => c.metadata?.name).sort()).toEqual(
        [0, 1, 2, 3].map((i) => `${run}-${i}`),
      );
      const after = proxy.stats().upstream;
      // Discovery too: the warm-up read it through the proxy's discovery cache.
      expect(after).toEqual(before);
    } finally {
      page.close();
    }
    // A projected list, as the dashboard asks for it: the texts were made at startup.
    const res = await fetch(
      `${proxy.url}/api/v1/namespaces/default/configmaps?labelSelector=run%3D${run}&katesFields=data.shown`,
    );
    const items = (await res.json()).items as { data: Record<string, string> }[];
    expect(items.map((i) => i.data).sort((a, b) => (a.shown ?? '').localeCompare(b.shown ?? ''))).toEqual(
      [0, 1, 2, 3].map((i) => ({ shown: String(i) })),
    );
    expect(proxy.stats().upstream.reads).toBe(before.reads);
  });

  it('keeps a warm cache that no page follows (it is never dropped as idle)', async () => {
    const idle = await startKubeProxy({
      kubeconfig: kubeconfigPath(),
      port: 0,
      fanOut: { idleMs: 200 },
      warm: [queries[0]],
    });
    try {
      expect(await idle.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
      await new Promise((r) => setTimeout(r, 1500));
      expect(idle.stats().fanOut?.caches).toBe(1);
      expect((await fetch(`${idle.url}/readyz`)).status).toBe(200);
    } finally {
      await idle.close();
    }
  });

  it('serves a warm cache only to users the API server lets list it', async () => {
    const users: Record<string, { username: string; groups: string[] }> = {
      admin: { username: 'kates-admin', groups: ['system:masters', 'system:authenticated'] },
      nobody: { username: 'kates-nobody', groups: ['system:authenticated'] },
    };
    const shared = await startKubeProxy({
      kubeconfig: kubeconfigPath(),
      port: 0,
      identify: (req) => users[String(req.headers['x-test-user'])],
      warm: [queries[0]],
    });
    try {
      expect(await shared.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
      const path = `${shared.url}/api/v1/namespaces/default/configmaps?labelSelector=run%3D${run}`;
      const as = (user: string) => ({ headers: { 'x-test-user': user } });
      expect((await fetch(path, as('nobody'))).status).toBe(403);
      expect((await fetch(`${path}&watch=true`, as('nobody'))).status).toBe(403);
      expect((await fetch(path)).status).toBe(401);
      const admin = await fetch(path, as('admin'));
      expect(admin.status).toBe(200);
      expect((await admin.json()).items).toHaveLength(4);
    } finally {
      await shared.close();
    }
  });

  it('is not ready while a warm query fails, waits for no kind the API server does not serve, and refuses warm queries without the fan-out', async () => {
    const proxy = await startKubeProxy({
      kubeconfig: kubeconfigPath(),
      port: 0,
      // A CRD not installed (yet), and a query no API server would answer.
      warm: [{ kind: 'nosuchkinds.example.com' }, { kind: 'configmaps', labelSelector: 'a in (' }],
    });
    try {
      expect(await proxy.waitForCacheSync(AbortSignal.timeout(1500))).toBe(false);
      const ready = await fetch(`${proxy.url}/readyz`);
      expect(ready.status).toBe(500);
      // Reasons stay in stats(): the probe answers any host.
      expect(await ready.text()).toBe(
        '[+]ping ok\n[+]warm-cache/nosuchkinds.example.com ok\n[-]warm-cache/configmaps failed: reason withheld\nreadyz check failed\n',
      );
      expect(proxy.stats().warm.map((w) => w.state)).toEqual(['unserved', 'failed']);
      expect(proxy.stats().warm[1]?.error).toMatch(/^configmaps: /);
      expect((await fetch(`${proxy.url}/livez`)).status).toBe(200);
    } finally {
      await proxy.close();
    }
    const unserved = await startKubeProxy({
      kubeconfig: kubeconfigPath(),
      port: 0,
      warm: [queries[0], { kind: 'nosuchkinds.example.com' }],
    });
    try {
      expect(await unserved.waitForCacheSync(AbortSignal.timeout(20_000))).toBe(true);
      expect((await fetch(`${unserved.url}/readyz`)).status).toBe(200);
    } finally {
      await unserved.close();
    }
    await expect(
      startKubeProxy({ kubeconfig: kubeconfigPath(), port: 0, fanOut: false, warm: [queries[0]] }),
    ).rejects.toThrow(/warm needs fanOut/);
  });
}
