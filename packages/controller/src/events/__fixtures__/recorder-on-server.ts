import { type Client, createClient, type KubernetesObject } from '@kates/core';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriesValue } from '../../metrics/__fixtures__/read.js';
import { EventMetrics } from '../../metrics/event-metrics.js';
import type { EventsV1Event } from '../event.js';
import { EventRecorder } from '../recorder.js';

/** A server to run against: its kubeconfig, and how to stop what was started for it. */
export interface ServerUnderTest {
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

/**
 * The Event recorder against an API server, written once and run against the fake one and the
 * real kube-apiserver: what lands in `events.k8s.io/v1` is what both servers accept and keep.
 */
export function describeRecorderOn(serverName: string, start: () => Promise<ServerUnderTest>): void {
  describe(`the Event recorder against ${serverName}`, () => {
    const run = Math.random().toString(36).slice(2, 7);
    const namespace = `events-${run}`;
    let server: ServerUnderTest;
    let client: Client;

    beforeAll(async () => {
      server = await start();
      client = createClient({ kubeconfig: server.kubeconfigPath });
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    });
    afterAll(async () => {
      await client?.delete({ kind: 'ns', name: namespace }).catch(() => {});
      client?.close();
      await server?.stop();
    });

    const recorder = (registry = new Registry()) =>
      new EventRecorder({
        client,
        reportingController: 'example.com/router',
        metrics: EventMetrics.of(registry).forRecorder(),
      });
    const about = async (obj: KubernetesObject, ns = namespace): Promise<EventsV1Event[]> =>
      (await client.list<EventsV1Event>('events.events.k8s.io', { namespace: ns })).filter(
        (e) => e.regarding?.uid === obj.metadata?.uid,
      );

    it('writes repeats of an Event as one Event with a series the server accepts', async () => {
      const cm = await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'routes', namespace },
      });
      const registry = new Registry();
      const events = recorder(registry);
      for (let i = 0; i < 4; i++)
        events.event(cm, {
          type: 'Normal',
          reason: 'Synced',
          action: 'Reconcile',
          note: 'routing table written',
        });
      events.event(cm, {
        type: 'Warning',
        reason: 'FailedSync',
        action: 'Reconcile',
        note: 'service web is missing',
      });
      await events.close();
      const written = await about(cm);
      expect(written).toHaveLength(2);
      const synced = written.find((e) => e.reason === 'Synced');
      expect(synced).toMatchObject({
        type: 'Normal',
        action: 'Reconcile',
        note: 'routing table written',
        reportingController: 'example.com/router',
        regarding: { kind: 'ConfigMap', name: 'routes', namespace, uid: cm.metadata?.uid },
        series: { count: 4 },
      });
      expect(synced?.eventTime).toMatch(/\.\d{6}Z$/);
      expect(synced?.series?.lastObservedTime).toMatch(/\.\d{6}Z$/);
      expect(written.find((e) => e.reason === 'FailedSync')?.series).toBeUndefined();
      expect(await seriesValue(registry, 'kates_event_writes_total', { verb: 'create', result: 'ok' })).toBe(
        2,
      );
      expect(await seriesValue(registry, 'kates_events_recorded_total', { kind: 'series' })).toBe(3);
    });

    it('keeps the data of a Secret out of an Event about it', async () => {
      const secret = await client.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'tls', namespace, annotations: { note: 'annotation-value-7f3a' } },
        stringData: { password: 'p4ssw0rd-7f3a' },
      });
      const events = recorder();
      events.event(secret, {
        type: 'Warning',
        reason: 'Expiring',
        action: 'CheckCertificate',
        note: 'expires in 3 days',
      });
      await events.close();
      const [written] = await about(secret);
      expect(written?.regarding).toMatchObject({ kind: 'Secret', name: 'tls' });
      const text = JSON.stringify(written);
      expect(text).not.toContain('p4ssw0rd');
      expect(text).not.toContain(Buffer.from('p4ssw0rd-7f3a').toString('base64'));
      expect(text).not.toContain('annotation-value-7f3a');
    });

    it('records an Event about a cluster-scoped object in the default namespace', async () => {
      const ns = await client.get('ns', namespace);
      const events = recorder();
      events.event(ns, { type: 'Normal', reason: 'Labelled', action: 'Reconcile' });
      await events.close();
      const written = await about(ns, 'default');
      expect(written).toHaveLength(1);
      expect(written[0]?.regarding).toMatchObject({ kind: 'Namespace', name: namespace });
      await client.delete(written[0] as EventsV1Event);
    });
  });
}
