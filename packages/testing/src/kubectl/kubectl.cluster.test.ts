import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../cluster/cluster.js';
import { type FakeApiServer, startFakeApiServer } from '../fake/server.js';
import { ensureKubectl } from './binary.js';
import { compareSession, type StepComparison } from './compare.js';
import { formatComparison, unexpected } from './report.js';

/**
 * kubectl of the test cluster's release, run through the whole session on the fake and on a real
 * kube-apiserver of its own (the shared one carries other tests' CRDs, which `api-versions` would
 * show). Built once per machine like the cluster; about two and a half minutes on two cores.
 */
describe('kubectl against the fake and the real API server', () => {
  let cluster: Cluster;
  let fake: FakeApiServer;
  let results: StepComparison[];

  beforeAll(async () => {
    const kubectl = await ensureKubectl();
    cluster = await startCluster({ onProgress: () => {} });
    fake = await startFakeApiServer();
    results = await compareSession(
      kubectl,
      { kubeconfigPath: fake.kubeconfigPath, url: fake.httpsUrl },
      { kubeconfigPath: cluster.kubeconfigPath, url: cluster.server },
    );
  }, 600_000);
  afterAll(async () => {
    await fake?.stop();
    await cluster?.stop();
  });

  it('answers every command of the session the same, but for the differences marked with their cause', () => {
    const wrong = unexpected(results);
    expect(
      wrong.map((r) => r.step.command),
      formatComparison(wrong, true),
    ).toEqual([]);
  });

  it('answers at least 179 of the 183 commands the same', () => {
    // The summary line and the differences by cause, in the log of every run.
    process.stderr.write(`${formatComparison(results)}\n`);
    expect(results).toHaveLength(183);
    expect(results.filter((r) => r.same).length, formatComparison(results)).toBeGreaterThanOrEqual(179);
  });
});
