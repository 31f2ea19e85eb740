import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessConsumer, inProcessServer } from '../__fixtures__/in-process.js';
import type { PeerName } from '../consumers/protocol.js';
import type { BenchServer } from '../servers/fake.js';
import { type ChurnPlan, churnSteps, churnTurns, pairWrites, runChurn } from './churn.js';
import type { Collection } from './context.js';

const c: Collection = { kind: 'ConfigMap', namespace: 'churn', n: 50 };
let server: BenchServer;

beforeAll(async () => {
  server = await inProcessServer([c]);
});
afterAll(() => server.stop());

/** A churn run of both peers, two rounds of a small plan (with `how`): the plan, the log, the results. */
async function churnOfBoth(how: Pick<ChurnPlan, 'paired' | 'pilot'>) {
  const plan = {
    trickle: 3,
    steady: { count: 20, ratePerSec: 200 },
    burst: { count: 10 },
    rounds: 2,
    ...how,
  };
  const logged: string[] = [];
  const results = await runChurn(
    { server, log: (line) => logged.push(line), startConsumer: inProcessConsumer },
    c,
    ['kates', 'client-node'],
    plan,
  );
  return { plan, logged, results };
}

describe('the churn scenario', () => {
  it('follows trickle, steady and burst writes to a final snapshot equal to the server', async () => {
    const results = await runChurn(
      { server, log: () => {}, startConsumer: inProcessConsumer },
      c,
      ['kates', 'entity-adapter', 'client-node'],
      { trickle: 3, steady: { count: 30, ratePerSec: 200 }, burst: { count: 40 }, pilot: true },
    );
    for (const r of results) {
      expect(r.error, r.peer).toBeUndefined();
      expect(r.correct, r.peer).toBe(true);
      expect(r.updateAfterOneUs?.n, r.peer).toBeGreaterThanOrEqual(3);
      // Every Node consumer counts the page faults of each of those reads.
      expect(r.updatePageFaults?.n, r.peer).toBe(r.updateAfterOneUs?.n);
      expect(r.steady?.events, r.peer).toBeGreaterThan(0);
      expect(r.steady?.p99Ms, r.peer).toBeGreaterThanOrEqual(r.steady?.p50Ms ?? Number.NaN);
      // The ramp (100 writes at 200/s) is timed apart: none of its changes is a steady sample, nor
      // any of the pilot's (kates-ts' process before the counted ones).
      expect(r.steady?.rampP99Ms, r.peer).toBeGreaterThan(0);
      expect(r.steady?.events, r.peer).toBeLessThanOrEqual(31);
      expect(r.burst?.events, r.peer).toBe(41);
      expect(r.burst?.ingestedPerSec, r.peer).toBeGreaterThan(0);
      // Every peer here reads through undici: the client's part of a change is measured, and is a
      // part of the whole.
      expect(r.trickleClientUs?.n, r.peer).toBeGreaterThan(0);
      expect(r.trickleClientUs!.median, r.peer).toBeLessThan(r.trickleLatencyMs!.median * 1000);
    }
  });

  it('runs each peer once per round, the order reversed every other round', () => {
    expect(churnTurns(['kates', 'client-node'], 1)).toEqual(['kates', 'client-node']);
    expect(churnTurns(['kates', 'client-node'], 2)).toEqual(['kates', 'client-node', 'client-node', 'kates']);
    expect(churnTurns(['kates', 'client-node'], 3)).toEqual([
      'kates',
      'client-node',
      'client-node',
      'kates',
      'kates',
      'client-node',
    ]);
  });

  it('runs the peers side by side, each round in the order of its turns', () => {
    expect(churnSteps(['kates', 'client-node'], 2)).toEqual([
      ['kates'],
      ['client-node'],
      ['client-node'],
      ['kates'],
    ]);
    expect(churnSteps(['kates', 'client-node'], 3, true)).toEqual([
      ['kates', 'client-node'],
      ['client-node', 'kates'],
      ['kates', 'client-node'],
    ]);
  });

  it('gives peers side by side the same writes, each its own samples, and one burst a peer', async () => {
    const { plan, logged, results } = await churnOfBoth({ paired: true });
    for (const r of results) {
      expect(r.error, r.peer).toBeUndefined();
      expect(r.correct, r.peer).toBe(true);
      // Two processes a peer, each of which saw every steady write of its round (and the marker).
      expect(r.steady?.events, r.peer).toBe(2 * (plan.steady.count + 1));
      expect(r.trickleLatencyMs?.n, r.peer).toBeGreaterThanOrEqual(2 * plan.trickle);
      expect(r.burst?.events, r.peer).toBe(plan.burst.count + 1);
    }
    expect(
      logged
        .filter((l) => l.includes('steady p50'))
        .map((l) => l.split(':')[0]?.split(' ').slice(4).join(' ')),
    ).toEqual(['kates', 'client-node', 'client-node', 'kates']);
    expect(logged.filter((l) => l.includes('burst of')).length).toBe(2);
    // Every single write of both rounds, seen by both: kates-ts' latency minus client-node's.
    const [kates, clientNode] = results;
    expect(kates?.trickleVersusKatesUs).toBeUndefined();
    expect(clientNode?.trickleVersusKatesUs?.n).toBeGreaterThanOrEqual(2 * plan.trickle);
  });

  it('pairs the latencies of the writes both peers saw, kates-ts minus the other', () => {
    const phase = (latenciesUs: number[], sentUs: number[]) => ({
      type: 'phase' as const,
      phase: 'trickle',
      updates: latenciesUs.length,
      latenciesUs,
      sentUs,
      updateUs: [],
      endUs: 0,
      count: 0,
      digest: '',
      peakRssBytes: 0,
    });
    const seat = (peer: PeerName) => ({ peer, run: { trickleVersusKatesUs: [] as number[] } });
    const kates = seat('kates');
    const clientNode = seat('client-node');
    // Write 300 only kates-ts saw (client-node's process had failed by then), 400 only client-node.
    pairWrites(
      new Map([
        [kates, phase([2500, 2700, 2600], [100, 200, 300])],
        [clientNode, phase([2400, 2900, 3000], [100, 200, 400])],
      ]),
    );
    expect(clientNode.run.trickleVersusKatesUs).toEqual([100, -200]);
    expect(kates.run.trickleVersusKatesUs).toEqual([]);
  });

  it("pools a peer's processes: the samples of every round, the burst of its last", async () => {
    const { plan, logged, results } = await churnOfBoth({ pilot: true });
    expect(results.map((r) => r.peer)).toEqual(['kates', 'client-node']);
    for (const r of results) {
      expect(r.error, r.peer).toBeUndefined();
      expect(r.correct, r.peer).toBe(true);
      // Two processes of 3 single writes each (and each phase's marker): more than one process has.
      expect(r.trickleLatencyMs?.n, r.peer).toBeGreaterThanOrEqual(2 * plan.trickle);
      expect(r.steady?.events, r.peer).toBeGreaterThan(plan.steady.count);
      expect(r.burst?.events, r.peer).toBe(plan.burst.count + 1);
    }
    // The pilot (the first peer's, counted nowhere), then A B B A, and one burst a peer.
    expect(
      logged
        .filter((l) => l.includes('steady p50'))
        .map((l) => l.split(':')[0]?.split(' ').slice(4).join(' ')),
    ).toEqual(['kates (pilot, not counted)', 'kates', 'client-node', 'client-node', 'kates']);
    // Two processes' steady writes (and each one's marker), none of the pilot's.
    for (const r of results)
      expect(r.steady?.events, r.peer).toBeLessThanOrEqual(2 * (plan.steady.count + 1));
    expect(logged.filter((l) => l.includes('burst of')).length).toBe(2);
  });
});
