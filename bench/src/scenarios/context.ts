import { createNodeTransport } from '@kates/core';
import { METADATA_LIST_ACCEPT } from '@kates/core/internal';
import { KubeConfig } from '@kubernetes/client-node';
import { LARGE_PAGE_SIZE, listAll } from '../consumers/floor.js';
import { type ConsumerConfig, digestOf, type PeerName } from '../consumers/protocol.js';
import { type BenchKind, objectName } from '../objects.js';
import { type Consumer, ConsumerProcess } from '../peers/consumer-process.js';
import type { BenchServer } from '../servers/fake.js';
import type { CollectionDigest } from '../servers/read-once.js';

/** What every scenario runs with: one server, the Go kates binary if it built, a log. */
export interface ScenarioContext {
  readonly server: BenchServer;
  readonly goBinary?: string;
  readonly log: (line: string) => void;
  /** Starts a consumer; a fresh process by default (tests run them in-process). */
  readonly startConsumer?: (config: ConsumerConfig) => Consumer | undefined;
}

/** One collection on the server: `n` objects of `kind` in `namespace`. */
export interface Collection {
  readonly kind: BenchKind;
  readonly namespace: string;
  readonly n: number;
}

/** The consumer config of a peer for a collection. */
export function consumerConfig(
  ctx: ScenarioContext,
  peer: PeerName,
  c: Collection,
  extra: Partial<ConsumerConfig> = {},
): ConsumerConfig {
  return {
    peer,
    kubeconfig: ctx.server.kubeconfigPath,
    namespace: c.namespace,
    kind: c.kind,
    expect: c.n,
    phases: [],
    doneName: objectName(c.kind, 0),
    reconcileMs: 0,
    intervalMs: 50,
    timeoutMs: 600_000,
    ...extra,
  };
}

/** Starts a peer's consumer; undefined for Go kates when it did not build. */
export function startConsumer(ctx: ScenarioContext, config: ConsumerConfig): Consumer | undefined {
  if (ctx.startConsumer) return ctx.startConsumer(config);
  if (config.peer === 'go-kates') return ctx.goBinary ? ConsumerProcess.go(ctx.goBinary, config) : undefined;
  return ConsumerProcess.node(config);
}

/**
 * The digest of what the server holds now: what every peer's snapshot must equal. The in-memory
 * server tells it for a collection it holds as seeded (`seededDigest`: it read each one once, see
 * read-once.ts); otherwise the collection is listed here, metadata only.
 */
export async function serverDigest(ctx: ScenarioContext, c: Collection): Promise<CollectionDigest> {
  const seeded = await ctx.server.seededDigest?.(c.namespace);
  if (seeded) return seeded;
  const kc = new KubeConfig();
  kc.loadFromFile(ctx.server.kubeconfigPath);
  const transport = createNodeTransport(kc);
  try {
    // Metadata only (PartialObjectMetadataList): the digest reads names and versions, and the
    // whole of 100k Pods took the in-memory server 30 to 40 s to page out and this process 1.2 GB.
    const items = await listAll(transport, c, LARGE_PAGE_SIZE, METADATA_LIST_ACCEPT);
    return { digest: digestOf(items), count: items.length };
  } finally {
    transport.close();
  }
}

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
