import { createNodeTransport, type KubernetesList, type KubernetesObject } from '@kates/core';
import { collectionPath } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { RESOURCES } from '../resources.js';
import { settledHeap } from '../stats.js';
import { type ConsumerConfig, type ConsumerLine, digestOf } from './protocol.js';

/** Page size of every paginated LIST in the benchmarks (the reflector's default). */
export const LIST_PAGE_SIZE = 500;

/**
 * The floor of a bootstrap: the paginated LIST fetched and parsed, the items kept, nothing else.
 * No library can reach the first snapshot faster over the same transport; its heap per object is
 * "the raw parsed objects" that store memory is compared with.
 */
export async function runFloor(config: ConsumerConfig, emit: (line: ConsumerLine) => void): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(config.kubeconfig);
  const transport = createNodeTransport(kc);
  try {
    const baseHeap = settledHeap();
    const t0 = performance.now();
    const items = await listAll(transport, config);
    const ms = performance.now() - t0;
    if (items.length !== config.expect)
      throw new Error(`the LIST returned ${items.length} ${config.kind}s, expected ${config.expect}`);
    emit({
      type: 'bootstrapped',
      ms,
      count: items.length,
      heapBytes: settledHeap() - baseHeap,
      rssBytes: process.memoryUsage.rss(),
      digest: digestOf(items),
    });
  } finally {
    transport.close();
  }
}

/** Every object of the collection, by pages of {@link LIST_PAGE_SIZE}. */
export async function listAll(
  transport: ReturnType<typeof createNodeTransport>,
  config: Pick<ConsumerConfig, 'kind' | 'namespace'>,
): Promise<KubernetesObject[]> {
  const path = collectionPath(RESOURCES[config.kind], config.namespace);
  const items: KubernetesObject[] = [];
  let continueToken: string | undefined;
  do {
    // The first page at resourceVersion "0", as the reflectors ask for it (served from the watch cache).
    const res = await transport.request({
      method: 'GET',
      path,
      query: {
        limit: LIST_PAGE_SIZE,
        continue: continueToken,
        resourceVersion: continueToken ? undefined : '0',
      },
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`LIST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    const page = JSON.parse(text) as KubernetesList;
    for (const item of page.items) items.push(item);
    continueToken = page.metadata?.continue || undefined;
  } while (continueToken);
  return items;
}
