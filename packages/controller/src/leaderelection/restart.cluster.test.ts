import { type Client, createClient } from '@kates/core';
import { type Cluster, startCluster } from '@kates/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { LeaderElector } from './elector.js';
import type { LeadershipLostError } from './leadership-lost.js';

// kube-apiserver restarts while a leader renews (a cluster of its own: a restart would disturb
// every other test file). Three candidates, each with a client of its own. Checked: no two
// terms overlap, and after the API server is back exactly one leader within leaseDuration +
// retryPeriod.

const TIMING = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 } as const;
const SLACK_MS = 2_000;

describe.skipIf(!realCluster())('leader election across a kube-apiserver restart', () => {
  let cluster: Cluster;
  const clients: Client[] = [];
  beforeAll(async () => {
    cluster = await startCluster({ onProgress: () => {} });
  }, 180_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await cluster?.stop();
  });

  it('keeps terms apart while the API server is down, and has exactly one leader within leaseDuration + retryPeriod after it is back', async () => {
    const terms: { who: string; start: number; end?: number }[] = [];
    const electors = ['a', 'b', 'c'].map((identity) => {
      const client = createClient({ kubeconfig: cluster.kubeconfigPath });
      clients.push(client);
      return new LeaderElector({
        client,
        name: 'restart',
        identity,
        ...TIMING,
        onStartedLeading: (signal) => {
          const term: { who: string; start: number; end?: number } = {
            who: identity,
            start: performance.now(),
          };
          terms.push(term);
          signal.addEventListener('abort', () => {
            term.end = (signal.reason as LeadershipLostError).endedAt;
          });
        },
      }).start();
    });
    const leaders = () => electors.filter((e) => e.isLeader());
    const until = async (test: () => boolean, ms: number, what: string) => {
      const start = performance.now();
      while (!test()) {
        if (performance.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return performance.now() - start;
    };
    await until(() => leaders().length === 1, 10_000, 'a first leader');
    await new Promise((r) => setTimeout(r, 1_500));

    const restarting = performance.now();
    await cluster.restartApiServer();
    const downMs = performance.now() - restarting;
    const oneLeaderMs = await until(
      () => leaders().length === 1,
      TIMING.leaseDurationMs + TIMING.retryPeriodMs + SLACK_MS,
      'exactly one leader after the restart',
    );
    await new Promise((r) => setTimeout(r, TIMING.leaseDurationMs));
    expect(leaders()).toHaveLength(1);

    const ordered = [...terms].sort((x, y) => x.start - y.start);
    for (let i = 1; i < ordered.length; i++)
      expect(
        ordered[i - 1]!.end,
        `${ordered[i - 1]!.who}'s term overlaps ${ordered[i]!.who}'s`,
      ).toBeLessThanOrEqual(ordered[i]!.start);
    console.log(
      `restart: kube-apiserver down ${Math.round(downMs)} ms; terms ${ordered.map((t) => t.who).join(' → ')}; ` +
        `one leader ${Math.round(oneLeaderMs)} ms after it was back`,
    );
    await Promise.all(electors.map((e) => e.stop()));
  }, 120_000);
});
