import type { PeerName } from '../consumers/protocol.js';
import { Driver } from '../driver.js';
import { phaseWithin } from './churn.js';
import {
  type Collection,
  consumerConfig,
  errorText,
  type ScenarioContext,
  serverDigest,
  startConsumer,
} from './context.js';

/** Scenario 5: a burst of writes while each reconcile takes `reconcileMs`. */
export interface SlowConsumerResult {
  readonly server: string;
  readonly n: number;
  readonly peer: PeerName;
  readonly events: number;
  readonly reconcileMs: number;
  /** Change signals the consumer acted on (each one reconcile). */
  readonly updates?: number;
  readonly peakRssBytes?: number;
  /** From the last write acknowledged to the consumer's final snapshot. */
  readonly drainMs?: number;
  /** The final snapshot equals the server's list. */
  readonly correct: boolean;
  readonly error?: string;
}

export async function runSlowConsumer(
  ctx: ScenarioContext,
  c: Collection,
  peers: readonly PeerName[],
  events: number,
  reconcileMs: number,
): Promise<SlowConsumerResult[]> {
  const driver = new Driver(ctx.server.kubeconfigPath, c.kind, c.namespace);
  const results: SlowConsumerResult[] = [];
  try {
    for (const peer of peers) {
      const base = { server: ctx.server.name, n: c.n, peer, events: events + 1, reconcileMs };
      const consumer = startConsumer(ctx, consumerConfig(ctx, peer, c, { phases: ['slow'], reconcileMs }));
      if (!consumer) {
        results.push({ ...base, correct: false, error: 'not built (see the Go kates section)' });
        continue;
      }
      try {
        await consumer.next('bootstrapped', 45_000);
        await driver.writes(c.n, events);
        const marker = await driver.marker('slow');
        const line = await phaseWithin(consumer, 'slow', 60_000 + events);
        const expected = await serverDigest(ctx, c);
        results.push({
          ...base,
          updates: line.updates,
          peakRssBytes: line.peakRssBytes,
          drainMs: (line.endUs - marker.ackUs) / 1000,
          correct: line.digest === expected.digest && line.count === c.n,
        });
        ctx.log(
          `slow consumer ${ctx.server.name} ${peer}: ${line.updates} updates, drained ${((line.endUs - marker.ackUs) / 1000).toFixed(0)} ms after the last write`,
        );
      } catch (e) {
        ctx.log(`slow consumer ${ctx.server.name} ${peer}: FAILED ${errorText(e).split('\n')[0]}`);
        results.push({ ...base, correct: false, error: errorText(e) });
      } finally {
        await consumer.stop();
      }
    }
  } finally {
    driver.close();
  }
  return results;
}
