import { afterAll, beforeAll } from 'vitest';
import { type TestTarget, testTarget } from '../../../../testing/src/test-target.js';
import { realCluster } from '../../../../testing/src/vitest/cluster.js';
import type { Client } from '../client.js';
import { createClient } from '../create-client.js';

/**
 * Whether an API server is there to test against: the fake one (`KATES_TEST_SERVER=fake`) or the
 * real one the global setup started (never missing under CI).
 */
export const cluster: boolean = process.env.KATES_TEST_SERVER === 'fake' || realCluster() !== null;

let counter = 0;
/** A name unique within the run: `prefix-<time>-<n>`. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/**
 * The API server of this test file (see `testTarget`), started before its tests and stopped after.
 * Read `.kubeconfigPath` inside tests.
 */
export function useTestServer(): { readonly kubeconfigPath: string; readonly kind: TestTarget['kind'] } {
  let target: TestTarget | undefined;
  const holder = {
    get kubeconfigPath(): string {
      if (!target) throw new Error('the test server is not started yet: read kubeconfigPath inside a test');
      return target.kubeconfigPath;
    },
    get kind(): TestTarget['kind'] {
      return target?.kind ?? 'real';
    },
  };
  beforeAll(async () => {
    if (cluster) target = await testTarget();
  });
  afterAll(async () => {
    await target?.stop();
  });
  return holder;
}

/**
 * A client whose default namespace is created for this test file (so files run in parallel) and
 * deleted after it, on the server whose kubeconfig `kubeconfigPath()` names (undefined: no server,
 * nothing is done). Read `.client` and `.namespace` inside tests.
 */
export function useNamespaceOn(
  prefix: string,
  kubeconfigPath: () => string | undefined,
): {
  readonly client: Client;
  readonly namespace: string;
} {
  const holder = { client: undefined as unknown as Client, namespace: uniqueName(prefix) };
  beforeAll(async () => {
    const kubeconfig = kubeconfigPath();
    if (!kubeconfig) return;
    holder.client = createClient({ kubeconfig, namespace: holder.namespace });
    await holder.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: holder.namespace } });
  });
  afterAll(async () => {
    if (!holder.client) return;
    await holder.client.delete({ kind: 'Namespace', name: holder.namespace }).catch(() => undefined);
    holder.client.close();
  });
  return holder;
}

/** {@link useNamespaceOn} the test server of this file (see `testTarget`). */
export function useClusterNamespace(prefix: string): {
  readonly client: Client;
  readonly namespace: string;
  readonly kubeconfigPath: string;
} {
  const server = useTestServer();
  const ns = useNamespaceOn(prefix, () => (cluster ? server.kubeconfigPath : undefined));
  return {
    get client() {
      return ns.client;
    },
    namespace: ns.namespace,
    get kubeconfigPath() {
      return server.kubeconfigPath;
    },
  };
}
