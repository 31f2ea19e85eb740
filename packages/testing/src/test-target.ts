import { startFakeApiServer } from './fake/server.js';

/** A server for client and reflector tests: the real kube-apiserver or the fake one. */
export interface TestTarget {
  readonly kubeconfigPath: string;
  readonly kind: 'real' | 'fake';
  /** Stops what this call started (nothing for the shared real cluster). */
  stop(): Promise<void>;
}

/**
 * The one switch between servers: `KATES_TEST_SERVER=fake` starts a fake API server, `real`
 * (the default) uses the real kube-apiserver that vitest's global setup started. Client and
 * reflector tests call this instead of choosing themselves, so the same tests run on either.
 * Call it inside a vitest test file (it reads the global setup's cluster through `inject`).
 */
export async function testTarget(): Promise<TestTarget> {
  const wanted = process.env.KATES_TEST_SERVER ?? 'real';
  if (wanted === 'fake') {
    const server = await startFakeApiServer();
    return { kubeconfigPath: server.kubeconfigPath, kind: 'fake', stop: () => server.stop() };
  }
  if (wanted !== 'real') throw new Error(`KATES_TEST_SERVER=${wanted}: use "real" or "fake"`);
  const { realCluster } = await import('./vitest/cluster.js');
  const cluster = realCluster();
  if (!cluster) {
    throw new Error(
      'KATES_TEST_SERVER=real but no real API server was started (see the skip reason above); ' +
        'set KATES_TEST_SERVER=fake to run against the fake API server',
    );
  }
  return { kubeconfigPath: cluster.kubeconfigPath, kind: 'real', stop: async () => {} };
}
