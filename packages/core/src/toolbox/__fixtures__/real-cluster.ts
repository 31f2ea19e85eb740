import { afterAll, beforeAll } from 'vitest';
import type { ProvidedCluster } from '../../../../testing/src/vitest/global-setup.js';
import { realCluster } from '../../../../testing/src/vitest/cluster.js';
import type { Client } from '../../client/client.js';
import { createClient } from '../../client/create-client.js';

/**
 * The real kube-apiserver of this run (null only outside CI where it could not be built). The
 * toolbox is tested against the real server on purpose: its job is to agree with it.
 */
export const cluster: ProvidedCluster | null = realCluster();

let counter = 0;
/** A name unique within the run. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** A client whose default namespace is created for this test file and deleted after it. */
export function useNamespace(prefix: string): { readonly client: Client; readonly namespace: string } {
  const holder = { client: undefined as unknown as Client, namespace: uniqueName(prefix) };
  beforeAll(async () => {
    if (!cluster) return;
    holder.client = createClient({ kubeconfig: cluster.kubeconfigPath, namespace: holder.namespace });
    await holder.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: holder.namespace } });
  });
  afterAll(async () => {
    if (!holder.client) return;
    await holder.client.delete({ kind: 'Namespace', name: holder.namespace }).catch(() => undefined);
    holder.client.close();
  });
  return holder;
}
