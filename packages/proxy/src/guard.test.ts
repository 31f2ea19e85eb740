import { request } from 'node:http';
import type { Transport, TransportRequest } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeProxy, startKubeProxy } from './start.js';

/** An upstream that records what reaches it and answers with headers a proxy must not pass on. */
function recordingTransport() {
  const requests: TransportRequest[] = [];
  const transport: Transport = {
    server: 'https://api.test:6443',
    async request(req) {
      requests.push(req);
      return {
        status: 200,
        headers: {
          'content-type': 'application/json',
          'set-cookie': 'session=abc',
          'www-authenticate': 'Bearer',
          authorization: 'Bearer upstream-secret',
          'audit-id': 'a1',
        },
        text: async () => '{"kind":"NamespaceList","items":[]}',
        async *lines() {},
      };
    },
  };
  return { transport, requests };
}

/** A raw HTTP request, so that tests choose every header (fetch forbids Host, Cookie and Origin). */
function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('startKubeProxy guards', () => {
  const upstream = recordingTransport();
  let proxy: KubeProxy;
  beforeAll(async () => {
    proxy = await startKubeProxy({ transport: upstream.transport, port: 0 });
  });
  afterAll(() => proxy.close());

  it("binds 127.0.0.1 and forwards GETs without the browser's Authorization or cookies, and none come back", async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await raw(`${proxy.url}/api/v1/namespaces?limit=5`, {
      headers: {
        authorization: 'Bearer browser-token',
        cookie: 'sid=1',
        'x-forwarded-for': '1.2.3.4',
        'impersonate-user': 'admin',
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"kind":"NamespaceList","items":[]}');
    const sent = upstream.requests.at(-1)!;
    expect(Object.keys(sent).sort()).toEqual(['accept', 'method', 'path', 'query', 'signal']);
    expect(sent).toMatchObject({
      method: 'GET',
      path: '/api/v1/namespaces',
      query: { limit: '5' },
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers.authorization).toBeUndefined();
    expect(res.headers['audit-id']).toBe('a1');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 405 MethodNotAllowed to every write, as a Kubernetes Status', async () => {
    const before = upstream.requests.length;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await raw(`${proxy.url}/api/v1/namespaces/default/configmaps`, {
        method,
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET');
      expect(JSON.parse(res.body)).toMatchObject({
        kind: 'Status',
        code: 405,
        reason: 'MethodNotAllowed',
        message:
          `the kates proxy is read-only: ${method} /api/v1/namespaces/default/configmaps is refused; ` +
          'start it with allowWrites: true (--allow-writes) to allow writes',
      });
    }
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses other hosts (DNS rebinding), other sites, and exec into pods', async () => {
    const rebinding = await raw(`${proxy.url}/api/v1/secrets`, { headers: { host: 'evil.example:8001' } });
    expect(rebinding.status).toBe(403);
    expect(JSON.parse(rebinding.body).message).toContain('does not answer to host "evil.example"');
    const crossSite = await raw(`${proxy.url}/api/v1/secrets`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const fetchMeta = await raw(`${proxy.url}/api/v1/secrets`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchMeta.status).toBe(403);
    const exec = await raw(`${proxy.url}/api/v1/namespaces/default/pods/web/exec?command=sh`);
    expect(exec.status).toBe(403);
    expect(JSON.parse(exec.body).message).toContain('does not forward exec');
    const local = await raw(`${proxy.url}/api/v1/secrets`, {
      headers: { host: `localhost:${proxy.port}`, origin: `http://localhost:${proxy.port}` },
    });
    expect(local.status).toBe(200);
  });

  it('serves nothing but the API without a static folder', async () => {
    const res = await raw(`${proxy.url}/index.html`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).message).toBe(
      'the kates proxy serves /api, /apis and /version only (/index.html)',
    );
  });

  it('says which port is taken when it cannot listen', async () => {
    await expect(startKubeProxy({ transport: upstream.transport, port: proxy.port })).rejects.toThrow(
      `the kates proxy could not listen on 127.0.0.1:${proxy.port}: EADDRINUSE; pass another port`,
    );
  });
});
