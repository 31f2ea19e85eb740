import { type Client, createClient, type Lease } from '@kates/core';
import { type FakeApiServer, startFakeApiServer } from '@kates/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { FakeClock, ScaledClock } from './__fixtures__/fake-clock.js';
import { settleLocks, TrackedLock } from './__fixtures__/tracked-lock.js';
import { LeaderElector } from './elector.js';
import { LeadershipLostError } from './leadership-lost.js';
import { LEASE_KIND, leaseLock } from './lease-lock.js';
import { isMicroTime } from './micro-time.js';
import type { LeaderElectionOptions, StoppedLeadingReason } from './options.js';

// client-go's table cases and the timing rules, in fake time, against the fake API server over
// HTTP: the Lease semantics (create conflicts, resourceVersion guards) are a real server's.

let server: FakeApiServer;
let client: Client;
let counter = 0;

beforeAll(async () => {
  server = await startFakeApiServer();
  client = createClient({ kubeconfig: server.kubeconfigPath });
});
afterAll(async () => {
  client?.close();
  await server?.stop();
});

/** What one elector did, in the clock's time. */
interface Log {
  started: number[];
  stopped: { at: number; reason: StoppedLeadingReason }[];
  leaders: string[];
  signals: AbortSignal[];
}

/** A test's world: one Lease, one fake clock, electors whose lock calls the clock waits for. */
function world(opts: { base?: FakeClock } = {}) {
  const name = `lease-${++counter}`;
  const locks: TrackedLock[] = [];
  const clock = opts.base ?? new FakeClock(settleLocks(locks));
  const electors: LeaderElector[] = [];
  const elector = (identity: string, extra: Partial<LeaderElectionOptions> & { clock?: Clock } = {}) => {
    const lock = new TrackedLock(leaseLock(client, { name }));
    locks.push(lock);
    const log: Log = { started: [], stopped: [], leaders: [], signals: [] };
    const e = new LeaderElector({
      client,
      name,
      identity,
      clock,
      lock,
      onStartedLeading: (signal) => {
        log.started.push(clock.now());
        log.signals.push(signal);
      },
      onStoppedLeading: (reason) => log.stopped.push({ at: clock.now(), reason }),
      onNewLeader: (id) => log.leaders.push(id),
      ...extra,
    });
    electors.push(e);
    return { e, lock, log };
  };
  const lease = () => client.get<Lease>(LEASE_KIND, name);
  const seed = (spec: Lease['spec']) =>
    client.create<Lease>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec });
  return { name, clock, elector, lease, seed, locks, electors };
}

