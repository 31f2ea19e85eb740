import { existsSync, readFileSync, statSync } from 'node:fs';
import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractHttp } from '../contract/http.js';
import { sampleClusterObjects } from './sample.js';
import { type FakeApiServer, startFakeApiServer } from './server.js';

describe('the fake API server', () => {
  let server: FakeApiServer;
  let kc: KubeConfig;

  beforeAll(async () => {
    server = await startFakeApiServer({ seed: sampleClusterObjects() });
    kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('writes a 0600 kubeconfig with its https URL, its own CA and the bearer token', () => {
    expect(statSync(server.kubeconfigPath).mode & 0o777).toBe(0o600);
    const text = readFileSync(server.kubeconfigPath, 'utf8');
    expect(text).toContain(`server: ${server.httpsUrl}`);
    expect(text).toContain(
      `certificate-authority-data: ${Buffer.from(server.certificateAuthority).toString('base64')}`,
    );
    expect(text).not.toContain('insecure-skip-tls-verify');
    expect(text).toContain(`token: ${server.token}`);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 401 without the token, like an authenticated server', async () => {
    const res = await fetch(`${server.url}/api/v1/namespaces`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('serves @kubernetes/client-node through its kubeconfig, with the seed objects', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name).sort()).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'monitoring',
      'shop',
    ]);
    const apps = kc.makeApiClient(AppsV1Api);
    const deployments = await apps.listNamespacedDeployment({ namespace: 'shop' });
    expect(deployments.items.map((d) => d.metadata?.name)).toEqual(['checkout', 'inventory', 'storefront']);
    expect(deployments.items[0]?.status?.readyReplicas).toBe(2);
    const pods = await core.listNamespacedPod({ namespace: 'shop', fieldSelector: 'status.phase=Running' });
    expect(pods.items).toHaveLength(5);
    await expect(core.readNamespacedConfigMap({ namespace: 'shop', name: 'nope' })).rejects.toMatchObject({
      code: 404,
    });
  });

  it('streams watch events to client-node Watch', async () => {
    const seen: string[] = [];
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      (type, obj) => seen.push(`${type} ${obj.metadata?.name}`),
      () => {},
    );
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' } } });
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'watched' });
    await expect.poll(() => seen, { timeout: 5000 }).toEqual(['ADDED watched', 'DELETED watched']);
    controller.abort();
  });

  it('repeats uids and generated names under the same random seed', async () => {
    const run = async () => {
      const s = await startFakeApiServer({ randomSeed: 42 });
      const http = new ContractHttp(s.kubeconfigPath);
      const a = await http.post('/api/v1/namespaces/default/configmaps', {
        metadata: { generateName: 'x-' },
      });
      await http.close();
      await s.stop();
      return [a.body.metadata.uid, a.body.metadata.name];
    };
    const [first, second] = [await run(), await run()];
    expect(first).toEqual(second);
  });

  it('deletes a namespace with its objects, as the namespace controller does', async () => {
    const http = new ContractHttp(server.kubeconfigPath);
    await http.post('/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await http.post('/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'a' } });
    await http.post('/api/v1/namespaces/doomed/configmaps', {
      metadata: { name: 'held', finalizers: ['example.com/x'] },
    });
    await http.delete('/api/v1/namespaces/doomed');
    await expect
      .poll(async () => (await http.get('/api/v1/namespaces/doomed/configmaps/a')).status)
      .toBe(404);
    expect((await http.get('/api/v1/namespaces/doomed')).body.status.phase).toBe('Terminating');
    await http.patch('/api/v1/namespaces/doomed/configmaps/held', 'application/merge-patch+json', {
      metadata: { finalizers: null },
    });
    await expect.poll(async () => (await http.get('/api/v1/namespaces/doomed')).status).toBe(404);
    await http.close();
  });

  it('refuses seed objects of kinds it does not serve, saying what to do', async () => {
    await expect(
      startFakeApiServer({
        seed: [{ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } }],
      }),
    ).rejects.toThrow(/not served by the fake API server; define its CRD in the seed/);
  });

  it('removes the kubeconfig it wrote when stopped', async () => {
    const s = await startFakeApiServer();
    expect(existsSync(s.kubeconfigPath)).toBe(true);
    await s.stop();
    expect(existsSync(s.kubeconfigPath)).toBe(false);
  });
});
