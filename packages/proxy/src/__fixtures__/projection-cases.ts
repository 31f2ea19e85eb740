import {
  Client,
  createBrowserTransport,
  createClient,
  type KubernetesObject,
  keepFields,
  PROJECTION_PARAM,
  withProjection,
} from '@kates/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type KubeProxy, startKubeProxy } from '../start.js';
import { within } from './within.js';

const FIELDS = ['data.shown', 'metadata.labels'];
const project = keepFields(FIELDS);
const byName = (items: readonly KubernetesObject[]) =>
  [...items].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));

/**
 * Projected lists and watches through the kates proxy (`katesFields`), the same cases on each API
 * server: what a page reads equals the API server's own objects, projected.
 */
export function projectionCases(kubeconfigPath: () => string): void {
  const run = `proj-${Date.now().toString(36)}`;
  const path = '/api/v1/namespaces/default/configmaps';
  let writer: Client;
  let fanOut: KubeProxy;
  let relay: KubeProxy;

  beforeAll(async () => {
    writer = createClient({ kubeconfig: kubeconfigPath(), namespace: 'default' });
    fanOut = await startKubeProxy({ kubeconfig: kubeconfigPath(), port: 0 });
    relay = await startKubeProxy({ kubeconfig: kubeconfigPath(), port: 0, fanOut: false });
    for (let i = 0; i < 5; i++) {
      await writer.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${run}-${i}`, labels: { run } },
        data: { shown: String(i), hidden: 'x'.repeat(200) },
      });
    }
  });
  afterAll(async () => {
    await fanOut.close();
    await relay.close();
    writer.transport.close?.();
  });

  const direct = async () =>
    (await writer.list('ConfigMap', { labelSelector: `run=${run}` })) as KubernetesObject[];

  it('answers a projected list from its cache as the API server lists the objects, projected, page by page', async () => {
    const q = `labelSelector=run%3D${run}&${PROJECTION_PARAM}=${encodeURIComponent(FIELDS.join(','))}`;
    const first = await (await fetch(`${fanOut.url}${path}?${q}&limit=3`)).json();
    expect(first.metadata.continue).toBeTruthy();
    const next = await (
      await fetch(`${fanOut.url}${path}?${q}&limit=3&continue=${encodeURIComponent(first.metadata.continue)}`)
    ).json();
    const items = [...first.items, ...next.items] as KubernetesObject[];
    expect(byName(items)).toEqual(byName((await direct()).map(project)));
    expect(items[0]?.data).toEqual({ shown: expect.any(String) });
    expect(items[0]?.metadata?.managedFields).toBeUndefined();
  });

  it("keeps a page's projected view equal to the API server's objects, projected, as they change", async () => {
    for (const proxy of [fanOut, relay]) {
      const client = new Client({
        transport: withProjection(createBrowserTransport({ baseUrl: proxy.url }), FIELDS),
        reflector: { transform: project },
      });
      const acc = client.watch({
        name: 'cms',
        kind: 'cm',
        namespace: 'default',
        labelSelector: `run=${run}`,
      });
      try {
        await acc.changed();
        await writer.patch({ kind: 'ConfigMap', name: `${run}-1` }, { data: { shown: 'changed' } });
        await within(5000, () => acc.getSnapshot().cms?.some((c) => c.data?.shown === 'changed') === true);
        expect(byName(acc.getSnapshot().cms ?? [])).toEqual(byName((await direct()).map(project)));
      } finally {
        acc.close();
        client.transport.close?.();
      }
    }
  });

  it('streams a projected watch: its initial state and later events carry the asked fields alone', async () => {
    const abort = new AbortController();
    const q = `labelSelector=run%3D${run}&watch=true&${PROJECTION_PARAM}=${encodeURIComponent(FIELDS.join(','))}`;
    const res = await fetch(`${fanOut.url}${path}?${q}`, { signal: abort.signal });
    const lines: { type: string; object: KubernetesObject }[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffered = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffered += decoder.decode(chunk, { stream: true });
          for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
            if (nl > 0) lines.push(JSON.parse(buffered.slice(0, nl)));
            buffered = buffered.slice(nl + 1);
          }
        }
      } catch {
        // aborted
      }
    })();
    try {
      await within(5000, () => lines.length >= 5);
      await writer.patch({ kind: 'ConfigMap', name: `${run}-2` }, { data: { shown: 'watched' } });
      await within(5000, () => lines.some((l) => l.object.data?.shown === 'watched'));
      for (const l of lines) {
        expect(Object.keys(l.object.data ?? {})).toEqual(['shown']);
        expect(l.object.metadata?.managedFields).toBeUndefined();
      }
    } finally {
      abort.abort();
      await reading;
    }
  });

  it('refuses a malformed projection with 400, naming it', async () => {
    const res = await fetch(`${fanOut.url}${path}?${PROJECTION_PARAM}=spec..x`);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/katesFields: a projected field is a dotted path/);
  });
}
