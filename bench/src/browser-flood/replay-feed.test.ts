import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubernetesObject } from '@kates/core';
import { afterEach, describe, expect, it } from 'vitest';
import { podsRequest, REPLAY_ANNOTATION, ReplayFeed } from './replay-feed.js';

const NS = 'flood';

function pods(n: number, payloadBytes = 100): KubernetesObject[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `pod-${i}`,
      namespace: NS,
      uid: `uid-${i}`,
      resourceVersion: '7',
      annotations: { 'bench.kates.io/payload': 'x'.repeat(payloadBytes) },
    },
    spec: { containers: [{ name: 'app', image: 'app:1' }] },
  }));
}

type Event = { type: string; object: KubernetesObject & { code?: number; reason?: string } };

let server: Server | undefined;
afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** Serves `feed` on loopback; returns its base URL. */
async function serve(feed: ReplayFeed): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const what = podsRequest(req.method ?? 'GET', url, NS);
    if (what?.type === 'list') feed.serveList(res);
    else if (what?.type === 'watch') feed.serveWatch(req, res, url.searchParams);
    else if (what?.type === 'get') feed.serveGet(res, what.name);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const open = (url: string) =>
  new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));

async function json(url: string): Promise<unknown> {
  const res = await open(url);
  let text = '';
  for await (const c of res) text += c;
  return JSON.parse(text);
}

/** Reads watch events from `res` until `until` says stop (or the stream ends). */
async function events(res: IncomingMessage, until: (seen: Event[]) => boolean): Promise<Event[]> {
  const seen: Event[] = [];
  let buffered = '';
  for await (const chunk of res) {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      seen.push(JSON.parse(buffered.slice(0, nl)) as Event);
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
    if (until(seen)) {
      res.destroy();
      break;
    }
  }
  return seen;
}

