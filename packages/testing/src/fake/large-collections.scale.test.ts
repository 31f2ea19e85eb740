import type { KubernetesObject } from '@kates/core';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from './server.js';

const COUNT = 100_000;

function configMaps(): KubernetesObject[] {
  return Array.from({ length: COUNT }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `cm-${String(i).padStart(6, '0')}`,
      namespace: `ns-${i % 10}`,
      labels: { shard: String(i % 4) },
    },
    data: { index: String(i), payload: 'x'.repeat(200) },
  }));
}

// What a large collection needs of the server (streamed, paged, selected lists; initial events).
// Times are printed for the reader, never asserted: speed goals live in bench/.
describe('the fake API server with 100k ConfigMaps', () => {
  let server: FakeApiServer;
  let seedMs = 0;
  const agent = new Agent();
  const get = (path: string) =>
    fetch(`${server.url}${path}`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${server.token}` },
    });

  beforeAll(async () => {
    const seed = configMaps();
    const namespaces = Array.from({ length: 10 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `ns-${i}` },
    }));
    const started = performance.now();
    server = await startFakeApiServer({ seed: [...namespaces, ...seed] });
    seedMs = performance.now() - started;
    console.log(`seeded ${COUNT} ConfigMaps in ${seedMs.toFixed(0)} ms`);
  }, 300_000);
  afterAll(async () => {
    await agent.close();
    await server?.stop();
  });

  it('streams a LIST of all of them without limit, in chunks', async () => {
    const started = performance.now();
    const res = await get('/api/v1/configmaps');
    let bytes = 0;
    let chunks = 0;
    let tail = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      chunks++;
      tail = (tail + Buffer.from(chunk).toString('utf8')).slice(-200);
    }
    const ms = performance.now() - started;
    console.log(
      `LIST ${COUNT} ConfigMaps (no limit): ${ms.toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB in ${chunks} chunks`,
    );
    expect(res.status).toBe(200);
    expect(chunks).toBeGreaterThan(10);
    // The whole list, ending as kube-apiserver's JSON answers do: with a newline.
    expect(tail.endsWith(']}\n')).toBe(true);
    expect(bytes).toBeGreaterThan(COUNT * 300);
    // Again, with every object's JSON already cached.
    const again = performance.now();
    await (await get('/api/v1/configmaps')).arrayBuffer();
    console.log(`LIST ${COUNT} ConfigMaps again (JSON cached): ${(performance.now() - again).toFixed(0)} ms`);
  }, 120_000);

  it('pages through all of them with limit=500 and continue', async () => {
    const started = performance.now();
    let token: string | undefined;
    let seen = 0;
    let pages = 0;
    do {
      const res = await get(
        `/api/v1/configmaps?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      const body = (await res.json()) as { items: unknown[]; metadata: { continue?: string } };
      seen += body.items.length;
      pages++;
      token = body.metadata.continue;
    } while (token);
    const ms = performance.now() - started;
    console.log(`LIST ${COUNT} ConfigMaps in ${pages} pages of 500: ${ms.toFixed(0)} ms`);
    expect(seen).toBe(COUNT);
  }, 120_000);

  it('lists one namespace with a label selector', async () => {
    const started = performance.now();
    const res = await get('/api/v1/namespaces/ns-3/configmaps?labelSelector=shard%3D3');
    const body = (await res.json()) as { items: unknown[] };
    const ms = performance.now() - started;
    console.log(`LIST one namespace with a selector (5000 of ${COUNT}): ${ms.toFixed(0)} ms`);
    expect(body.items).toHaveLength(5000);
  }, 60_000);

  it('sends all of them as initial watch events, then the bookmark', async () => {
    const started = performance.now();
    const res = await get(
      '/api/v1/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
    );
    const decoder = new TextDecoder();
    let lines = 0;
    let buffered = '';
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines += parts.length;
      if (parts.some((p) => p.includes('"BOOKMARK"'))) break;
    }
    await reader.cancel();
    const ms = performance.now() - started;
    console.log(`WATCH with ${COUNT} initial events and the bookmark: ${ms.toFixed(0)} ms`);
    expect(lines).toBe(COUNT + 1);
  }, 120_000);
});