describe('leader election in fake time (client-go table cases)', () => {
  it('acquires a Lease that does not exist by creating it', async () => {
    const w = world();
    const a = w.elector('a');
    a.e.start();
    await w.clock.advance(0);
    expect(a.e.isLeader()).toBe(true);
    expect(a.e.leaderElectionMasterStatus).toBe(1);
    expect(a.log.started).toEqual([0]);
    expect(a.log.leaders).toEqual(['a']);
    const spec = (await w.lease()).spec!;
    expect(spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(isMicroTime(spec.acquireTime)).toBe(true);
    expect(spec.renewTime).toBe(spec.acquireTime);
    await a.e.stop();
  });

  it('does not acquire a Lease that another holder keeps renewing', async () => {
    const w = world();
    const a = w.elector('a');
    const b = w.elector('b');
    a.e.start();
    await w.clock.advance(0);
    b.e.start();
    await w.clock.advance(60_000);
    expect(a.e.isLeader()).toBe(true);
    expect(b.e.isLeader()).toBe(false);
    expect(b.log.started).toEqual([]);
    expect(b.e.leader).toBe('a');
    expect(b.log.leaders).toEqual(['a']);
    // Thirty renewals in a minute, one per retry period, and no takeover.
    expect((await w.lease()).spec?.leaseTransitions).toBe(0);
    expect(a.lock.calls.update).toBeGreaterThanOrEqual(29);
    await Promise.all([a.e.stop(), b.e.stop()]);
  });

  it.each([
    ['an hour behind', -3_600_000],
    ['an hour ahead', 3_600_000],
    ['equal to the local one', 0],
  ])(
    'takes over an unrenewed Lease exactly leaseDuration after it saw the record change, whatever the renewTime (holder clock %s)',
    async (_what, offset) => {
      const w = world();
      const written = new Date(w.clock.date().getTime() + offset).toISOString().replace('Z', '000Z');
      await w.seed({
        holderIdentity: 'ghost',
        leaseDurationSeconds: 15,
        acquireTime: written,
        renewTime: written,
        leaseTransitions: 4,
      });
      const b = w.elector('b');
      b.e.start();
      await w.clock.advance(14_999);
      expect(b.e.isLeader()).toBe(false);
      expect(b.e.leader).toBe('ghost');
      await w.clock.advance(1);
      expect(b.e.isLeader()).toBe(true);
      expect(b.log.started).toEqual([15_000]);
      expect((await w.lease()).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 5 });
      await b.e.stop();
    },
  );

  it('waits the holder’s announced leaseDurationSeconds, not its own', async () => {
    const w = world();
    await w.seed({ holderIdentity: 'ghost', leaseDurationSeconds: 40, leaseTransitions: 0 });
    const b = w.elector('b');
    b.e.start();
    await w.clock.advance(39_999);
    expect(b.e.isLeader()).toBe(false);
    await w.clock.advance(1);
    expect(b.e.isLeader()).toBe(true);
    await b.e.stop();
  });

  it('acquires a released Lease (empty holder) at once', async () => {
    const w = world();
    await w.seed({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 2 });
    const b = w.elector('b');
    b.e.start();
    await w.clock.advance(0);
    expect(b.e.isLeader()).toBe(true);
    expect((await w.lease()).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 3 });
    await b.e.stop();
  });

  it('renews every retryPeriod, keeping acquireTime and leaseTransitions', async () => {
    const w = world();
    const a = w.elector('a');
    a.e.start();
    await w.clock.advance(0);
    const first = await w.lease();
    await w.clock.advance(2_000);
    const second = await w.lease();
    expect(second.spec?.renewTime).not.toBe(first.spec?.renewTime);
    expect(second.spec?.acquireTime).toBe(first.spec?.acquireTime);
    expect(second.spec?.leaseTransitions).toBe(first.spec?.leaseTransitions);
    expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));
    const before = a.lock.calls.update;
    await w.clock.advance(20_000);
    expect(a.lock.calls.update - before).toBe(10);
    // The holder renews the version it wrote without reading it first.
    expect(a.lock.calls.get).toBe(1);
    await a.e.stop();
  });

  it('retries a failing renewal every retryPeriod and stops leading renewDeadline after the last renewal was sent', async () => {
    const w = world();
    const a = w.elector('a');
    a.e.start();
    await w.clock.advance(0);
    a.lock.partitioned = true;
    const before = a.lock.calls.update + a.lock.calls.get;
    await w.clock.advance(9_999);
    expect(a.e.isLeader()).toBe(true);
    // Attempts at 2, 4, 6 and 8 s, each failing.
    expect(a.lock.calls.update + a.lock.calls.get - before).toBe(4);
    await w.clock.advance(1);
    expect(a.e.isLeader()).toBe(false);
    expect(a.e.leaderElectionMasterStatus).toBe(0);
    expect(a.log.stopped).toEqual([{ at: 10_000, reason: 'renew-deadline' }]);
    const signal = a.log.signals[0]!;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(LeadershipLostError);
    expect((signal.reason as LeadershipLostError).reason).toBe('renew-deadline');
    expect(String(a.e.lastError)).toMatch(/test partition/);
    await a.e.stop();
  });

  it('leads again after its partition heals when nobody took over', async () => {
    const w = world();
    const a = w.elector('a');
    a.e.start();
    await w.clock.advance(0);
    a.lock.partitioned = true;
    await w.clock.advance(11_000);
    expect(a.e.isLeader()).toBe(false);
    a.lock.partitioned = false;
    await w.clock.advance(2_000);
    expect(a.e.isLeader()).toBe(true);
    expect(a.log.started.length).toBe(2);
    expect(a.log.signals[1]!.aborted).toBe(false);
    await a.e.stop();
  });

  it('stops leading at once when a renewal finds another holder', async () => {
    const w = world();
    const a = w.elector('a');
    a.e.start();
    await w.clock.advance(0);
    const current = await w.lease();
    await client.update({ ...current, spec: { ...current.spec, holderIdentity: 'intruder' } });
    await w.clock.advance(2_000);
    expect(a.e.isLeader()).toBe(false);
    expect(a.log.stopped).toEqual([{ at: 2_000, reason: 'lost' }]);
    expect(a.log.leaders).toEqual(['a', 'intruder']);
    await a.e.stop();
  });

  it('lets exactly one of two candidates take one expiry: the other gets 409 Conflict', async () => {
    const w = world();
    await w.seed({ holderIdentity: 'ghost', leaseDurationSeconds: 15, leaseTransitions: 0 });
    const b = w.elector('b');
    const c = w.elector('c');
    b.e.start();
    c.e.start();
    await w.clock.advance(15_000);
    expect([b.e.isLeader(), c.e.isLeader()].filter(Boolean)).toHaveLength(1);
    expect((await w.lease()).spec?.leaseTransitions).toBe(1);
    await w.clock.advance(30_000);
    expect([b.e.isLeader(), c.e.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(b.log.started.length + c.log.started.length).toBe(1);
    await Promise.all([b.e.stop(), c.e.stop()]);
  });

  it('releases on stop: an empty holder and leaseDurationSeconds 1, keeping leaseTransitions', async () => {
    const w = world();
    await w.seed({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 7 });
    const a = w.elector('a');
    a.e.start();
    await w.clock.advance(0);
    await a.e.stop();
    expect((await w.lease()).spec).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      leaseTransitions: 8,
    });
    expect(a.log.stopped).toEqual([{ at: 0, reason: 'stopped' }]);
  });

  it('keeps the Lease, renewing it, until the leading work has settled, then releases it', async () => {
    const w = world();
    let finish = () => {};
    const work = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const a = w.elector('a', { onStartedLeading: () => work });
    a.e.start();
    await w.clock.advance(0);
    const stopped = a.e.stop();
    const renewTime = (await w.lease()).spec?.renewTime;
    await w.clock.advance(6_000);
    expect(a.e.signal).toBeUndefined();
    expect(a.e.isLeader()).toBe(false);
    const held = (await w.lease()).spec!;
    expect(held.holderIdentity).toBe('a');
    expect(held.renewTime).not.toBe(renewTime);
    finish();
    await stopped;
    expect((await w.lease()).spec?.holderIdentity).toBe('');
  });

  it('hands a released Lease to a waiting candidate within one retryPeriod', async () => {
    const w = world();
    const a = w.elector('a');
    const b = w.elector('b');
    a.e.start();
    await w.clock.advance(0);
    b.e.start();
    await w.clock.advance(5_000);
    await a.e.stop();
    const releasedAt = w.clock.now();
    for (let i = 0; i < 40 && !b.e.isLeader(); i++) await w.clock.advance(50);
    expect(b.e.isLeader()).toBe(true);
    expect(b.log.started[0]! - releasedAt).toBeLessThanOrEqual(2_000);
    await b.e.stop();
  });

  it('replaces a leader that went silent within leaseDuration + retryPeriod of its last renewal, without overlap', async () => {
    const w = world();
    const a = w.elector('a');
    const b = w.elector('b');
    a.e.start();
    await w.clock.advance(0);
    b.e.start();
    await w.clock.advance(7_000);
    const lastRenewal = 6_000;
    a.lock.partitioned = true;
    for (let i = 0; i < 400 && !b.e.isLeader(); i++) await w.clock.advance(50);
    const takeover = b.log.started[0]!;
    const ended = a.log.stopped[0]!;
    expect(ended).toEqual({ at: lastRenewal + 10_000, reason: 'renew-deadline' });
    expect(takeover - lastRenewal).toBeLessThanOrEqual(15_000 + 2_000);
    // The margin that keeps the two terms apart: leaseDuration - renewDeadline, at least.
    expect(takeover - ended.at).toBeGreaterThanOrEqual(5_000);
    await Promise.all([a.e.stop(), b.e.stop()]);
  });

  it.each([
    { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, overlaps: true },
    { leaseDurationMs: 30_000, renewDeadlineMs: 10_000, overlaps: false },
  ])(
    'with the follower’s clock running 2× fast: two leaders overlap only when leaseDuration/renewDeadline ≤ 2 ($leaseDurationMs/$renewDeadlineMs)',
    async ({ leaseDurationMs, renewDeadlineMs, overlaps }) => {
      const locks: TrackedLock[] = [];
      const base = new FakeClock(settleLocks(locks));
      const w = world({ base });
      const timing = { leaseDurationMs, renewDeadlineMs };
      const a = w.elector('a', timing);
      const b = w.elector('b', { ...timing, clock: new ScaledClock(base, 2) });
      locks.push(a.lock, b.lock);
      a.e.start();
      await base.advance(0);
      b.e.start();
      await base.advance(4_000);
      a.lock.partitioned = true;
      for (let i = 0; i < 800 && !b.e.isLeader(); i++) await base.advance(50);
      await base.advance(renewDeadlineMs);
      // Both logs are in base (real) time; only b's election runs on the fast clock.
      const aEnded = a.log.stopped[0]!.at;
      const bStarted = b.log.started[0]!;
      expect(bStarted < aEnded).toBe(overlaps);
      await Promise.all([a.e.stop(), b.e.stop()]);
    },
  );
});

