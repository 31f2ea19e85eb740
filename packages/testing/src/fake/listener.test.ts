import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type FakeApiServer, startFakeApiServer } from './server.js';

describe('the fake API server over https and plain http', () => {
  let server: FakeApiServer;
  let trusting: Agent;

  beforeAll(async () => {
    server = await startFakeApiServer();
    trusting = new Agent({ connect: { ca: server.certificateAuthority } });
  });
  afterAll(async () => {
    await trusting.close();
    await server.stop();
  });

  const auth = () => ({ authorization: `Bearer ${server.token}` });

  it('answers https with a certificate its own CA signed, and the same over plain http', async () => {
    const secure = await fetch(`${server.httpsUrl}/api/v1/namespaces`, {
      headers: auth(),
      dispatcher: trusting,
    });
    expect(secure.status).toBe(200);
    const plain = await fetch(`${server.url}/api/v1/namespaces`, { headers: auth() });
    expect(plain.status).toBe(200);
    expect(await secure.json()).toEqual(await plain.json());
  });

  it('is refused by a client that does not trust its CA', async () => {
    await expect(fetch(`${server.httpsUrl}/version`, { headers: auth() })).rejects.toThrow();
  });

  it('streams a watch over https until the server stops', async () => {
    const other = await startFakeApiServer();
    const agent = new Agent({ connect: { ca: other.certificateAuthority } });
    try {
      const res = await fetch(`${other.httpsUrl}/api/v1/namespaces/default/configmaps?watch=1`, {
        headers: { authorization: `Bearer ${other.token}` },
        dispatcher: agent,
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const created = await fetch(`${other.url}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name: 'seen-over-tls' } }),
      });
      expect(created.status).toBe(201);
      const { value } = await reader.read();
      expect(JSON.parse(new TextDecoder().decode(value))).toMatchObject({
        type: 'ADDED',
        object: { metadata: { name: 'seen-over-tls' } },
      });
      await other.stop();
      // stop() cuts open watches rather than waiting for them.
      await expect(
        reader.read().then(
          (r) => r.done,
          () => true,
        ),
      ).resolves.toBe(true);
    } finally {
      await agent.close();
      await other.stop();
    }
  });

  it('writes an http kubeconfig with insecure-skip-tls-verify when asked for tls: false', async () => {
    const plain = await startFakeApiServer({ tls: false });
    try {
      const config = parseYaml(readFileSync(plain.kubeconfigPath, 'utf8'));
      expect(config.clusters[0].cluster).toEqual({ server: plain.url, 'insecure-skip-tls-verify': true });
    } finally {
      await plain.stop();
    }
  });
});
