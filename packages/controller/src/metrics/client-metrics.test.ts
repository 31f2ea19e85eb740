import { Client, createClient, isAlreadyExists } from '@kates/core';
import { startFakeApiServer } from '@kates/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { seriesOf, seriesValue } from './__fixtures__/read.js';
import { ClientMetrics } from './client-metrics.js';
import { claimName, MAX_NAMES } from './labels.js';

describe('the client write metrics', () => {
  it('count, time and classify the writes of an observed client by verb, leaving reads alone', async () => {
    const server = await startFakeApiServer();
    const plain = createClient({ kubeconfig: server.kubeconfigPath });
    const registry = new Registry();
    const client = ClientMetrics.of(registry).observe(plain);
    try {
      expect(client).toBeInstanceOf(Client);
      expect(client.namespace).toBe(plain.namespace);
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'default' } };
      const created = await client.create(cm);
      await client.patch(created, { data: { a: '1' } });
      const err = await client.create(cm).catch((e: unknown) => e);
      expect(isAlreadyExists(err)).toBe(true);
      await client.get('cm', 'one', { namespace: 'default' });
      await plain.delete(created); // not through the observed client: not counted
      expect(await seriesValue(registry, 'kates_client_writes_total', { verb: 'create' })).toBe(2);
      expect(await seriesValue(registry, 'kates_client_writes_total', { verb: 'patch' })).toBe(1);
      expect(await seriesValue(registry, 'kates_client_writes_total', { verb: 'delete' })).toBe(0);
      expect(await seriesOf(registry, 'kates_client_write_errors_total')).toEqual([
        '{reason=AlreadyExists,verb=create} 1',
      ]);
      expect(
        await seriesValue(registry, 'kates_client_write_duration_seconds_count', { verb: 'create' }),
      ).toBe(2);
      const labels = (await registry.getMetricsAsJSON()).flatMap((m) =>
        m.values.map((v) => Object.keys(v.labels)),
      );
      expect(new Set(labels.flat())).toEqual(new Set(['verb', 'reason', 'le']));
    } finally {
      plain.close();
      await server.stop();
    }
  });

  it('folds an unknown failure reason into Other and a refused input into InvalidInput', async () => {
    const server = await startFakeApiServer();
    const registry = new Registry();
    const client = ClientMetrics.of(registry).observe(createClient({ kubeconfig: server.kubeconfigPath }));
    try {
      await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }).catch(() => {});
      expect(
        await seriesValue(registry, 'kates_client_write_errors_total', {
          verb: 'create',
          reason: 'InvalidInput',
        }),
      ).toBe(1);
    } finally {
      client.close();
      await server.stop();
    }
  });

  it(`caps the names of one family at ${MAX_NAMES} per registry`, () => {
    const registry = new Registry();
    for (let i = 0; i < MAX_NAMES; i++) claimName(registry, 'controller', `c${i}`);
    expect(() => claimName(registry, 'controller', 'one-too-many')).toThrow(/more than 256 controller names/);
  });
});
