import { type Client, createClient } from '@kates/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { TrackedLock } from './__fixtures__/tracked-lock.js';
import { LeaderElector } from './elector.js';
import { leaseLock } from './lease-lock.js';
import { LEADER_ELECTION_DEFAULTS } from './options.js';

// Handover times with client-go's default durations (15 s / 10 s / 2 s) on kube-apiserver, over
// 20 elections run side by side (one Lease each): after a release (graceful stop), and after the
// leader goes silent without releasing (as after kill -9: from the API server's side the Lease
// simply stops being renewed). Printed as median and max; bounded by the rules.

const RUNS = 20;
const { leaseDurationMs, retryPeriodMs, renewDeadlineMs } = LEADER_ELECTION_DEFAULTS;
const SLACK_MS = 1_500;
const cluster = realCluster();

interface Pair {
  readonly leader: LeaderElector;
  readonly leaderLock: TrackedLock;
  readonly follower: LeaderElector;
  followerStarted?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const summary = (xs: number[]) => ({
  runs: xs.length,
  medianMs: Math.round(median(xs)),
  maxMs: Math.round(Math.max(...xs)),
  minMs: Math.round(Math.min(...xs)),
});

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!test()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!cluster)(
  `handover with client-go's defaults, ${RUNS} elections at once on kube-apiserver`,
  () => {
    let client: Client;
    const prefix = `handover-${Date.now().toString(36)}`;
    beforeAll(() => {
      client = createClient({ kubeconfig: cluster!.kubeconfigPath });
    });
    afterAll(() => client?.close());

    async function pairs(kind: string): Promise<Pair[]> {
      const made: Pair[] = Array.from({ length: RUNS }, (_, i) => {
        const name = `${prefix}-${kind}-${i}`;
        const leaderLock = new TrackedLock(leaseLock(client, { name }));
        const pair = {
          leader: new LeaderElector({ client, name, identity: 'leader', lock: leaderLock }),
          leaderLock,
        } as Pair;
        (pair as { follower: LeaderElector }).follower = new LeaderElector({
          client,
          name,
          identity: 'follower',
          onStartedLeading: () => {
            pair.followerStarted = performance.now();
          },
        });
        return pair;
      });
      for (const p of made) p.leader.start();
      await until(() => made.every((p) => p.leader.isLeader()), 10_000, 'every leader elected');
      for (const p of made) p.follower.start();
      await until(
        () => made.every((p) => p.follower.leader === 'leader'),
        10_000,
        'every follower sees its leader',
      );
      return made;
    }

    it('hands over within about one retryPeriod after a release, and within leaseDuration + retryPeriod of the last renewal after a crash', async () => {
      const released = await pairs('release');
      // Each leader stops at its own moment within a retry period, so that the followers' polls
      // fall anywhere relative to the release, as they would in life.
      const stoppedAt = await Promise.all(
        released.map(async (p) => {
          await new Promise((r) => setTimeout(r, Math.random() * retryPeriodMs));
          const at = performance.now();
          await p.leader.stop();
          return at;
        }),
      );
      await until(() => released.every((p) => p.followerStarted), leaseDurationMs, 'every follower leads');
      const release = released.map((p, i) => p.followerStarted! - stoppedAt[i]!);

      const crashed = await pairs('crash');
      // Let a few renewals happen, then cut every leader off at once, as kill -9 would.
      await new Promise((r) => setTimeout(r, 2 * retryPeriodMs + 300));
      const lastRenewals = crashed.map((p) => p.leader.leadingUntil! - renewDeadlineMs);
      const crashedAt = performance.now();
      for (const p of crashed) p.leaderLock.partitioned = true;
      await until(
        () => crashed.every((p) => p.followerStarted),
        leaseDurationMs + retryPeriodMs + 2 * SLACK_MS,
        'every follower takes over',
      );
      const fromCrash = crashed.map((p) => p.followerStarted! - crashedAt);
      const fromLastRenewal = crashed.map((p, i) => p.followerStarted! - lastRenewals[i]!);
      const report = {
        timing: LEADER_ELECTION_DEFAULTS,
        releaseHandover: summary(release),
        crashTakeoverFromCrash: summary(fromCrash),
        crashTakeoverFromLastRenewal: summary(fromLastRenewal),
      };
      console.log(`handover: ${JSON.stringify(report, null, 2)}`);

      expect(Math.max(...release)).toBeLessThan(retryPeriodMs + SLACK_MS);
      // Never before leaseDuration after the last renewal was sent; within leaseDuration +
      // retryPeriod of the crash (counted from the last renewal it also holds the renewal's own
      // latency, which a loaded API server stretches).
      expect(Math.min(...fromLastRenewal)).toBeGreaterThanOrEqual(leaseDurationMs);
      expect(Math.max(...fromCrash)).toBeLessThan(leaseDurationMs + retryPeriodMs + SLACK_MS);
      await Promise.all(
        [...released, ...crashed].flatMap((p) => {
          p.leaderLock.partitioned = false;
          return [p.leader.stop(), p.follower.stop()];
        }),
      );
    }, 90_000);
  },
);
