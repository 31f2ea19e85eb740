import { realCluster } from '../../../../testing/src/vitest/cluster.js';
import type { ProvidedCluster } from '../../../../testing/src/vitest/global-setup.js';
import { useNamespaceOn } from '../../client/__fixtures__/cluster.js';
import type { Client } from '../../client/client.js';

export { uniqueName } from '../../client/__fixtures__/cluster.js';

/**
 * The real kube-apiserver of this run (null only outside CI where it could not be built). The
 * toolbox is tested against the real server on purpose, whatever KATES_TEST_SERVER says: its job
 * is to agree with it.
 */
export const cluster: ProvidedCluster | null = realCluster();

/** A client whose default namespace is created on the real server for this test file and deleted after it. */
export function useNamespace(prefix: string): { readonly client: Client; readonly namespace: string } {
  return useNamespaceOn(prefix, () => cluster?.kubeconfigPath);
}
