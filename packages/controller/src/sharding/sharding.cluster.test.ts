import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, type ConfigMap, createClient, type KubernetesObject, type Lease } from '@kates/core';
import { type FaultProxy, kubeconfigVia, startFakeApiServer, startFaultProxy } from '@kates/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { LeaderElector } from '../leaderelection/elector.js';
import { ringLabels } from './labels.js';
import { ShardMember } from './member.js';
import { HashRing } from './ring.js';
import { Sharder } from './sharder.js';

// Three replicas of a sharded controller, in this process, each with a client of its own behind
// a fault proxy of its own, on both servers. Checked every 100 ms: no object owned by two live
// replicas (each replica's own view: `member.owns()` on its snapshot), and, after each settling,
// every object owned by exactly one. Checked at every reconcile: no two replicas reconcile one
// object at once. Timed: a dead replica's objects move within leaseDuration + retryPeriod; a
// stopped one's within about a retryPeriod.

const TIMING = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 } as const;
const SLACK_MS = 2_000;
const OBJECTS = 45;

interface Server {
  readonly kubeconfigPath: string;
  readonly port: number;
  stop(): Promise<void>;
}

const cluster = realCluster();
const servers: [string, boolean, () => Promise<Server>][] = [
  [
    'the fake API server',
    false,
    async () => {
      const s = await startFakeApiServer();
      return {
        kubeconfigPath: s.kubeconfigPath,
        port: Number(new URL(s.httpsUrl).port),
        stop: () => s.stop(),
      };
    },
  ],
  [
    'kube-apiserver',
    !cluster,
    async () => ({
      kubeconfigPath: cluster!.kubeconfigPath,
      port: Number(new URL(cluster!.server).port),
      stop: async () => {},
    }),
  ],
];

/** The invariants, checked as the replicas go. */
class Checks {
  ownershipChecks = 0;
  objectsChecked = 0;
  doubleOwners: string[] = [];
  reconciles = 0;
  doubleReconciles: string[] = [];
  private readonly reconciling = new Map<string, string>();

  /** At the start of a reconcile: nobody else may be reconciling this object. */
  enter(uid: string, who: string): void {
    this.reconciles++;
    const other = this.reconciling.get(uid);
    if (other && other !== who) this.doubleReconciles.push(`${uid}: ${who} while ${other}`);
    this.reconciling.set(uid, who);
  }
  leave(uid: string, who: string): void {
    if (this.reconciling.get(uid) === who) this.reconciling.delete(uid);
  }
}

