import { startCluster } from '@kates/testing';
import { Driver } from '../driver.js';
import type { Collection } from '../scenarios/context.js';
import type { BenchServer } from './fake.js';

/**
 * A real kube-apiserver with etcd (built from the Go module proxy, cached), with the collections
 * created through its API, `concurrency` writes in flight. It cannot stall watches on command.
 */
export async function startRealServer(
  collections: readonly Collection[],
  log: (line: string) => void,
  concurrency = 32,
): Promise<BenchServer> {
  const cluster = await startCluster({ onProgress: log });
  const t0 = performance.now();
  try {
    for (const c of collections) {
      const driver = new Driver(cluster.kubeconfigPath, c.kind, c.namespace);
      try {
        await driver.create(c.n, concurrency);
      } finally {
        driver.close();
      }
    }
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return {
    name: 'real',
    kubeconfigPath: cluster.kubeconfigPath,
    setupMs: performance.now() - t0,
    stop: () => cluster.stop(),
  };
}
