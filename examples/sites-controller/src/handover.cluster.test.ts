import type { ShutdownReport } from '@kates/controller';
import { type Client, createClient, type Lease } from '@kates/core';
import { type EventuallyOptions, eventually as poll } from '@kates/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../packages/testing/src/vitest/cluster.js';
import { type SitesController, startSitesController } from './controller.js';
import { leaseElection } from './leader-election.js';
import { type Site, site } from './site.js';

const cluster = realCluster();
/** Polls for 45 s unless told otherwise: a handover under load takes a few lease periods. */
const eventually = <T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  options: EventuallyOptions = { timeoutMs: 45_000 },
) => poll(what, read, ok, options);

if (cluster) {
  describe('two replicas of the sites controller, one leading, under load', () => {
    const namespace = `handover-${Math.random().toString(36).slice(2, 7)}`;
    const lease = `sites-${namespace}`;
    const clients: Client[] = [];
    const replicas: { controller: SitesController; stop(): Promise<void>; log: string[] }[] = [];
    const client = () => {
      const c = createClient({ kubeconfig: cluster.kubeconfigPath });
      clients.push(c);
      return c;
    };

    async function replica(identity: string) {
      const c = client();
      const { election, stop } = leaseElection(c, {
        name: lease,
        namespace,
        identity,
        leaseDurationMs: 4000,
        renewDeadlineMs: 3000,
        retryPeriodMs: 500,
      });
      const log: string[] = [];
      const controller = await startSitesController({
        client: c,
        namespace,
        leaderElection: election,
        manager: {
          server: false,
          signals: false,
          processMetrics: false,
          shutdownTimeoutMs: 30_000,
          log: (l) => log.push(l),
        },
      });
      controller.manager.onStop(stop);
      const r = { controller, stop, log };
      replicas.push(r);
      return r;
    }

    afterAll(async () => {
      for (const r of replicas) await r.controller.manager.stop('test over');
      await clients[0]?.delete({ kind: 'ns', name: namespace }).catch(() => {});
      for (const c of clients) c.close();
    });

    it('finishes in-flight work, releases the lease at shutdown, and the standby takes over within a retry period', async () => {
      const admin = client();
      await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      const a = await replica('replica-a');
      await eventually(
        'replica-a leads',
        async () => a.controller.manager.leading,
        (l) => l,
      );
      const b = await replica('replica-b');
      await eventually(
        'replica-b has seen the lease',
        async () => (await b.controller.manager.probes.run('readyz', { only: 'leader-election' }))?.ok,
        (ok) => !!ok,
      );
      expect(b.controller.manager.leading).toBe(false);

      // Load: 40 Sites at once; stop the leader while it works through them.
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => admin.create(site(namespace, `s${i}`, `s${i}.example.com`))),
      );
      await eventually(
        'replica-a is busy',
        async () => a.controller.controller.inFlight.length,
        (n) => n > 0,
        { timeoutMs: 10_000 },
      );
      const inFlight = a.controller.controller.inFlight.length;
      const t0 = performance.now();
      const report: ShutdownReport = await a.controller.manager.stop('SIGTERM received');
      const stoppedMs = performance.now() - t0;
      expect(report).toMatchObject({ finished: true, abandoned: [], released: true });
      const released = await admin.get<Lease>('leases.coordination.k8s.io', lease, { namespace });
      const t1 = performance.now();
      await eventually(
        'replica-b leads',
        async () => b.controller.manager.leading,
        (l) => l,
        { timeoutMs: 10_000 },
      );
      const handoverMs = performance.now() - t1;
      const all = await eventually(
        'every Site published',
        () => admin.list<Site>('sites.example.kates.dev', { namespace }),
        (sites) =>
          sites.length === 40 &&
          sites.every((s) => s.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
      );
      expect(all).toHaveLength(40);
      const holder = await admin.get<Lease>('leases.coordination.k8s.io', lease, { namespace });
      expect(holder.spec?.holderIdentity).toBe('replica-b');
      console.log(
        `shutdown under load: ${inFlight} reconcile(s) in flight, all finished; stopped in ${report.durationMs} ms (${Math.round(stoppedMs)} ms wall), lease holder after release ` +
          `"${released.spec?.holderIdentity ?? ''}", standby leading ${Math.round(handoverMs)} ms later`,
      );
    });
  });
}
