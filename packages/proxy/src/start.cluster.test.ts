import { readFileSync } from 'node:fs';
import {
  type Client,
  createBrowserTransport,
  createClient,
  createKatesStore,
  Discovery,
  type KubernetesObject,
} from '@kates/core';
import { createAccumulator, createWatchHost } from '@kates/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../testing/src/vitest/cluster.js';
import { within } from './__fixtures__/within.js';
import { type KubeProxy, startKubeProxy } from './start.js';

const cluster = realCluster();

describe.skipIf(!cluster)('startKubeProxy against the real API server', () => {
  let proxy: KubeProxy;
  let client: Client;
  const run = `proxy-${Date.now().toString(36)}`;
  beforeAll(async () => {
    proxy = await startKubeProxy({ kubeconfig: cluster!.kubeconfigPath, port: 0 });
    client = createClient({ kubeconfig: cluster!.kubeconfigPath });
  });
  afterAll(async () => {
    await proxy.close();
    client.transport.close?.();
  });

  it('lets the browser transport run the reflector and store through it, following a ConfigMap', async () => {
    const transport = createBrowserTransport({ baseUrl: proxy.url });
    const discovery = new Discovery(transport);
    const host = createWatchHost(transport, createKatesStore(), (kind) => discovery.resolve(kind));
    const acc = createAccumulator(host, [
      { name: 'configmaps', kind: 'cm', namespace: 'default', labelSelector: `run=${run}` },
    ]);
    try {
      await acc.changed();
      expect(acc.status().configmaps?.phase).toBe('synced');
      const find = () =>
        acc.getSnapshot().configmaps?.find((c: KubernetesObject) => c.metadata?.name === run);
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: run, namespace: 'default', labels: { run } },
        data: { step: 'created' },
      });
      await within(2000, () => find()?.data?.step === 'created');
      await client.patch(
        { kind: 'ConfigMap', name: run, namespace: 'default' },
        { data: { step: 'modified' } },
      );
      await within(2000, () => find()?.data?.step === 'modified');
      await client.delete({ kind: 'ConfigMap', name: run, namespace: 'default' });
      await within(2000, () => find() === undefined);
      expect(acc.status().configmaps?.counters.events).toBeGreaterThanOrEqual(3);
    } finally {
      acc.close();
      await host.watches.stopAll();
    }
  });

  it('streams each watch event as it happens, without waiting for the response to end', async () => {
    const name = `${run}-stream`;
    const abort = new AbortController();
    const res = await fetch(
      `${proxy.url}/api/v1/namespaces/default/configmaps?watch=true&labelSelector=run%3D${name}` +
        '&timeoutSeconds=60',
      { signal: abort.signal },
    );
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const created = Date.now();
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default', labels: { run: name } },
    });
    const { value } = await reader.read();
    const latency = Date.now() - created;
    const event = JSON.parse(new TextDecoder().decode(value).trim().split('\n')[0]!);
    expect(event).toMatchObject({ type: 'ADDED', object: { metadata: { name } } });
    expect(latency).toBeLessThan(1000);
    abort.abort();
    await client.delete({ kind: 'ConfigMap', name, namespace: 'default' });
  });

  it("never hands the kubeconfig's token to the browser, in headers or bodies", async () => {
    const token = /token: (\S+)/.exec(readFileSync(cluster!.kubeconfigPath, 'utf8'))![1]!;
    for (const path of [
      '/api',
      '/apis',
      '/version',
      '/api/v1/namespaces/default/serviceaccounts',
      '/api/v1/namespaces/kube-system/configmaps?limit=2',
      '/api/v1/nodes/none',
    ]) {
      const res = await fetch(`${proxy.url}${path}`);
      const text = await res.text();
      const headers = JSON.stringify([...res.headers]);
      expect(text.includes(token), path).toBe(false);
      expect(headers.includes(token), path).toBe(false);
      expect(headers.toLowerCase()).not.toMatch(/set-cookie|authorization|www-authenticate/);
    }
  });

  it("forwards writes with allowWrites, and passes the API server's refusals on as they are", async () => {
    const writable = await startKubeProxy({
      kubeconfig: cluster!.kubeconfigPath,
      port: 0,
      allowWrites: true,
    });
    const nobody = await startKubeProxy({ kubeconfig: cluster!.nobodyKubeconfigPath, port: 0 });
    try {
      const body = JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${run}-w`, namespace: 'default' },
      });
      const post = () =>
        fetch(`${writable.url}/api/v1/namespaces/default/configmaps`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
      expect((await post()).status).toBe(201);
      const again = await post();
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ kind: 'Status', reason: 'AlreadyExists' });
      const del = await fetch(`${writable.url}/api/v1/namespaces/default/configmaps/${run}-w`, {
        method: 'DELETE',
      });
      expect(del.status).toBe(200);
      const forbidden = await fetch(`${nobody.url}/api/v1/namespaces/default/configmaps`);
      expect(forbidden.status).toBe(403);
      expect(await forbidden.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    } finally {
      await writable.close();
      await nobody.close();
    }
  });
});
