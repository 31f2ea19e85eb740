import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, type ConfigMap, createClient, isNotFound } from '@kates/core';
import { kubeconfigVia, startFakeApiServer, startFaultProxy } from '@kates/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { TrackedLock } from './__fixtures__/tracked-lock.js';
import { LeaderElector } from './elector.js';
import { fencedClient } from './fence.js';
import { isLeadershipLost, LeadershipLostError } from './leadership-lost.js';
import { LEASE_KIND, leaseLock } from './lease-lock.js';
import type { LeaderElectionOptions } from './options.js';

// The election in real time against both servers: the same tests on the fake API server and on
// kube-apiserver. Short durations keep them quick; the rules they check do not depend on them.

const TIMING = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 } as const;
/** Room for a loaded machine (2 shared cores) in time bounds; never in the no-overlap checks. */
const SLACK_MS = 1_500;

interface Server {
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

const cluster = realCluster();
const servers: [string, boolean, () => Promise<Server>][] = [
  [
    'the fake API server',
    false,
    async () => {
      const s = await startFakeApiServer();
      return { kubeconfigPath: s.kubeconfigPath, stop: () => s.stop() };
    },
  ],
  [
    'kube-apiserver',
    !cluster,
    async () => ({ kubeconfigPath: cluster!.kubeconfigPath, stop: async () => {} }),
  ],
];

/** One candidate and what it lived through, in `performance.now()` time. */
function candidate(
  client: Client,
  name: string,
  identity: string,
  extra: Partial<LeaderElectionOptions> = {},
) {
  const lock = new TrackedLock(leaseLock(client, { name }));
  const log = { started: [] as number[], ended: [] as number[], leaders: [] as string[] };
  const elector = new LeaderElector({
    client,
    name,
    identity,
    lock,
    ...TIMING,
    onStartedLeading: (signal) => {
      log.started.push(performance.now());
      signal.addEventListener('abort', () => log.ended.push((signal.reason as LeadershipLostError).endedAt));
    },
    onNewLeader: (id) => log.leaders.push(id),
    ...extra,
  });
  return { elector, lock, log, identity };
}
type Candidate = ReturnType<typeof candidate>;

async function until(what: string, test: () => boolean, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!test()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now();
}

const leaders = (cs: readonly Candidate[]) => cs.filter((c) => c.elector.isLeader());

/** Every pair of terms of different candidates is disjoint; the smallest gap between them. */
function disjoint(cs: readonly Candidate[]): number {
  const terms = cs.flatMap((c) =>
    c.log.started.map((start, i) => ({ who: c.identity, start, end: c.log.ended[i] ?? Infinity })),
  );
  let gap = Infinity;
  for (const a of terms)
    for (const b of terms) {
      if (a === b || a.start > b.start) continue;
      expect(a.end, `${a.who}'s term overlaps ${b.who}'s`).toBeLessThanOrEqual(b.start);
      gap = Math.min(gap, b.start - a.end);
    }
  return gap;
}

describe.each(servers)('leader election on %s', (_serverName, skip, startServer) => {
  let server: Server;
  let client: Client;
  let counter = 0;
  const lease = () => `election-${Date.now().toString(36)}-${++counter}`;

  beforeAll(async () => {
    if (skip) return;
    server = await startServer();
    client = createClient({ kubeconfig: server.kubeconfigPath });
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it.skipIf(skip)('elects exactly one of three candidates; the others name it as the leader', async () => {
    const name = lease();
    const cs = ['a', 'b', 'c'].map((id) => candidate(client, name, id));
    for (const c of cs) c.elector.start();
    await until('a leader', () => leaders(cs).length === 1, 5_000);
    const [leader] = leaders(cs);
    await new Promise((r) => setTimeout(r, 2 * TIMING.leaseDurationMs));
    expect(leaders(cs).map((c) => c.identity)).toEqual([leader!.identity]);
    for (const c of cs) expect(c.elector.leader).toBe(leader!.identity);
    expect(cs.reduce((n, c) => n + c.log.started.length, 0)).toBe(1);
    await Promise.all(cs.map((c) => c.elector.stop()));
  });

  it.skipIf(skip)(
    'hands the Lease to a waiting candidate within about one retryPeriod when the leader stops',
    async () => {
      const name = lease();
      const a = candidate(client, name, 'a');
      const b = candidate(client, name, 'b');
      a.elector.start();
      await until('a leads', () => a.elector.isLeader(), 5_000);
      b.elector.start();
      await until('b sees a', () => b.elector.leader === 'a', 5_000);
      const stopping = performance.now();
      await a.elector.stop();
      const took = (await until('b leads', () => b.elector.isLeader(), TIMING.leaseDurationMs)) - stopping;
      expect(took).toBeLessThan(TIMING.retryPeriodMs + SLACK_MS);
      expect(disjoint([a, b])).toBeGreaterThanOrEqual(0);
      const spec = (await client.get(LEASE_KIND, name)).spec as {
        holderIdentity: string;
        leaseTransitions: number;
      };
      expect(spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
      await b.elector.stop();
    },
  );

  it.skipIf(skip)(
    'replaces a leader cut off from the API server within leaseDuration + retryPeriod of its last renewal, its term ended first',
    async () => {
      const name = lease();
      const a = candidate(client, name, 'a');
      const b = candidate(client, name, 'b');
      a.elector.start();
      await until('a leads', () => a.elector.isLeader(), 5_000);
      b.elector.start();
      await new Promise((r) => setTimeout(r, 1_000));
      a.lock.partitioned = true;
      const lastRenewal = a.elector.leadingUntil! - TIMING.renewDeadlineMs;
      const bLeads = await until('b leads', () => b.elector.isLeader(), 3 * TIMING.leaseDurationMs);
      expect(a.log.ended).toHaveLength(1);
      expect(bLeads - lastRenewal).toBeLessThan(TIMING.leaseDurationMs + TIMING.retryPeriodMs + SLACK_MS);
      // The gap between the terms is at least leaseDuration - renewDeadline.
      expect(disjoint([a, b])).toBeGreaterThanOrEqual(TIMING.leaseDurationMs - TIMING.renewDeadlineMs);
      a.lock.partitioned = false;
      await Promise.all([a.elector.stop(), b.elector.stop()]);
    },
  );

  it.skipIf(skip)('refuses fenced writes once the term has ended, before sending them', async () => {
    const name = lease();
    let writer: Client | undefined;
    const a = candidate(client, name, 'a', {
      onStartedLeading: (signal) => {
        writer = fencedClient(client, signal);
      },
    });
    a.elector.start();
    await until('a leads', () => a.elector.isLeader(), 5_000);
    const cm = (n: string): ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-${n}` },
    });
    await writer!.create(cm('while-leading'));
    await a.elector.stop();
    const refused = await writer!.create(cm('after')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(LeadershipLostError);
    expect(isLeadershipLost(refused)).toBe(true);
    expect((refused as Error).message).toMatch(
      new RegExp(`create ConfigMap "${name}-after" refused: this replica is no longer the leader`),
    );
    const absent = await client.get('cm', `${name}-after`).catch((e: unknown) => e);
    expect(isNotFound(absent)).toBe(true);
    // Reads are not fenced.
    expect((await writer!.get('cm', `${name}-while-leading`)).metadata?.name).toBe(`${name}-while-leading`);
  });

  it.skipIf(skip)(
    'drops a write aborted in flight on a stalled link: the abort closes its HTTP/1.1 connection',
    async () => {
      // Fencing at the client decides what is sent; it cannot recall bytes already handed to the
      // connection. Over HTTP/1.1 (the Node transport's only protocol) the abort destroys the
      // socket and the stalled bytes die with it, on both servers. Over HTTP/2 (undici's default,
      // which the transport used with kube-apiserver until it froze a replica, see
      // transport/node.ts) the abort only reset the stream, and kube-apiserver applied the stalled
      // write when the link resumed.
      const dir = mkdtempSync(join(tmpdir(), 'kates-fence-'));
      const target = new URL((client.transport as { server: string }).server);
      const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: Number(target.port) } });
      const via = createClient({
        kubeconfig: kubeconfigVia(server.kubeconfigPath, proxy.port, join(dir, 'kubeconfig')),
      });
      try {
        const name = lease();
        await via.list('cm', { limit: 1 });
        const term = new AbortController();
        const writer = fencedClient(via, term.signal);
        proxy.stall();
        const write = writer
          .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } })
          .catch((e: unknown) => e);
        await new Promise((r) => setTimeout(r, 300));
        term.abort(new LeadershipLostError('lease x/y', 'me', 'renew-deadline', performance.now()));
        expect(isLeadershipLost(await write)).toBe(true);
        // Time for the proxy to see a socket the abort closed, as a real network would have.
        await new Promise((r) => setTimeout(r, 300));
        proxy.resume();
        await new Promise((r) => setTimeout(r, 1_000));
        const applied = !isNotFound(await client.get('cm', name).catch((e: unknown) => e));
        expect(applied).toBe(false);
      } finally {
        via.close();
        await proxy.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(skip)(
    'sends nothing for a client write whose signal has already aborted (core’s own check)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kates-fence-'));
      const target = new URL((client.transport as { server: string }).server);
      const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: Number(target.port) } });
      const via = createClient({
        kubeconfig: kubeconfigVia(server.kubeconfigPath, proxy.port, join(dir, 'kubeconfig')),
      });
      try {
        const name = lease();
        // Discovery first, so that nothing else needs to be sent for the create.
        await via.list('cm', { limit: 1 });
        const before = proxy.counters.bytesForwarded;
        const aborted = AbortSignal.abort(new Error('term over'));
        const verbs: [string, () => Promise<unknown>][] = [
          [
            'create',
            () =>
              via.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }, { signal: aborted }),
          ],
          ['patch', () => via.patch({ kind: 'cm', name }, { data: { a: 'b' } }, { signal: aborted })],
          ['delete', () => via.delete({ kind: 'cm', name }, { signal: aborted })],
          [
            'upsert',
            () =>
              via.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }, { signal: aborted }),
          ],
        ];
        for (const [verb, call] of verbs) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, verb).toBeInstanceOf(Error);
        }
        expect(proxy.counters.bytesForwarded).toBe(before);
        expect(isNotFound(await client.get('cm', name).catch((e: unknown) => e))).toBe(true);
      } finally {
        via.close();
        await proxy.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
