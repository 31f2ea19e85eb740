/**
 * The in-memory API server in a process of its own: `node servers/fake-host.js '<FakeHostConfig>'`
 * with an IPC channel. It seeds the collections, answers `ready`, and obeys `stall` (hold every
 * watch's events, or release them with 0 ms) and `stop`. A process of its own so that serving
 * lists and watches never shares a thread with the library being measured.
 */

import { startFakeApiServer } from '@kates/testing';
import { type BenchKind, seedOf } from '../objects.js';
import { type CollectionDigest, readCollectionOnce } from './read-once.js';

export interface FakeCollection {
  readonly kind: BenchKind;
  readonly namespace: string;
  readonly n: number;
}

export interface FakeHostConfig {
  readonly collections: readonly FakeCollection[];
  /** Watch events kept for watches that resume (the fake's history). */
  readonly historySize: number;
}

export type FakeHostMessage =
  | { op: 'stall'; ms: number }
  | { op: 'digest'; namespace: string }
  | { op: 'stop' };
export type FakeHostReply =
  | { type: 'ready'; kubeconfigPath: string; seedMs: number }
  | { type: 'stalled'; watches: number }
  | { type: 'digest'; digest?: CollectionDigest }
  | { type: 'error'; message: string };

async function main(config: FakeHostConfig): Promise<void> {
  const send = (m: FakeHostReply) => process.send?.(m);
  const seed = seedOf(config.collections);
  const t0 = performance.now();
  // Plain http: the TLS front (tls-front.ts) puts the TLS of a real API server in front of it.
  const server = await startFakeApiServer({ seed, historySize: config.historySize, tls: false });
  seed.length = 0;
  // Each collection read once (read-once.ts), its digest kept for as long as nothing is written.
  const digests = new Map<string, CollectionDigest>();
  for (const c of config.collections) {
    const digest = await readCollectionOnce(server.kubeconfigPath, c);
    if (digest) digests.set(c.namespace, digest);
  }
  const seededAt = server.resourceVersion;
  send({ type: 'ready', kubeconfigPath: server.kubeconfigPath, seedMs: performance.now() - t0 });
  process.on('message', (m: FakeHostMessage) => {
    if (m.op === 'stall') send({ type: 'stalled', watches: server.faults.stallWatches(m.ms) });
    else if (m.op === 'digest') {
      const digest = server.resourceVersion === seededAt ? digests.get(m.namespace) : undefined;
      send(digest ? { type: 'digest', digest } : { type: 'digest' });
    } else if (m.op === 'stop') void server.stop().then(() => process.exit(0));
  });
  process.on('disconnect', () => void server.stop().then(() => process.exit(0)));
}

main(JSON.parse(process.argv[2] ?? '{}') as FakeHostConfig).catch((e: unknown) => {
  process.send?.({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
