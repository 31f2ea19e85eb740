import type { TestProject } from 'vitest/node';
import { GoMissingError } from '../cluster/binaries.js';
import { type Cluster, startCluster } from '../cluster/cluster.js';

/** What the global setup hands to test files through `inject('katesCluster')`. */
export interface ProvidedCluster {
  readonly kubeconfigPath: string;
  readonly nobodyKubeconfigPath: string;
  readonly server: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    katesCluster: ProvidedCluster | null;
    katesClusterSkipReason: string;
    /** True in the `unit` project (vitest.config.ts), which starts no API server and no browser. */
    katesUnitProject: boolean;
  }
}

let cluster: Cluster | undefined;

/**
 * Vitest global setup: starts one real kube-apiserver + etcd for the whole run. Where Go is
 * missing the cluster tests skip with a reason, except under CI=true, where the run fails.
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.KATES_TEST_CLUSTER === 'off' && process.env.CI !== 'true') {
    project.provide('katesCluster', null);
    project.provide('katesClusterSkipReason', 'KATES_TEST_CLUSTER=off');
    return;
  }
  try {
    const started = Date.now();
    cluster = await startCluster({ onProgress: (line) => process.stderr.write(`[cluster] ${line}\n`) });
    process.stderr.write(
      `[cluster] kube-apiserver ready at ${cluster.server} in ${Date.now() - started} ms\n`,
    );
    project.provide('katesCluster', {
      kubeconfigPath: cluster.kubeconfigPath,
      nobodyKubeconfigPath: cluster.nobodyKubeconfigPath,
      server: cluster.server,
    });
    project.provide('katesClusterSkipReason', '');
  } catch (e) {
    if (e instanceof GoMissingError && process.env.CI !== 'true') {
      project.provide('katesCluster', null);
      project.provide(
        'katesClusterSkipReason',
        `${e.message} (tests against the real API server are skipped)`,
      );
      return;
    }
    throw e;
  }
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
