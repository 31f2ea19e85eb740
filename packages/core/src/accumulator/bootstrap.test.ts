import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pod } from '../store/__fixtures__/store.js';
import { forbidden, service, TestHost } from './__fixtures__/host.js';
import { createAccumulator } from './accumulator.js';

/** Whether `p` has settled by now (after the microtasks already queued). */
async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe('bootstrap', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('signals nothing until every query has completed its initial list, an empty list included', async () => {
    const host = new TestHost();
    const acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods' },
      { name: 'services', kind: 'svc' },
    ]);
    await host.settled();
    const changed = acc.changed();
    host.list(acc, 'pods', '10', [pod('a', { rv: '5' })]);
    host.events(acc, 'pods', ['ADDED', pod('b', { rv: '11' })]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await isSettled(changed)).toBe(false);
    expect(acc.ready).toBe(false);
    host.list(acc, 'services', '10', []);
    expect(await isSettled(changed)).toBe(true);
    expect(acc.ready).toBe(true);
    const snap: Record<string, unknown> = {};
    expect(acc.update(snap)).toBe(true);
    expect((snap.pods as unknown[]).length).toBe(2);
    expect(snap.services).toEqual([]);
    acc.close();
  });

  it('signals once every query is synced even when every query matches nothing', async () => {
    const host = new TestHost();
    const acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods', labelSelector: 'app=none' },
      { name: 'services', kind: 'svc', namespace: 'empty' },
    ]);
    await host.settled();
    host.list(acc, 'pods', '3');
    host.list(acc, 'services', '3');
    expect(await isSettled(acc.changed())).toBe(true);
    const snap = {};
    expect(acc.update(snap)).toBe(true);
    expect(snap).toEqual({ pods: [], services: [] });
    acc.close();
  });

  it('does not wait for a query whose kind is not served, and reports it', async () => {
    const host = new TestHost();
    const acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods' },
      { name: 'mappings', kind: 'Mapping' },
    ]);
    await host.settled();
    host.list(acc, 'pods', '3', [pod('a', { rv: '3' })]);
    expect(await isSettled(acc.changed())).toBe(true);
    expect(acc.status().mappings).toMatchObject({ phase: 'unserved', synced: false });
    expect(acc.status().mappings?.error?.message).toBe(
      'query "mappings": kind "Mapping" is not served by this cluster; waiting for it to appear',
    );
    const snap: Record<string, unknown> = {};
    acc.update(snap);
    expect(snap.mappings).toEqual([]);
    acc.close();
  });

  it('waits for a query whose kind is not served when asked to, until it appears', async () => {
    const host = new TestHost();
    host.kinds.delete('svc');
    const acc = createAccumulator(
      host,
      [
        { name: 'pods', kind: 'pods' },
        { name: 'mappings', kind: 'svc' },
      ],
      { waitForUnserved: true, rediscoverEvery: 1000 },
    );
    await host.settled();
    host.list(acc, 'pods', '3', [pod('a', { rv: '3' })]);
    const changed = acc.changed();
    expect(await isSettled(changed)).toBe(false);
    expect(acc.status().mappings?.phase).toBe('unserved');
    // The kind appears (a CRD is installed): the next lookup binds the query.
    host.kinds.set('svc', await host.resolve('services'));
    await vi.advanceTimersByTimeAsync(1000);
    await host.settled();
    expect(acc.status().mappings?.phase).toBe('listing');
    expect(await isSettled(changed)).toBe(false);
    host.list(acc, 'mappings', '4', [service('s', '4')]);
    expect(await isSettled(changed)).toBe(true);
    acc.close();
  });

  it('does not wait for a forbidden query unless asked to', async () => {
    const host = new TestHost();
    host.failures.set('svc', forbidden('services is forbidden'));
    const acc = createAccumulator(host, [
      { name: 'pods', kind: 'pods' },
      { name: 'services', kind: 'svc' },
    ]);
    await host.settled();
    host.list(acc, 'pods', '3');
    expect(await isSettled(acc.changed())).toBe(true);
    expect(acc.status().services).toMatchObject({ phase: 'forbidden', error: { code: 403 } });
    acc.close();
  });

  it('waits for a query whose kind failed to resolve for another reason, and retries it', async () => {
    const host = new TestHost();
    host.failures.set('svc', new Error('discovery: connection refused'));
    const acc = createAccumulator(
      host,
      [
        { name: 'pods', kind: 'pods' },
        { name: 'services', kind: 'svc' },
      ],
      { rediscoverEvery: 500 },
    );
    await host.settled();
    host.list(acc, 'pods', '3');
    const changed = acc.changed();
    expect(await isSettled(changed)).toBe(false);
    expect(acc.status().services).toMatchObject({ phase: 'error' });
    expect(acc.status().services?.error?.message).toContain(
      'query "services": resolving kind "svc" failed: discovery: connection refused',
    );
    host.failures.delete('svc');
    await vi.advanceTimersByTimeAsync(500);
    await host.settled();
    host.list(acc, 'services', '3');
    expect(await isSettled(changed)).toBe(true);
    acc.close();
  });
});
