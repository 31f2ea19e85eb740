import type { Condition, EventsV1Event } from '@kates/controller';
import { type Client, type ConfigMap, createClient, isNotFound } from '@kates/core';
import { eventually as poll } from '@kates/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SitesController, startSitesController } from '../controller.js';
import { FINALIZER, HOSTNAMES } from '../reconcile.js';
import { type Site, site } from '../site.js';

/** Polls until the controller has written what `ok` looks for; a NotFound means not yet. */
const eventually = <T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean) =>
  poll(what, read, ok, { retryOn: isNotFound });

/** A server to run against: its kubeconfig, and how to stop what was started for it. */
export interface ServerUnderTest {
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

const readyOf = (s: Site | undefined): Condition | undefined =>
  s?.status?.conditions?.find((c) => c.type === 'Ready');

/**
 * The sites controller end to end against an API server, written once and run against the fake one
 * and the real kube-apiserver. (The test cluster runs no garbage collector: owned ConfigMaps are
 * not checked to go with their Site.)
 */
export function describeSitesOn(serverName: string, start: () => Promise<ServerUnderTest>): void {
  describe(`the sites controller against ${serverName}`, () => {
    const namespace = `sites-${Math.random().toString(36).slice(2, 7)}`;
    let server: ServerUnderTest;
    let admin: Client;
    let controllerClient: Client;
    let controller: SitesController;
    const log: string[] = [];

    const getSite = (name: string) => admin.get<Site>('sites.example.kates.dev', name, { namespace });
    const hostnames = () => admin.get<ConfigMap>('cm', HOSTNAMES, { namespace }).then((cm) => cm.data ?? {});

    beforeAll(async () => {
      server = await start();
      admin = createClient({ kubeconfig: server.kubeconfigPath });
      controllerClient = createClient({ kubeconfig: server.kubeconfigPath });
      controller = await startSitesController({
        client: controllerClient,
        namespace,
        manager: { server: { port: 0 }, signals: false, processMetrics: false, log: (l) => log.push(l) },
      });
      await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      // The CRD is the controller's to install; wait until it is served.
      await eventually(
        'Sites served',
        () => admin.list('sites.example.kates.dev', { namespace }),
        () => true,
      );
    });
    afterAll(async () => {
      await controller?.manager.stop('test over');
      await admin?.delete({ kind: 'ns', name: namespace }).catch(() => {});
      admin?.close();
      controllerClient?.close();
      await server?.stop();
    });

    it('publishes a Site: finalizer first, then its content as an owned ConfigMap, its claim, its Ready condition and an Event', async () => {
      const created = await admin.create(site(namespace, 'shop', 'shop.example.com', '<h1>shop</h1>'));
      const ready = await eventually(
        'shop Ready',
        () => getSite('shop'),
        (s) => readyOf(s)?.status === 'True',
      );
      expect(ready.metadata?.finalizers).toEqual([FINALIZER]);
      expect(readyOf(ready)).toMatchObject({
        reason: 'Published',
        observedGeneration: created.metadata?.generation,
      });
      const content = await admin.get<ConfigMap>('cm', 'shop-content', { namespace });
      expect(content.data).toEqual({ 'index.html': '<h1>shop</h1>', hostname: 'shop.example.com' });
      expect(content.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Site',
        name: 'shop',
        uid: created.metadata?.uid,
        controller: true,
      });
      expect(await hostnames()).toEqual({ 'shop.example.com': 'shop' });
      const events = await eventually(
        'a Published Event',
        () => admin.list<EventsV1Event>('events.events.k8s.io', { namespace }),
        (list) => list.some((e) => e.reason === 'Published' && e.regarding.name === 'shop'),
      );
      expect(events.find((e) => e.reason === 'Published')?.reportingController).toBe(
        'example.kates.dev/sites-controller',
      );
    });

    it('republishes new content when the Site changes, and when its ConfigMap is changed behind its back', async () => {
      await admin.modify<Site>({ kind: 'sites.example.kates.dev', name: 'shop', namespace }, (s) => {
        s.spec.content = '<h1>shop v2</h1>';
      });
      await eventually(
        'content v2',
        () => admin.get<ConfigMap>('cm', 'shop-content', { namespace }),
        (cm) => cm.data?.['index.html'] === '<h1>shop v2</h1>',
      );
      await admin.patch(
        { kind: 'cm', name: 'shop-content', namespace },
        { data: { 'index.html': 'defaced' } },
      );
      await eventually(
        'content restored',
        () => admin.get<ConfigMap>('cm', 'shop-content', { namespace }),
        (cm) => cm.data?.['index.html'] === '<h1>shop v2</h1>',
      );
    });

    it('refuses a hostname that is taken, and one that is not a DNS name, saying why in the condition', async () => {
      await admin.create(site(namespace, 'copycat', 'shop.example.com'));
      await admin.create(site(namespace, 'broken', 'Not A Hostname'));
      const copycat = await eventually(
        'copycat refused',
        () => getSite('copycat'),
        (s) => readyOf(s)?.reason === 'HostnameTaken',
      );
      expect(readyOf(copycat)).toMatchObject({
        status: 'False',
        message: 'hostname shop.example.com is claimed by site shop',
      });
      const broken = await eventually(
        'broken refused',
        () => getSite('broken'),
        (s) => readyOf(s)?.reason === 'InvalidHostname',
      );
      expect(readyOf(broken)?.status).toBe('False');
      expect(
        log.some((l) => /failed for good, not retried: site .*\/broken: hostname "Not A Hostname"/.test(l)),
      ).toBe(true);
    });

    it('releases the claim through its finalizer when a Site is deleted, and the Site goes', async () => {
      await admin.delete({ kind: 'sites.example.kates.dev', name: 'shop', namespace });
      await eventually(
        'shop gone',
        () =>
          getSite('shop').then(
            () => false,
            (e) => isNotFound(e),
          ),
        (gone) => gone,
      );
      await eventually('claim released', hostnames, (h) => !('shop.example.com' in h));
      // The copycat gets the hostname on its next try (a change makes it now, rather than in 30 s).
      await admin.modify<Site>({ kind: 'sites.example.kates.dev', name: 'copycat', namespace }, (s) => {
        s.spec.content = 'mine now';
      });
      await eventually(
        'copycat published',
        () => getSite('copycat'),
        (s) => readyOf(s)?.status === 'True',
      );
      expect(await hostnames()).toEqual({ 'shop.example.com': 'copycat' });
    });

    it('serves its metrics: the work queue, reconciles, writes per verb, queries and Events', async () => {
      const text = await (await fetch(`${controller.url}/metrics`)).text();
      const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
      expect(value(/^workqueue_adds_total\{name="sites",controller="sites"\} (\d+)/m)).toBeGreaterThan(0);
      expect(
        value(/^controller_runtime_reconcile_total\{controller="sites",result="success"\} (\d+)/m),
      ).toBeGreaterThan(0);
      expect(
        value(/^controller_runtime_reconcile_errors_total\{controller="sites"\} (\d+)/m),
      ).toBeGreaterThan(0);
      expect(value(/^kates_client_writes_total\{verb="apply"\} (\d+)/m)).toBeGreaterThan(0);
      expect(value(/^kates_client_writes_total\{verb="patch"\} (\d+)/m)).toBeGreaterThan(0);
      expect(value(/^kates_query_synced\{accumulator="sites",query="sites"\} (\d+)/m)).toBe(1);
      expect(value(/^kates_event_writes_total\{verb="create",result="ok"\} (\d+)/m)).toBeGreaterThan(0);
      expect((await fetch(`${controller.url}/readyz`)).status).toBe(200);
    });

    it('shuts down cleanly: in-flight work finished, watches closed, the report says how long it took', async () => {
      const report = await controller.manager.stop('test over');
      expect(report).toMatchObject({ reason: 'test over', finished: true, abandoned: [] });
      expect(report.durationMs).toBeGreaterThanOrEqual(0);
    });
  });
}
