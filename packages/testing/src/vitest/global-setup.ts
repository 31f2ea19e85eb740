import type { TestProject } from 'vitest/node';
import { GoMissingError } from '../cluster/binaries.js';
import { type Cluster, startCluster } from '../cluster/cluster.js';
import { ensureProtobufTranscoder } from '../fake/protobuf/build.js';

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
  await buildProtobufCodec();
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

/**
 * Builds the fake API server's protobuf codec (cluster/protobuf) once per machine, before any test
 * starts a fake, so every fake speaks protobuf: about 5 minutes on two cores with Go's build cache
 * empty, seconds once the cluster binaries or kubectl were built (the same packages). Where Go is
 * missing outside CI the run goes on: the fake answers protobuf bodies 415, and the tests that
 * need the codec fail where they build it themselves (`ensureProtobufTranscoder`), as the kubectl
 * comparison does where it cannot build kubectl.
 */
async function buildProtobufCodec(): Promise<void> {
  try {
    const started = Date.now();
    const binary = await ensureProtobufTranscoder();
    process.stderr.write(`[protobuf] codec ready (${binary}) in ${Date.now() - started} ms\n`);
  } catch (e) {
    if (e instanceof GoMissingError && process.env.CI !== 'true') {
      process.stderr.write(`[protobuf] ${e.message}: the fake API server will answer protobuf with 415\n`);
      return;
    }
    throw e;
  }
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
