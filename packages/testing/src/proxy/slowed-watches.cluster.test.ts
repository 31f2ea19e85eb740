import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractHttp, type WatchConnection, type WatchLine } from '../contract/http.js';
import { type TestTarget, testTarget } from '../test-target.js';
import { type SlowedWatches, startSlowedWatches } from './slowed-watches.js';

const ns = `slowed-${Date.now().toString(36)}`;
const configMaps = `/api/v1/namespaces/${ns}/configmaps`;
const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});
const names = (lines: readonly WatchLine[]) =>
  lines.filter((l) => l.type !== 'BOOKMARK').map((l) => `${l.type} ${l.object?.metadata?.name}`);

describe('slowed watches, a proxy that delays chosen watch events', () => {
  let target: TestTarget;
  let direct: ContractHttp;
  let slowed: SlowedWatches;
  let proxied: ContractHttp;
  const open: WatchConnection[] = [];

  /** A watch through the proxy from the namespace's current resourceVersion, with its start time. */
  const watch = async (query: Record<string, string> = {}) => {
    const list = await direct.get(configMaps);
    const w = await proxied.watch(configMaps, {
      resourceVersion: list.body.metadata.resourceVersion,
      ...query,
    });
    open.push(w);
    return w;
  };
  /** Milliseconds from now until `predicate` holds for the watch's lines. */
  const timeUntil = async (
    w: WatchConnection,
    predicate: (l: WatchLine[]) => boolean,
    timeoutMs = 10_000,
  ) => {
    const start = Date.now();
    await w.until(predicate, timeoutMs);
    return Date.now() - start;
  };
  const seen = (type: string, name: string) => (lines: WatchLine[]) =>
    lines.some((l) => l.type === type && l.object?.metadata?.name === name);

  beforeAll(async () => {
    target = await testTarget();
    direct = new ContractHttp(target.kubeconfigPath);
    await direct.post('/api/v1/namespaces', { metadata: { name: ns } });
    slowed = await startSlowedWatches({ target });
    proxied = new ContractHttp(slowed.kubeconfigPath);
  });
  afterAll(async () => {
    for (const w of open) w.close();
    await slowed?.stop();
    await direct?.delete(`/api/v1/namespaces/${ns}`);
    await proxied?.close();
    await direct?.close();
    await target?.stop();
  });

  it('relays requests that are not watches unchanged', async () => {
    slowed.setRules([{ delayMs: 5000 }]);
    const created = await proxied.post(configMaps, cm('relayed', { a: '1' }));
    expect(created.status).toBe(201);
    const read = await direct.get(`${configMaps}/relayed`);
    expect(read.body.data).toEqual({ a: '1' });
    const missing = await proxied.get(`${configMaps}/missing`);
    expect(missing.status).toBe(404);
    expect(missing.body.reason).toBe('NotFound');
  });

  it('holds the named object for delayMs, and the events behind it, in order', async () => {
    slowed.setRules([{ resource: 'configmaps', name: 'held', delayMs: 1500 }]);
    const w = await watch();
    const before = slowed.counters.slowed;
    await direct.post(configMaps, cm('held'));
    await direct.post(configMaps, cm('behind'));
    const waited = await timeUntil(w, seen('ADDED', 'behind'));
    expect(waited).toBeGreaterThanOrEqual(1300);
    expect(names(w.lines)).toEqual(['ADDED held', 'ADDED behind']);
    expect(slowed.counters.slowed - before).toBe(1);
  });

  it('sends events no rule names at once', async () => {
    slowed.setRules([{ resource: 'configmaps', name: 'someone-else', delayMs: 5000 }]);
    const w = await watch();
    await direct.post(configMaps, cm('quick'));
    expect(await timeUntil(w, seen('ADDED', 'quick'))).toBeLessThan(1000);
  });

  it('paces each slowed event after the one before, so that the lag grows with every event', async () => {
    slowed.setRules([{ resource: 'configmaps', name: 'paced', delayMs: 700 }]);
    const w = await watch();
    await direct.post(configMaps, cm('paced'));
    for (let i = 0; i < 2; i++)
      await direct.patch(`${configMaps}/paced`, 'application/merge-patch+json', { data: { i: `${i}` } });
    const waited = await timeUntil(
      w,
      (lines) => lines.filter((l) => l.object?.metadata?.name === 'paced').length === 3,
    );
    expect(waited).toBeGreaterThanOrEqual(3 * 700 - 200);
  });

  it('delays `lag` events by a constant time, however many come', async () => {
    slowed.setRules([{ resource: 'configmaps', name: 'lagging', delayMs: 700, pace: 'lag' }]);
    const w = await watch();
    await direct.post(configMaps, cm('lagging'));
    for (let i = 0; i < 2; i++)
      await direct.patch(`${configMaps}/lagging`, 'application/merge-patch+json', { data: { i: `${i}` } });
    const waited = await timeUntil(
      w,
      (lines) => lines.filter((l) => l.object?.metadata?.name === 'lagging').length === 3,
    );
    expect(waited).toBeGreaterThanOrEqual(500);
    expect(waited).toBeLessThan(2 * 700);
  });

  it('slows only the event types a rule names', async () => {
    slowed.setRules([{ resource: 'configmaps', name: 'typed', types: ['DELETED'], delayMs: 1500 }]);
    const w = await watch();
    await direct.post(configMaps, cm('typed'));
    expect(await timeUntil(w, seen('ADDED', 'typed'))).toBeLessThan(1000);
    await direct.delete(`${configMaps}/typed`);
    expect(await timeUntil(w, seen('DELETED', 'typed'))).toBeGreaterThanOrEqual(1300);
  });

  it('slows the initial events of a streaming list, which the real server would send gzipped', async () => {
    await direct.post(configMaps, cm('initial'));
    slowed.setRules([{ resource: 'configmaps', types: ['ADDED'], delayMs: 100 }]);
    const w = await proxied.watch(configMaps, {
      sendInitialEvents: 'true',
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: 'true',
    });
    open.push(w);
    const waited = await timeUntil(w, (l) =>
      l.some((x) => x.object?.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true'),
    );
    const initial = names(w.lines);
    expect(initial).toContain('ADDED initial');
    // Each initial ADDED took 100 ms; the bookmark waited behind them.
    expect(waited).toBeGreaterThanOrEqual(initial.length * 100 - 150);
  });

  it('ends the stream after the held events when the server ends it', async () => {
    slowed.setRules([{ resource: 'configmaps', name: 'last', delayMs: 2500 }]);
    const w = await watch({ timeoutSeconds: '1' });
    await direct.post(configMaps, cm('last'));
    await w.ended;
    expect(names(w.lines)).toEqual(['ADDED last']);
    await slowed.drained();
    expect(slowed.held).toBe(0);
  });

  it('refuses a kubeconfig whose user authenticates with a client certificate, naming it', async () => {
    const path = join(tmpdir(), `kates-cert-user-${ns}.yaml`);
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
        'users: [{ name: admin, user: { client-certificate-data: AAAA, client-key-data: AAAA } }]',
        'contexts: [{ name: x, context: { cluster: c, user: admin } }]',
        'current-context: x',
      ].join('\n'),
    );
    await expect(startSlowedWatches({ target: path })).rejects.toThrow(
      /the user "admin" of kubeconfig .* authenticates with a client certificate/,
    );
  });
});
