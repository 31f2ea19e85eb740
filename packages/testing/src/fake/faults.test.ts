import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractHttp } from '../contract/http.js';
import { type FakeApiServer, startFakeApiServer } from './server.js';

const CMS = '/api/v1/namespaces/default/configmaps';

describe('fault injection', () => {
  let server: FakeApiServer;
  let http: ContractHttp;
  let n = 0;
  const name = () => `f${++n}`;

  beforeAll(async () => {
    server = await startFakeApiServer();
    http = new ContractHttp(server.kubeconfigPath);
  });
  afterEach(() => server.faults.reset());
  afterAll(async () => {
    await http.close();
    await server.stop();
  });

  it('answers the next requests with 429 and Retry-After, then serves again', async () => {
    server.faults.failNext({ status: 429, times: 2, retryAfterSeconds: 3, verb: 'list' });
    const first = await http.get(CMS);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.body).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 3 },
      code: 429,
    });
    expect((await http.get(`${CMS}/x`)).status).toBe(404);
    expect((await http.get(CMS)).status).toBe(429);
    expect((await http.get(CMS)).status).toBe(200);
    expect(server.faults.counters.failedRequests).toBe(2);
  });

  it('fails only requests on a matching path, with 500 or 503', async () => {
    server.faults.failNext({ status: 500, path: '/apis/apps' });
    server.faults.failNext({ status: 503, path: /configmaps$/, retryAfterSeconds: 1 });
    expect((await http.get('/api/v1/namespaces')).status).toBe(200);
    const apps = await http.get('/apis/apps/v1/deployments');
    expect(apps.status).toBe(500);
    expect(apps.body.reason).toBe('InternalError');
    const cms = await http.get(CMS);
    expect(cms.status).toBe(503);
    expect(cms.body.reason).toBe('ServiceUnavailable');
    expect(cms.headers.get('retry-after')).toBe('1');
  });

  it('fails a seeded-random share of requests, the same ones under the same seed', async () => {
    const pattern = async () => {
      const s = await startFakeApiServer({ randomSeed: 7 });
      const h = new ContractHttp(s.kubeconfigPath);
      s.faults.failRandomly({ status: 503, rate: 0.5, verb: 'get' });
      const codes = [];
      for (let i = 0; i < 20; i++) codes.push((await h.get('/api/v1/namespaces/default')).status);
      await h.close();
      await s.stop();
      return codes;
    };
    const a = await pattern();
    expect(a).toEqual(await pattern());
    expect(a.filter((c) => c === 503).length).toBeGreaterThan(3);
    expect(a.filter((c) => c === 200).length).toBeGreaterThan(3);
  });

  it('drops open watches without a clean end', async () => {
    const watch = await http.watch(CMS, { resourceVersion: String(server.resourceVersion) });
    const other = await http.watch('/api/v1/namespaces', { resourceVersion: String(server.resourceVersion) });
    expect(server.faults.dropWatches({ resource: 'configmaps' })).toBe(1);
    await watch.ended;
    expect(server.faults.counters.droppedWatches).toBe(1);
    await http.post('/api/v1/namespaces', { metadata: { name: name() } });
    await other.until((l) => l.length === 1);
    other.close();
  });

  it('stalls watches, then delivers what was held back in order', async () => {
    const watch = await http.watch(CMS, { resourceVersion: String(server.resourceVersion) });
    server.faults.stallWatches(400);
    const started = Date.now();
    const names = [name(), name(), name()];
    for (const x of names) await http.post(CMS, { metadata: { name: x } });
    await new Promise((r) => setTimeout(r, 200));
    expect(watch.lines).toEqual([]);
    await watch.until((l) => l.length === 3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(watch.lines.map((l) => l.object.metadata.name)).toEqual(names);
    watch.close();
  });

  it('delays events, keeping their order, and counts them', async () => {
    const watch = await http.watch(CMS, { resourceVersion: String(server.resourceVersion) });
    server.faults.delayEvents(300);
    const sent = Date.now();
    const [a, b] = [name(), name()];
    await http.post(CMS, { metadata: { name: a } });
    await http.post(CMS, { metadata: { name: b } });
    await watch.until((l) => l.length === 2);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(280);
    expect(watch.lines.map((l) => l.object.metadata.name)).toEqual([a, b]);
    expect(server.faults.counters.delayedEvents).toBe(2);
    watch.close();
  });

  it('injects an unparsable line into open watches, between real events', async () => {
    const watch = await http.watch(CMS, { resourceVersion: String(server.resourceVersion) });
    await http.post(CMS, { metadata: { name: name() } });
    await watch.until((l) => l.length === 1);
    expect(server.faults.injectPoisonLine()).toBe(1);
    await http.post(CMS, { metadata: { name: name() } });
    await watch.until((l) => l.length === 3);
    expect(watch.lines.map((l) => l.type)).toEqual(['ADDED', 'UNPARSABLE', 'ADDED']);
    expect(server.faults.counters.poisonLines).toBe(1);
    watch.close();
  });

  it('slows every list page', async () => {
    server.faults.slowListPages(250);
    const started = Date.now();
    await http.get(`${CMS}?limit=1`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(server.faults.counters.slowedListPages).toBe(1);
  });

  it('compacts history: a watch from before answers ERROR 410 Expired', async () => {
    const before = String(server.resourceVersion);
    await http.post(CMS, { metadata: { name: name() } });
    server.faults.compact();
    const watch = await http.watch(CMS, { resourceVersion: before });
    await watch.ended;
    expect(watch.lines.map((l) => [l.type, l.object.code, l.object.reason])).toEqual([
      ['ERROR', 410, 'Expired'],
    ]);
    expect(server.faults.counters.compactions).toBe(1);
  });

  it('forgets every fault on reset', async () => {
    server.faults.failNext({ status: 429, times: 5 });
    server.faults.delayEvents(1000);
    server.faults.reset();
    expect((await http.get(CMS)).status).toBe(200);
    expect(server.faults.counters).toEqual({
      failedRequests: 0,
      droppedWatches: 0,
      stalledWatches: 0,
      delayedEvents: 0,
      poisonLines: 0,
      slowedListPages: 0,
      compactions: 0,
    });
  });
});

describe('the event history window', () => {
  it('answers 410 to a watch from a version that fell out of historySize', async () => {
    const server = await startFakeApiServer({ historySize: 5 });
    const http = new ContractHttp(server.kubeconfigPath);
    const start = String(server.resourceVersion);
    for (let i = 0; i < 3; i++) await http.post(CMS, { metadata: { name: `h${i}` } });
    const within = await http.watch(CMS, { resourceVersion: start });
    await within.until((l) => l.length === 3);
    within.close();
    for (let i = 3; i < 10; i++) await http.post(CMS, { metadata: { name: `h${i}` } });
    const expired = await http.watch(CMS, { resourceVersion: start });
    await expired.ended;
    expect(expired.lines[0]?.object).toMatchObject({ code: 410, reason: 'Expired' });
    expect(expired.lines[0]?.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    await http.close();
    await server.stop();
  });
});
