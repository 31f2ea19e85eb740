import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../../testing/src/cluster/cluster.js';
import { type FaultProxy, kubeconfigVia, startFaultProxy } from '../../../testing/src/proxy/index.js';
import { realCluster } from '../../../testing/src/vitest/cluster.js';
import { recordControllerSession } from './__fixtures__/controller-session.js';
import { expectFaithfulReplay } from './__fixtures__/faithful.js';
import { fileSink, readRecordingFile } from './file-sink.js';

// An own API server: the session compacts etcd, which would disturb other tests. Without the
// watch cache, a watch from a compacted resourceVersion gets 410 Gone from etcd, as in a cluster
// whose watch cache has moved past it.
describe.skipIf(!realCluster())('a controller session on the real API server', () => {
  let cluster: Cluster;
  let proxy: FaultProxy;
  let dir: string;
  beforeAll(async () => {
    cluster = await startCluster({ watchCache: false, onProgress: () => {} });
    const { hostname, port } = new URL(cluster.server);
    proxy = await startFaultProxy({ target: { host: hostname, port: Number(port) } });
    dir = mkdtempSync(join(tmpdir(), 'kates-session-'));
  });
  afterAll(async () => {
    await proxy?.stop();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records to a file and replays with identical snapshots at every step, through a relist after compaction', async () => {
    const path = join(dir, 'session.jsonl');
    const session = await recordControllerSession(
      {
        kubeconfigPath: kubeconfigVia(cluster.kubeconfigPath, proxy.port, join(dir, 'via-proxy.kubeconfig')),
        directKubeconfigPath: cluster.kubeconfigPath,
        async outage(_namespace, during) {
          // The watches hear nothing, others write, history expires, then the connections drop.
          proxy.stall();
          await during();
          await cluster.compact();
          proxy.cutAll();
          proxy.resume();
        },
      },
      fileSink(path),
    );
    const text = readFileSync(path, 'utf8');
    expectFaithfulReplay(session, text, [cluster.token]);
    expect(readRecordingFile(path).actions.length).toBe(session.live.length - 1);
    console.log(
      `real session: ${session.live.length - 1} actions, ${text.length} bytes, ` +
        `hashing ${session.stats.hashMs.toFixed(1)} ms, writing ${session.stats.writeMs.toFixed(1)} ms`,
    );
  }, 120_000);
});
