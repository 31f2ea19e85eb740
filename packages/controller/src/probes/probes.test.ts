import type { QueryStatus } from '@kates/core';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { syncedCheck, type WatchedSource, watchHealthCheck } from './checks.js';
import { Probes } from './probes.js';
import { type ProbeServer, startProbeServer } from './server.js';

function source(ready: boolean, statuses: Partial<QueryStatus>[]): WatchedSource {
  return {
    ready,
    status: () =>
      Object.fromEntries(
        statuses.map((s) => [
          s.name,
          {
            synced: false,
            phase: 'listing',
            attempt: 0,
            kind: 'cm',
            count: 0,
            resourceVersion: '',
            ...s,
          } as QueryStatus,
        ]),
      ),
  };
}

describe('the probes', () => {
  it('pass when every check passes and name the ones that fail, with their reason', async () => {
    const probes = new Probes()
      .addReadyCheck('one', () => {})
      .addReadyCheck('two', async () => {
        throw new Error('not yet');
      });
    const report = await probes.run('readyz');
    expect(report).toEqual({
      ok: false,
      checks: [
        { name: 'one', ok: true },
        { name: 'two', ok: false, message: 'not yet' },
      ],
    });
    expect((await probes.run('readyz', { exclude: ['two'] }))?.ok).toBe(true);
    expect((await probes.run('readyz', { only: 'one' }))?.checks).toHaveLength(1);
    expect(await probes.run('readyz', { only: 'three' })).toBeUndefined();
    expect((await probes.run('healthz'))?.ok).toBe(true);
  });

  it('fail a check that does not answer in time', async () => {
    const probes = new Probes(20).addHealthCheck('stuck', () => new Promise(() => {}));
    expect((await probes.run('healthz'))?.checks[0]).toEqual({
      name: 'stuck',
      ok: false,
      message: 'did not answer within 20 ms',
    });
  });

  it('refuse a check name that cannot be a path, and a name used twice', () => {
    const probes = new Probes().addHealthCheck('ping', () => {});
    expect(() => probes.addHealthCheck('ping', () => {})).toThrow(/healthz already has a check named "ping"/);
    expect(() => probes.addReadyCheck('Has Spaces', () => {})).toThrow(/served as \/readyz\/<name>/);
  });

  it('are ready once every accumulator has listed, naming the queries still listing or forbidden', async () => {
    const sources = new Map<string, WatchedSource>([
      ['router', source(false, [{ name: 'services', synced: true, phase: 'synced' }, { name: 'mappings' }])],
      ['other', source(true, [{ name: 'nodes', synced: true, phase: 'synced' }])],
    ]);
    const check = syncedCheck(() => sources.entries());
    expect(check).toThrow('waiting for the first list of accumulator "router": mappings (listing)');
    sources.set('router', source(true, []));
    expect(check).not.toThrow();
    sources.set('router', source(true, [{ name: 'secrets', phase: 'forbidden' }]));
    expect(check).toThrow('forbidden to list accumulator "router" query "secrets" (check its RBAC)');
  });

  it('are unhealthy once a watch has failed without a break for longer than the threshold', () => {
    const clock = new FakeClock();
    let phase: QueryStatus['phase'] = 'backing-off';
    const sources = () =>
      [
        [
          'router',
          source(true, [
            { name: 'mappings', phase, attempt: 7, error: { message: 'connection refused', at: '' } },
            { name: 'forbidden', phase: 'forbidden' },
          ]),
        ] as const,
      ].values();
    const check = watchHealthCheck(sources, { failingForMs: 60_000, clock });
    expect(check).not.toThrow();
    clock.advance(59_999);
    expect(check).not.toThrow();
    clock.advance(1);
    expect(check).toThrow(
      'accumulator "router" query "mappings" has been failing for 60 s (7 attempts): connection refused',
    );
    // A break resets the count.
    phase = 'synced';
    expect(check).not.toThrow();
    phase = 'error';
    clock.advance(60_000);
    expect(check).not.toThrow();
  });
});

describe('the metrics and probe server', () => {
  let server: ProbeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start() {
    const registry = new Registry();
    registry.setDefaultLabels({});
    const probes = new Probes()
      .addHealthCheck('ping', () => {})
      .addReadyCheck('synced', () => {
        throw new Error('waiting for mappings');
      });
    server = await startProbeServer({ registry, probes, port: 0 });
    return server;
  }

  it('listens on loopback by default', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves /metrics in the Prometheus text format', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('answers /healthz 200 ok, and /readyz 500 naming the failing check, with its reason when verbose', async () => {
    const s = await start();
    const health = await fetch(`${s.url}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok']);
    const live = await fetch(`${s.url}/livez`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${s.url}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([
      500,
      '[-]synced failed: reason withheld\nreadyz check failed\n',
    ]);
    const verbose = await fetch(`${s.url}/readyz?verbose`);
    expect(await verbose.text()).toBe('[-]synced failed: waiting for mappings\nreadyz check failed\n');
    const excluded = await fetch(`${s.url}/readyz?exclude=synced`);
    expect(excluded.status).toBe(200);
    const one = await fetch(`${s.url}/healthz/ping`);
    expect([one.status, await one.text()]).toEqual([200, '[+]ping ok\nhealthz check passed\n']);
    expect((await fetch(`${s.url}/healthz/nope`)).status).toBe(404);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/`)).status).toBe(404);
    const post = await fetch(`${s.url}/metrics`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('says where it could not listen', async () => {
    const s = await start();
    await expect(startProbeServer({ port: s.port })).rejects.toThrow(
      `metrics and probe server: cannot listen on 127.0.0.1:${s.port}`,
    );
  });
});