describe.each(servers)('sharding on %s', (_serverName, skip, startServer) => {
  let server: Server;
  let admin: Client;
  let dir = '';
  const ring = 'widgets';
  const labels = ringLabels(ring);
  const namespace = `shard-${Date.now().toString(36)}`;
  const selector = 'app=sharded';
  const checks = new Checks();
  const replicas = new Map<string, Replica>();
  let checker: ReturnType<typeof setInterval> | undefined;

  /** One replica: a member, a sharder candidate, a reconcile loop, behind a proxy of its own. */
  class Replica {
    readonly client: Client;
    readonly sharderClient: Client;
    readonly member: ShardMember;
    readonly sharderElection: LeaderElector;
    sharder: Sharder | undefined;
    snapshot: { objects?: readonly KubernetesObject[] } = {};
    alive = true;
    private readonly stopLoop = new AbortController();
    private loop: Promise<void> = Promise.resolve();

    constructor(
      readonly name: string,
      readonly proxy: FaultProxy,
      kubeconfigPath: string,
    ) {
      this.client = createClient({ kubeconfig: kubeconfigPath, namespace });
      // The sharder gets a client (a store) of its own. Sharing one with the member meets a bug
      // of core's store, reported: when a write of the client takes an object out of one query
      // (the member's acknowledgement) while another query (the sharder's) still holds it, that
      // query can keep the previous content under the new resourceVersion, and the watch's own
      // event for that version does not replace it (seen on the fake server in ~1 run in 4).
      this.sharderClient = createClient({ kubeconfig: kubeconfigPath, namespace });
      this.member = new ShardMember({
        client: this.client,
        ring,
        identity: name,
        leaseNamespace: namespace,
        ...TIMING,
      });
      this.sharderElection = new LeaderElector({
        client: this.client,
        name: `${ring}-sharder`,
        namespace,
        identity: name,
        ...TIMING,
        onStartedLeading: (signal) => {
          const sharder = new Sharder({
            client: this.sharderClient,
            ring,
            identity: name,
            leaseNamespace: namespace,
            queries: [{ kind: 'cm', namespace, labelSelector: selector }],
            ...TIMING,
          });
          this.sharder = sharder;
          return sharder.run(signal);
        },
      });
    }

    start(): void {
      const acc = this.client.watch(
        this.member.query({ name: 'objects', kind: 'cm', namespace, labelSelector: selector }),
      );
      this.member.start();
      this.sharderElection.start();
      const stop = this.stopLoop.signal;
      this.loop = (async () => {
        await acc.changed();
        while (!stop.aborted) {
          acc.update(this.snapshot);
          await Promise.all(
            (this.snapshot.objects ?? []).map((obj) =>
              this.member
                .handle(obj, async (o) => {
                  const uid = o.metadata!.uid!;
                  checks.enter(uid, this.name);
                  await sleep(15);
                  checks.leave(uid, this.name);
                })
                .catch(() => 'failed'),
            ),
          );
          await Promise.race([acc.changed(), sleep(200)]);
        }
        acc.close();
      })();
    }

    /**
     * As kill -9 leaves it to the API server: silence. Its link stalls (nothing more gets
     * through, nothing is reset) and its loop stops; its electors, cut off, run out their
     * deadlines and are stopped (the release they try cannot get through).
     */
    async crash(): Promise<void> {
      this.alive = false;
      this.proxy.stall();
      this.stopLoop.abort();
      await this.loop;
      await Promise.all([this.member.stop(), this.sharderElection.stop()]);
    }

    /** A graceful stop: the reconcile loop ends, then the member releases its Lease. */
    async stop(): Promise<void> {
      this.stopLoop.abort();
      await this.loop;
      await this.member.stop();
      this.alive = false;
      await this.sharderElection.stop();
    }
  }

  /** Per object, the live replicas that own it in their own view. */
  function owners(): Map<string, string[]> {
    const byUid = new Map<string, string[]>();
    for (const r of replicas.values()) {
      if (!r.alive) continue;
      for (const obj of r.snapshot.objects ?? []) {
        if (!r.member.owns(obj)) continue;
        const uid = obj.metadata!.uid!;
        byUid.set(uid, [...(byUid.get(uid) ?? []), r.name]);
      }
    }
    return byUid;
  }
  function checkOwnership(): void {
    checks.ownershipChecks++;
    for (const [uid, who] of owners()) {
      checks.objectsChecked++;
      if (who.length > 1) checks.doubleOwners.push(`${uid}: ${who.join(', ')}`);
    }
  }
  /** Waits until every object is owned by exactly one live replica; how long it took. */
  async function settled(timeoutMs: number): Promise<number> {
    const start = performance.now();
    for (;;) {
      const o = owners();
      // Settled: each object owned once, by the member the ring of live replicas names for it.
      const ringOfLive = new HashRing([...replicas.values()].filter((r) => r.alive).map((r) => r.name));
      const done =
        o.size === OBJECTS && [...o].every(([uid, w]) => w.length === 1 && w[0] === ringOfLive.ownerOf(uid));
      if (done) return performance.now() - start;
      if (performance.now() - start > timeoutMs) {
        const counts = [...replicas.values()].map(
          (r) => `${r.name}: ${[...o.values()].filter((w) => w.includes(r.name)).length}`,
        );
        const all = await admin.list('cm', { labelSelector: selector });
        const stuck = all
          .filter((x) => !o.has(x.metadata!.uid!))
          .map((x) => ({
            name: x.metadata?.name,
            rv: x.metadata?.resourceVersion,
            labels: x.metadata?.labels,
            views: [...replicas.values()].map((r) => {
              const mine = r.snapshot.objects?.find((y) => y.metadata?.uid === x.metadata?.uid);
              return `${r.name}: ${mine ? `rv ${mine.metadata?.resourceVersion} ${JSON.stringify(mine.metadata?.labels)} owns=${r.member.owns(mine)}` : 'absent'} active=${r.member.isActive()}`;
            }),
          }));
        throw new Error(
          `not settled within ${timeoutMs} ms: ${o.size}/${OBJECTS} owned (${counts.join(', ')}): ${JSON.stringify(stuck, null, 2)}`,
        );
      }
      await sleep(20);
    }
  }
  const share = (name: string) => [...owners().values()].filter((w) => w[0] === name).length;
  async function addReplica(name: string): Promise<Replica> {
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: server.port } });
    const r = new Replica(
      name,
      proxy,
      kubeconfigVia(server.kubeconfigPath, proxy.port, join(dir, `kubeconfig-${name}`)),
    );
    replicas.set(name, r);
    r.start();
    return r;
  }

  beforeAll(async () => {
    if (skip) return;
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'kates-sharding-'));
    admin = createClient({ kubeconfig: server.kubeconfigPath, namespace });
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    for (let i = 0; i < OBJECTS; i++)
      await admin.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `widget-${i}`, labels: { app: 'sharded' } },
      });
    checker = setInterval(checkOwnership, 100);
  });
  afterAll(async () => {
    if (checker) clearInterval(checker);
    await Promise.all([...replicas.values()].map((r) => (r.alive ? r.stop() : undefined)));
    await Promise.all([...replicas.values()].map((r) => r.proxy.stop().catch(() => undefined)));
    admin?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'assigns, rebalances through drains, and moves the objects of a crashed and of a stopped replica, never to two owners',
    async () => {
      const measured: Record<string, number> = {};
      await addReplica('replica-a');
      await addReplica('replica-b');
      measured.firstSettleMs = await settled(10_000);

      // A third replica joins: a third of the objects are drained from their owners and reassigned.
      await addReplica('replica-c');
      measured.joinSettleMs = await settled(10_000);
      // settled() checked each object against the ring of the three; every replica got a share.
      // (How even the shares are depends on the objects' random uids: 7 of 45 was seen, so an
      // evenness bound here could fail by chance. The ring's balance is ring.test.ts's to prove.)
      for (const name of ['replica-a', 'replica-b', 'replica-c']) expect(share(name)).toBeGreaterThan(0);

      // A replica that is not the sharder dies: its objects move within leaseDuration + retryPeriod.
      const victim = [...replicas.values()].find((r) => r.alive && !r.sharderElection.isLeader())!;
      const held = share(victim.name);
      const crashedAt = performance.now();
      await victim.crash();
      await settled(TIMING.leaseDurationMs + TIMING.retryPeriodMs + SLACK_MS);
      measured.crashMoveMs = performance.now() - crashedAt;

      // A replica stops gracefully: it releases its Lease and its objects move about at once.
      const leaving = [...replicas.values()].find((r) => r.alive && !r.sharderElection.isLeader())!;
      const stopping = performance.now();
      await leaving.stop();
      await settled(TIMING.leaseDurationMs + SLACK_MS);
      measured.stopMoveMs = performance.now() - stopping;
      checkOwnership();

      const sharder = [...replicas.values()].find((r) => r.sharderElection.isLeader())?.sharder;
      const leases = await admin.list<Lease>('leases.coordination.k8s.io', {
        labelSelector: `${labels.lease}=${ring}`,
      });
      const report = {
        objects: OBJECTS,
        crashedReplicaHeld: held,
        measured: Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, Math.round(v)])),
        ownershipChecks: checks.ownershipChecks,
        objectsChecked: checks.objectsChecked,
        doubleOwners: checks.doubleOwners,
        reconciles: checks.reconciles,
        doubleReconciles: checks.doubleReconciles,
        sharder: sharder?.counters,
        memberLeases: leases.map((l) => `${l.metadata?.name}: ${l.spec?.holderIdentity || '(released)'}`),
      };
      console.log(`sharding on ${_serverName}: ${JSON.stringify(report, null, 2)}`);
      expect(checks.doubleOwners).toEqual([]);
      expect(checks.doubleReconciles).toEqual([]);
      expect(checks.objectsChecked).toBeGreaterThan(OBJECTS * 10);
      expect(sharder?.counters.drained).toBeGreaterThan(0);
      const survivor = [...replicas.values()].find((r) => r.alive)!;
      expect(share(survivor.name)).toBe(OBJECTS);
    },
    120_000,
  );
});
