import { type Client, type ConfigMap, createClient, type Deployment, type Service } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../packages/testing/src/vitest/cluster.js';
import { type ControllerStats, runController } from './controller.js';
import type { Mapping } from './mapping.js';
import { type Route, TABLE_LABEL } from './reconcile.js';

const cluster = realCluster();
const run = Date.now().toString(36);
const nsA = `router-a-${run}`;
const nsB = `router-b-${run}`;

const service = (namespace: string, name: string): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: [{ port: 8080 }] },
});
const deployment = (namespace: string, name: string): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx' }] } },
  },
});
const mapping = (namespace: string, name: string, prefix: string, svc: string): Mapping => ({
  apiVersion: 'example.kates.dev/v1',
  kind: 'Mapping',
  metadata: { name, namespace },
  spec: { prefix, service: svc },
});

describe.skipIf(!cluster)('the example router controller against the real API server', () => {
  let admin: Client;
  let controllerClient: Client;
  let stats: Promise<ControllerStats>;
  const abort = new AbortController();
  const log: string[] = [];

  const tables = async () =>
    admin
      .list<ConfigMap>('cm', { namespace: 'all', labelSelector: `${TABLE_LABEL}=true` })
      .then((all) => all.filter((t) => [nsA, nsB].includes(t.metadata?.namespace ?? '')));
  const routes = async (ns: string): Promise<Route[] | undefined> => {
    const t = (await tables()).find((x) => x.metadata?.namespace === ns);
    return t ? JSON.parse(t.data?.['routes.json'] ?? '[]') : undefined;
  };

  beforeAll(async () => {
    admin = createClient({ kubeconfig: cluster!.kubeconfigPath });
    controllerClient = createClient({ kubeconfig: cluster!.kubeconfigPath });
    for (const ns of [nsA, nsB]) {
      await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await admin.create(service(ns, 'web'));
      await admin.create(deployment(ns, 'web'));
    }
    stats = runController({
      client: controllerClient,
      signal: abort.signal,
      log: (l) => log.push(l),
      interval: 50,
    });
    // The controller installs its CRD; wait until Mappings can be created.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok: true | Error = await admin.create(mapping(nsA, 'root', '/', 'web')).then(
        () => true as const,
        (e: Error) => e,
      );
      if (ok === true) break;
      if (Date.now() > deadline)
        throw new Error(`Mappings never became creatable: ${ok.message}\n${log.join('\n')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  afterAll(async () => {
    abort.abort();
    await stats?.catch(() => undefined);
    for (const ns of [nsA, nsB]) await admin?.delete({ kind: 'Namespace', name: ns }).catch(() => undefined);
    controllerClient?.close();
    admin?.close();
  });

  it('creates a routing table for a namespace with Mappings, owned by them', async () => {
    await expect
      .poll(() => routes(nsA), { timeout: 15_000 })
      .toEqual([
        { prefix: '/', service: 'web', port: 8080, readyEndpoints: 0, problem: 'no ready endpoints' },
      ]);
    const [table] = (await tables()).filter((t) => t.metadata?.namespace === nsA);
    expect(
      table?.metadata?.ownerReferences?.map((o: { kind: string; name: string }) => `${o.kind}/${o.name}`),
    ).toEqual(['Mapping/root']);
  });

  it('updates the table when the Deployment behind a route becomes ready', async () => {
    const d = await admin.get('deploy', 'web', { namespace: nsA });
    await admin.updateStatus({ ...d, status: { replicas: 2, readyReplicas: 2 } });
    await expect
      .poll(() => routes(nsA), { timeout: 15_000 })
      .toEqual([{ prefix: '/', service: 'web', port: 8080, readyEndpoints: 2 }]);
  });

  it('leaves exactly one table per namespace under churn, with the routes of the Mappings left, and removes empty ones', async () => {
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      const ns = i % 2 ? nsA : nsB;
      writes.push(admin.create(mapping(ns, `m${i}`, `/p${i}/`, 'web')));
    }
    await Promise.all(writes);
    for (let i = 0; i < 30; i += 3)
      await admin.delete({ kind: 'mappings.example.kates.dev', name: `m${i}`, namespace: i % 2 ? nsA : nsB });
    const expected = (ns: string) =>
      Array.from({ length: 30 }, (_, i) => i)
        .filter((i) => i % 3 !== 0 && (i % 2 ? nsA : nsB) === ns)
        .map((i) => `/p${i}/`)
        .concat(ns === nsA ? ['/'] : [])
        .sort();
    await expect
      .poll(async () => (await routes(nsA))?.map((r) => r.prefix), { timeout: 20_000 })
      .toEqual(expected(nsA));
    await expect
      .poll(async () => (await routes(nsB))?.map((r) => r.prefix), { timeout: 20_000 })
      .toEqual(expected(nsB));
    const all = await tables();
    expect(all.map((t) => t.metadata?.namespace).sort()).toEqual([nsA, nsB].sort());
    // Read/write coherence: each table was created once; no create ever met AlreadyExists.
    expect(log.filter((l) => l.includes('create configmap') && !l.includes('conflict'))).toHaveLength(2);
    expect(log.filter((l) => l.includes('create configmap') && l.includes('conflict'))).toHaveLength(0);
    // Every Mapping of nsB gone: its table goes too.
    for (const m of await admin.list<Mapping>('mappings.example.kates.dev', { namespace: nsB }))
      await admin.delete(m);
    await expect.poll(() => routes(nsB), { timeout: 15_000 }).toBeUndefined();
  });
});