describe('the replay feed (a synthetic upstream for the flood)', () => {
  it('lists every pod at its newest version, each with the flood annotation set to it', async () => {
    const feed = new ReplayFeed(pods(5), { baseResourceVersion: 100 });
    feed.flood(3);
    const base = await serve(feed);
    const list = (await json(`${base}/api/v1/pods?limit=2`)) as {
      metadata: { resourceVersion: string };
      items: KubernetesObject[];
    };
    expect(list.metadata.resourceVersion).toBe('103');
    expect(list.items.map((p) => [p.metadata?.name, p.metadata?.resourceVersion])).toEqual(feed.state());
    for (const p of list.items)
      expect(p.metadata?.annotations?.[REPLAY_ANNOTATION]).toBe(p.metadata?.resourceVersion);
    expect(list.items[0]?.metadata?.annotations?.['bench.kates.io/payload']).toHaveLength(100);
    const one = (await json(`${base}/api/v1/namespaces/${NS}/pods/pod-1`)) as KubernetesObject;
    expect(one.metadata?.resourceVersion).toBe(feed.state()[1]?.[1]);
  });

  it('sends a watch from a resourceVersion every later event, MODIFIED, with increasing versions, and ends equal to a fresh LIST', async () => {
    const feed = new ReplayFeed(pods(4), { baseResourceVersion: 100 });
    const base = await serve(feed);
    feed.flood(2);
    // A LIST, then a watch from its version, as a reflector does.
    const listed = new Map(feed.state());
    const res = await open(`${base}/api/v1/pods?watch=true&resourceVersion=${feed.resourceVersion}`);
    feed.flood(5);
    const marker = feed.marker();
    const seen = await events(
      res,
      (s) => s.at(-1)?.object.metadata?.resourceVersion === marker.resourceVersion,
    );
    expect(seen.map((e) => e.type)).toEqual(Array(6).fill('MODIFIED'));
    expect(seen.map((e) => Number(e.object.metadata?.resourceVersion))).toEqual([
      103, 104, 105, 106, 107, 108,
    ]);
    // Pod 0 is the marker's alone; the flood goes round the others.
    expect(seen.at(-1)?.object.metadata?.name).toBe('pod-0');
    expect(seen.slice(0, -1).every((e) => e.object.metadata?.name !== 'pod-0')).toBe(true);
    for (const e of seen) {
      expect(e.object.metadata?.annotations?.[REPLAY_ANNOTATION]).toBe(e.object.metadata?.resourceVersion);
      listed.set(e.object.metadata?.name ?? '', e.object.metadata?.resourceVersion ?? '');
    }
    expect(listed).toEqual(new Map(feed.state()));
  });

  it('answers a watch from a version older than its ring with 410 Expired, as kube-apiserver does', async () => {
    const feed = new ReplayFeed(pods(3), { baseResourceVersion: 100, historyEvents: 4 });
    feed.flood(10);
    const base = await serve(feed);
    const seen = await events(await open(`${base}/api/v1/pods?watch=1&resourceVersion=101`), () => false);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.type).toBe('ERROR');
    expect(seen[0]?.object.code).toBe(410);
    expect(seen[0]?.object.reason).toBe('Expired');
    // From within the ring: the events after it.
    const ok = await events(
      await open(`${base}/api/v1/pods?watch=1&resourceVersion=107`),
      (s) => s.length === 3,
    );
    expect(ok.map((e) => e.object.metadata?.resourceVersion)).toEqual(['108', '109', '110']);
  });

  it('starts a watch with sendInitialEvents with every pod ADDED, then the initial-events-end bookmark', async () => {
    const feed = new ReplayFeed(pods(3), { baseResourceVersion: 100 });
    feed.flood(1);
    const base = await serve(feed);
    const res = await open(
      `${base}/api/v1/namespaces/${NS}/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`,
    );
    // Once the bookmark is in, one more event: the watch goes on.
    const seen = await events(res, (s) => {
      if (s.length === 4) feed.flood(1);
      return s.length === 5;
    });
    expect(seen.slice(0, 3).map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
    expect(seen[3]?.type).toBe('BOOKMARK');
    expect(seen[3]?.object.metadata?.resourceVersion).toBe('101');
    expect(seen[3]?.object.metadata?.annotations?.['k8s.io/initial-events-end']).toBe('true');
    expect(seen[4]?.object.metadata?.resourceVersion).toBe('102');
  });

  it('holds no more than the socket takes for a reader that does not read, and ends it with 410 once it is behind the ring', async () => {
    // 40 KB pods, a ring of 20 events; the reader reads nothing while 400 events (16 MB) are made.
    const feed = new ReplayFeed(pods(5, 40_000), { baseResourceVersion: 100, historyEvents: 20 });
    const base = await serve(feed);
    const res = await open(`${base}/api/v1/pods?watch=true&resourceVersion=100`);
    res.pause();
    for (let i = 0; i < 40; i++) {
      feed.flood(10);
      await new Promise((r) => setTimeout(r, 5));
    }
    // Written: what the socket took before it pushed back, not the 16 MB made.
    expect(feed.statsNow().watchBytes).toBeLessThan(12 * 2 ** 20);
    expect(feed.statsNow().eventBytes).toBeGreaterThan(15 * 2 ** 20);
    const seen = await events(res, () => false);
    expect(seen.at(-1)?.type).toBe('ERROR');
    expect(seen.at(-1)?.object.code).toBe(410);
    expect(feed.statsNow()).toMatchObject({ expired: 1, open: 0 });
    // Every event before it, in order, without a gap.
    const versions = seen.slice(0, -1).map((e) => Number(e.object.metadata?.resourceVersion));
    expect(versions).toEqual(versions.map((_, i) => 101 + i));
  });

  it('knows the requests of its pods from the others', () => {
    const u = (p: string) => new URL(p, 'http://x');
    expect(podsRequest('GET', u('/api/v1/pods?limit=500'), NS)).toEqual({ type: 'list' });
    expect(podsRequest('GET', u(`/api/v1/namespaces/${NS}/pods?watch=true`), NS)).toEqual({ type: 'watch' });
    expect(podsRequest('GET', u(`/api/v1/namespaces/${NS}/pods/pod-1`), NS)).toEqual({
      type: 'get',
      name: 'pod-1',
    });
    expect(podsRequest('PATCH', u(`/api/v1/namespaces/${NS}/pods/pod-1`), NS)).toEqual({ type: 'refused' });
    expect(podsRequest('GET', u('/api/v1/namespaces/other/pods'), NS)).toBeUndefined();
    expect(podsRequest('GET', u('/api/v1/nodes'), NS)).toBeUndefined();
    expect(podsRequest('GET', u(`/api/v1/namespaces/${NS}/pods/pod-1/log`), NS)).toBeUndefined();
  });
});
