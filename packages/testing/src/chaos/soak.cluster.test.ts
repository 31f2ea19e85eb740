import { beforeAll, describe, expect, it } from 'vitest';
import { realCluster } from '../vitest/cluster.js';
import { formatSoakReport, runSoak, type SoakReport } from './soak.js';

const cluster = realCluster();

// The CI part of the soak: 25 s is enough to show a socket or a timer left behind by a closed
// client or accumulator, not to judge the heap's trend (`npm run test:soak` does, over 30 min).
describe.skipIf(!cluster)('a 25 s soak of a kates client with watches', () => {
  let report: SoakReport;

  beforeAll(async () => {
    report = await runSoak({
      durationMs: 25_000,
      kubeconfigPath: cluster!.kubeconfigPath,
      measureHeap: false,
    });
    console.log(formatSoakReport(report));
  }, 120_000);

  it('leaves no socket or timer behind once its client and accumulators are closed', () => {
    expect(report.leaked).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('really churned: writes, watch events and snapshot reads, and accumulators opened and closed', () => {
    expect(report.writes).toBeGreaterThan(100);
    expect(report.events).toBeGreaterThan(100);
    expect(report.reads).toBeGreaterThan(10);
    expect(report.accumulatorsOpened).toBeGreaterThan(5);
  });

  it('does not claim to judge the heap of so short a run', () => {
    expect(report.heapJudged).toBe(false);
  });
});
