import { readFileSync } from 'node:fs';
import { type Client, createClient, isForbidden, type KubernetesObject, parseManifests } from '@kates/core';
import { eventually as poll } from '@kates/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { realCluster } from '../../../packages/testing/src/vitest/cluster.js';
import { type SitesController, startSitesController } from './controller.js';
import { leaseElection } from './leader-election.js';
import { HOSTNAMES } from './reconcile.js';
import { type Site, site } from './site.js';

const cluster = realCluster();
/**
 * Polls for 45 s, retrying every error: while the CRD becomes served and the controller's Pod
 * starts, reads fail in several transient ways on a loaded machine.
 */
const eventually = <T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean) =>
  poll(what, read, ok, { timeoutMs: 45_000, retryOn: () => true });
const manifest = (file: string) =>
  parseManifests(readFileSync(new URL(`../deploy/${file}`, import.meta.url), 'utf8'));

if (cluster) {
  describe('the sites controller deployed with its manifests', () => {
    const namespace = `deployed-${Math.random().toString(36).slice(2, 7)}`;
    let admin: Client;
    let asController: Client;
    let controller: SitesController;
    const log: string[] = [];

    beforeAll(async () => {
      admin = createClient({ kubeconfig: cluster.kubeconfigPath });
      for (const obj of [...manifest('crd.yaml'), ...manifest('rbac.yaml')]) {
        await admin.apply(obj, { fieldManager: 'deploy-test', force: true });
      }
      await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      // The CRD was just applied: wait until it is served, or the controller's query starts unserved
      // and waits for a rediscovery (long on a loaded machine).
      await eventually(
        'Sites served',
        () => admin.list('sites.example.kates.dev', { namespace }),
        () => true,
      );
    });
    afterAll(async () => {
      await controller?.manager.stop('test over');
      await admin?.delete({ kind: 'ns', name: namespace }).catch(() => {});
      asController?.close();
      admin?.close();
    });

    it('passes a server-side dry run of every manifest, the Deployment and its Service included', async () => {
      const all: KubernetesObject[] = manifest('deployment.yaml');
      for (const obj of all)
        await admin.apply(obj, { dryRun: true, fieldManager: 'deploy-test', force: true });
    });

    it('does everything it does under its ServiceAccount, and no more', async () => {
      onTestFailed(() => {
        process.stderr.write(`[sites-controller log]\n${log.join('\n')}\n`);
      });
      // A token of the ServiceAccount, as the kubelet mounts one in its pod.
      const answer = await admin.transport.request({
        method: 'POST',
        path: '/api/v1/namespaces/sites-system/serviceaccounts/sites-controller/token',
        body: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 3600 },
        }),
      });
      expect(answer.status).toBe(201);
      const token = JSON.parse(await answer.text()).status.token as string;
      const adminConfig = new KubeConfig();
      adminConfig.loadFromFile(cluster.kubeconfigPath);
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: adminConfig.clusters,
        users: [{ name: 'sites-controller', token }],
        contexts: [
          {
            name: 'sites-controller',
            cluster: adminConfig.clusters[0]?.name as string,
            user: 'sites-controller',
          },
        ],
        currentContext: 'sites-controller',
      });
      asController = createClient({ kubeconfig: kc });

      const { election, stop } = leaseElection(asController, {
        name: `sites-${namespace}`,
        namespace: 'sites-system',
        // client-go's timings: this test is about RBAC, not handover, and a short lease can lapse
        // on a machine loaded by the other test files, which would stop the controller.
        identity: 'replica-0',
      });
      controller = await startSitesController({
        client: asController,
        // Its own namespace only: other test files churn Sites on the same API server.
        namespace,
        installCrd: false,
        leaderElection: election,
        manager: { server: false, signals: false, processMetrics: false, log: (l) => log.push(l) },
      });
      controller.manager.onStop(stop);
      await eventually(
        'leading',
        async () => controller.manager.leading,
        (l) => l,
      );

      // Every path: publish, a taken hostname, an invalid one, an Event series, a deletion through the finalizer.
      const ready = (name: string, reason: string) =>
        eventually(
          `${name} ${reason}`,
          () => admin.get<Site>('sites.example.kates.dev', name, { namespace }),
          (s) => !!s.status?.conditions?.some((c) => c.reason === reason),
        );
      // The first claim of a hostname wins, whichever Site is older: copycat comes after shop has
      // claimed it (created together, the two reconciles race for the claim).
      await admin.create(site(namespace, 'shop', 'shop.example.com'));
      await ready('shop', 'Published');
      await admin.create(site(namespace, 'copycat', 'shop.example.com'));
      await admin.create(site(namespace, 'broken', 'Not A Hostname'));
      await ready('copycat', 'HostnameTaken');
      await ready('broken', 'InvalidHostname');
      await admin.delete({ kind: 'sites.example.kates.dev', name: 'shop', namespace });
      await eventually(
        'claim released',
        () => admin.get('cm', HOSTNAMES, { namespace }),
        (cm) => !cm.data?.['shop.example.com'],
      );
      await controller.manager.stop('test over');

      const forbidden = log.filter((l) => /Forbidden|forbidden/.test(l));
      expect(forbidden).toEqual([]);
      const text = await controller.manager.registry.metrics();
      expect(text).not.toMatch(/kates_client_write_errors_total\{[^}]*reason="Forbidden"/);
      expect(text).toMatch(/kates_event_writes_total\{verb="create",result="ok"\} [1-9]/);
      expect(text).not.toMatch(/kates_event_writes_total\{[^}]*result="error"\} [1-9]/);
      // And no more: the ServiceAccount cannot read Secrets, nor delete Sites.
      const secrets = await asController.list('secrets', { namespace }).catch((e: unknown) => e);
      expect(isForbidden(secrets)).toBe(true);
      const deletion = await asController
        .delete({ kind: 'sites.example.kates.dev', name: 'broken', namespace })
        .catch((e: unknown) => e);
      expect(isForbidden(deletion)).toBe(true);
    });
  });
}
