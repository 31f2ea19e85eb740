import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, uniqueName, useTestServer } from '../client/__fixtures__/cluster.js';
import { createNodeTransport, type NodeTransport } from './node.js';
import { TransportError } from './types.js';

const server = useTestServer();

function loadKubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  return kc;
}

function tokenOf(kc: KubeConfig): string {
  const token = kc.getCurrentUser()?.token;
  if (!token) throw new Error('the test kubeconfig has no bearer token');
  return token;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Everything an error could show: message, stack, causes, own fields. */
function everything(e: unknown): string {
  return `${String(e)}\n${(e as Error).stack}\n${inspect(e, { depth: 8, showHidden: true })}\n${JSON.stringify(e)}`;
}

describe.skipIf(!cluster)('the Node transport against the API server', () => {
  let transport: NodeTransport;
  beforeAll(() => {
    transport = createNodeTransport(loadKubeconfig());
  });
  afterAll(() => transport?.close());

  it('authenticates with the kubeconfig token and trusts its CA', async () => {
    const res = await transport.request({ method: 'GET', path: '/api/v1/namespaces/default' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(JSON.parse(await res.text()).metadata.name).toBe('default');
  });

  it('sends sequential requests over one keep-alive connection', async () => {
    const own = createNodeTransport(loadKubeconfig());
    try {
      // Each made as soon as the answer before it is read: a list's pages, a write after a read.
      for (let i = 0; i < 20; i++) await (await own.request({ method: 'GET', path: '/api' })).text();
      const path = '/api/v1/namespaces';
      const first = await own.request({ method: 'GET', path, query: { limit: 1 } });
      const token = JSON.parse((await first.textUnless!(() => false)) ?? '').metadata?.continue;
      if (token)
        await (await own.request({ method: 'GET', path, query: { limit: 1, continue: token } })).text();
      expect(own.stats()).toEqual({ requests: token ? 22 : 21, connections: 1, dispatchers: 1 });
    } finally {
      own.close();
    }
  });

  it('streams a watch as lines, as they arrive', async () => {
    const res = await transport.request({
      method: 'GET',
      path: '/api/v1/namespaces',
      query: { watch: true, timeoutSeconds: 2 },
    });
    expect(res.status).toBe(200);
    const lines: string[] = [];
    for await (const line of res.lines()) {
      lines.push(line);
      if (lines.length === 2) break;
    }
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['ADDED', 'ADDED']);
  });

  it('sends bodies with their content type', async () => {
    const res = await transport.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      query: { dryRun: 'All' },
      body: JSON.stringify({ metadata: { name: 'transport-dry-run' }, data: { a: 'b' } }),
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(await res.text()).data).toEqual({ a: 'b' });
  });

  it('gets a large LIST uncompressed when compression is off, and the same text either way', async () => {
    const name = uniqueName('transport-compression');
    // Over 128 KB: kube-apiserver gzips an answer that large to a client that asks.
    const data = { big: Array.from({ length: 6000 }, (_, i) => `line ${i} of a large ConfigMap`).join('\n') };
    const path = '/api/v1/namespaces/default/configmaps';
    const created = await transport.request({
      method: 'POST',
      path,
      body: JSON.stringify({ metadata: { name }, data }),
    });
    expect(created.status).toBe(201);
    await created.text();
    const plain = createNodeTransport(loadKubeconfig(), { compression: false });
    try {
      const query = { fieldSelector: `metadata.name=${name}` };
      const gzipped = await transport.request({ method: 'GET', path, query });
      const identity = await plain.request({ method: 'GET', path, query });
      expect(identity.headers['content-encoding']).toBeUndefined();
      // The in-memory server answers uncompressed whatever the client asks.
      expect(gzipped.headers['content-encoding']).toBe(server.kind === 'real' ? 'gzip' : undefined);
      const [a, b] = [JSON.parse(await gzipped.text()), JSON.parse(await identity.text())];
      expect(a.items.map((o: { data: unknown }) => o.data)).toEqual([data]);
      expect(b.items).toEqual(a.items);
    } finally {
      plain.close();
      await (await transport.request({ method: 'DELETE', path: `${path}/${name}` })).text();
    }
  });

  it('names the server, verb and path of a refused connection, and never the token', async () => {
    const kc = loadKubeconfig();
    const token = tokenOf(kc);
    const port = await closedPort();
    const refused = `https://127.0.0.1:${port}`;
    kc.clusters = kc.clusters.map((c) => ({ ...c, server: refused }));
    const broken = createNodeTransport(kc);
    const error = await broken.request({ method: 'GET', path: '/api/v1/pods' }).catch((e: unknown) => e);
    broken.close();
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(
      new RegExp(`^GET https://127\\.0\\.0\\.1:${port}/api/v1/pods: request failed: .*ECONNREFUSED`),
    );
    expect(everything(error)).not.toContain(token);
  });

  it('reports a TLS failure (an untrusted server certificate) without the token', async () => {
    const kc = loadKubeconfig();
    const token = tokenOf(kc);
    // Trust some other CA: the server's certificate no longer verifies.
    kc.clusters = kc.clusters.map((c) => ({ ...c, caData: undefined, caFile: undefined }));
    const untrusted = createNodeTransport(kc);
    const error = await untrusted.request({ method: 'GET', path: '/api' }).catch((e: unknown) => e);
    untrusted.close();
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/certificate|self.signed|issuer/i);
    expect(everything(error)).not.toContain(token);
  });

  it('names the header the HTTP stack refuses, never the credential in it', async () => {
    const kc = loadKubeconfig();
    const token = tokenOf(kc);
    // A token with a line break is not a valid header value. undici's fetch quoted the value in its
    // error (the transport redacts credentials in any message); its dispatcher names the header.
    const bad = `${token}\nX-Injected: 1`;
    kc.users = kc.users.map((u) => ({ ...u, token: bad }));
    const broken = createNodeTransport(kc);
    const error = await broken.request({ method: 'GET', path: '/api' }).catch((e: unknown) => e);
    broken.close();
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/request failed: invalid Authorization header/);
    expect(everything(error)).not.toContain(token);
  });

  it('reports an aborted request as aborted', async () => {
    const controller = new AbortController();
    const pending = transport.request({
      method: 'GET',
      path: '/api/v1/namespaces',
      query: { watch: true },
      signal: controller.signal,
    });
    const res = await pending;
    const reading = (async () => {
      for await (const _ of res.lines()) controller.abort();
    })();
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toContain('aborted');
  });

  it('refuses a kubeconfig whose server is not a URL', () => {
    const kc = loadKubeconfig();
    kc.clusters = kc.clusters.map((c) => ({ ...c, server: 'localhost:6443' }));
    expect(() => createNodeTransport(kc)).toThrow(/must be an https:\/\/ \(or http:\/\/\) URL/);
  });
});
