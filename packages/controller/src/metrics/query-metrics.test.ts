import { createClient, type QueryStatus } from '@kates/core';
import { startFakeApiServer } from '@kates/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { seriesOf, seriesValue } from './__fixtures__/read.js';
import { QueryMetrics } from './query-metrics.js';

function status(name: string, phase: QueryStatus['phase'], extra: Partial<QueryStatus> = {}): QueryStatus {
  return {
    name,
    kind: 'cm',
    phase,
    synced: phase === 'synced',
    resourceVersion: '1',
    attempt: 0,
    count: 0,
    counters: { events: 0, bookmarks: 0, relists: 0, reconnects: 0, poisonLines: 0 },
    ...extra,
  };
}

describe('the query metrics', () => {
  it('report each query of an accumulator from the store: phase, objects, watch counters', async () => {
    const server = await startFakeApiServer();
    const client = createClient({ kubeconfig: server.kubeconfigPath });
    try {
      for (const name of ['a', 'b', 'c'])
        await client.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: 'default' },
        });
      const acc = client.watch(
        { name: 'configmaps', kind: 'cm', namespace: 'default' },
        { name: 'services', kind: 'svc' },
      );
      const registry = new Registry();
      QueryMetrics.of(registry).add('router', acc);
      for await (const _ of acc) break;
      const labels = { accumulator: 'router', query: 'configmaps' };
      expect(await seriesValue(registry, 'kates_query_objects', labels)).toBe(3);
      expect(await seriesValue(registry, 'kates_query_synced', labels)).toBe(1);
      expect(await seriesValue(registry, 'kates_query_phase', { ...labels, phase: 'synced' })).toBe(1);
      expect(await seriesValue(registry, 'kates_query_phase', { ...labels, phase: 'listing' })).toBe(0);
      expect(await seriesValue(registry, 'kates_query_failed_attempts', labels)).toBe(0);
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'd', namespace: 'default' },
      });
      for (
        let i = 0;
        i < 100 && ((await seriesValue(registry, 'kates_query_watch_events_total', labels)) ?? 0) < 1;
        i++
      )
        await new Promise((r) => setTimeout(r, 20));
      expect(await seriesValue(registry, 'kates_query_watch_events_total', labels)).toBeGreaterThanOrEqual(1);
      expect(await seriesValue(registry, 'kates_query_objects', labels)).toBe(4);
      for (const name of [
        'kates_query_relists_total',
        'kates_query_watch_restarts_total',
        'kates_query_poison_lines_total',
        'kates_query_watch_bookmarks_total',
      ])
        expect(await seriesValue(registry, name, labels)).toBeTypeOf('number');
      expect(await seriesOf(registry, 'kates_query_synced')).toEqual([
        '{accumulator=router,query=configmaps} 1',
        '{accumulator=router,query=services} 1',
      ]);
      acc.close();
      // A closed accumulator's series go, and its name is free again.
      expect(await seriesOf(registry, 'kates_query_objects')).toEqual([]);
      QueryMetrics.of(registry).add('router', { status: () => ({ q: status('q', 'listing') }) });
    } finally {
      client.close();
      await server.stop();
    }
  });

  it('takes the phase label from a fixed list, one series per phase, whatever the data', async () => {
    const registry = new Registry();
    const metrics = QueryMetrics.of(registry);
    metrics.add('one', { status: () => ({ q: status('q', 'backing-off', { attempt: 4 }) }) });
    const phases = await seriesOf(registry, 'kates_query_phase');
    expect(phases).toHaveLength(8);
    expect(phases).toContain('{accumulator=one,phase=backing-off,query=q} 1');
    expect(await seriesValue(registry, 'kates_query_failed_attempts', { accumulator: 'one' })).toBe(4);
  });

  it('refuses an accumulator name that is taken or would not make a bounded label', () => {
    const metrics = QueryMetrics.of(new Registry());
    const source = { status: () => ({}) };
    metrics.add('main', source);
    expect(() => metrics.add('main', source)).toThrow(/an accumulator named "main" already reports metrics/);
    expect(() => metrics.add('ns/default/pod-123 ', source)).toThrow(/accumulator name .* is not valid/);
  });
});