describe('leader election options', () => {
  const options = (timing: Partial<LeaderElectionOptions>) =>
    new LeaderElector({ client, name: 'x', namespace: 'ns', identity: 'me', ...timing });

  it('defaults to client-go’s 15 s / 10 s / 2 s and releases on stop', () => {
    const e = options({});
    expect(e.timing).toEqual({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    expect(e.releaseOnCancel).toBe(true);
  });

  it.each([
    [
      { leaseDurationMs: 10_000 },
      'leaseDurationMs',
      /leaseDurationMs \(10000\) must be greater than renewDeadlineMs \(10000\)/,
    ],
    [
      { renewDeadlineMs: 2_400 },
      'renewDeadlineMs',
      /renewDeadlineMs \(2400\) must be greater than 1\.2 × retryPeriodMs \(2400\)/,
    ],
    [
      { leaseDurationMs: 2_500, renewDeadlineMs: 2_000, retryPeriodMs: 500 },
      'leaseDurationMs',
      /whole number of seconds/,
    ],
    [{ retryPeriodMs: 0 }, 'retryPeriodMs', /retryPeriodMs must be a positive number/],
    [{ renewDeadlineMs: Number.NaN }, 'renewDeadlineMs', /renewDeadlineMs must be a positive number/],
  ])('refuses %o, naming %s and the Lease', (timing, option, message) => {
    let error: unknown;
    try {
      options(timing);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'LeaderElectionConfigError', option });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('lease ns/x');
  });

  it('refuses an empty identity', () => {
    expect(() => options({ identity: '' })).toThrow(/identity is empty; use a name unique to this replica/);
  });
});
