import { startFakeApiServer } from '@kates/testing';
import type { ConsumerConfig } from '../consumers/protocol.js';
import { runConsumer } from '../consumers/run-consumer.js';
import { seedOf } from '../objects.js';
import { type Consumer, ConsumerLines } from '../peers/consumer-process.js';
import type { Collection } from '../scenarios/context.js';
import type { BenchServer } from '../servers/fake.js';

/**
 * The in-memory API server in this process, seeded with `collections`: for tests, which run on the
 * sources (the benchmark itself runs it in a process of its own, behind TLS).
 */
export async function inProcessServer(collections: readonly Collection[]): Promise<BenchServer> {
  const server = await startFakeApiServer({ seed: seedOf(collections) });
  return {
    name: 'fake',
    kubeconfigPath: server.kubeconfigPath,
    setupMs: 0,
    stallWatches: async (ms) => server.faults.stallWatches(ms),
    stop: () => server.stop(),
  };
}

/** A consumer run in this process (Go kates is not: tests cover the TypeScript peers). */
export function inProcessConsumer(config: ConsumerConfig): Consumer | undefined {
  if (config.peer === 'go-kates') return undefined;
  const lines = new ConsumerLines(config.peer);
  const done = runConsumer(config, (line) => lines.push(line)).then(
    () => lines.end('ended'),
    (e: unknown) => lines.push({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
  return {
    next: (type, timeoutMs) => lines.next(type, timeoutMs),
    take: (type) => lines.take(type),
    stop: () => done,
  };
}
