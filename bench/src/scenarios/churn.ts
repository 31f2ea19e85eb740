import { type ConsumerLine, type PeerName, sleep } from '../consumers/protocol.js';
import { Driver } from '../driver.js';
import type { Consumer } from '../peers/consumer-process.js';
import { nowMicros, quantile, type Summary, summarize } from '../stats.js';
import {
  type Collection,
  consumerConfig,
  errorText,
  type ScenarioContext,
  serverDigest,
  startConsumer,
} from './context.js';

/** How hard a churn run pushes. */
export interface ChurnPlan {
  /**
   * Single writes 100 ms apart, after the steady phase: each change signal follows one change
   * (update cost, idle latency), in a process whose code is warm.
   */
  readonly trickle: number;
  /** Writes at a fixed offered rate (open loop): latency under sustained load. */
  readonly steady: { readonly count: number; readonly ratePerSec: number };
  /** Writes held back by a watch stall, then released at once: ingest capacity (where the server can stall). */
  readonly burst?: { readonly count: number };
}

type PhaseLine = Extract<ConsumerLine, { type: 'phase' }>;

/** Scenarios 2 and 3 from a server: churn on a collection, one peer at a time. */
export interface ChurnResult {
  readonly server: string;
  readonly kind: string;
  readonly n: number;
  readonly peer: PeerName;
  /** `update(snapshot)` (or the peer's snapshot read) after one change, µs. */
  readonly updateAfterOneUs?: Summary;
  readonly trickleLatencyMs?: Summary;
  readonly steady?: {
    readonly offeredPerSec: number;
    readonly ingestedPerSec: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly updates: number;
    readonly events: number;
    readonly lagMs: number;
  };
  readonly burst?: {
    readonly events: number;
    readonly ingestedPerSec: number;
    readonly drainMs: number;
    readonly updates: number;
  };
  readonly correct: boolean;
  readonly error?: string;
}

const ms = (us: number) => us / 1000;

/** The end of a phase, or an error saying the peer fell behind by more than `timeoutMs`. */
export async function phaseWithin(consumer: Consumer, phase: string, timeoutMs: number): Promise<PhaseLine> {
  try {
    return await consumer.next('phase', timeoutMs);
  } catch (e) {
    if (/no "phase" within/.test(errorText(e))) {
      throw new Error(
        `fell behind: the end of the ${phase} phase did not reach its snapshot within ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    throw e;
  }
}

/** Runs the churn plan against each peer in turn, each in a fresh process over the same collection. */
export async function runChurn(
  ctx: ScenarioContext,
  c: Collection,
  peers: readonly PeerName[],
  plan: ChurnPlan,
): Promise<ChurnResult[]> {
  const driver = new Driver(ctx.server.kubeconfigPath, c.kind, c.namespace);
  const results: ChurnResult[] = [];
  const burst = plan.burst && ctx.server.stallWatches ? plan.burst : undefined;
  const phases = ['steady', 'trickle', ...(burst ? ['burst'] : [])];
  try {
    // Every peer meets a warm server: the writes of one steady phase, seen by a watch, first.
    if (peers.length > 0) await driver.warmUp(c.n, Math.min(plan.steady.count, 1000), plan.steady.ratePerSec);
    for (const peer of peers) {
      const consumer = startConsumer(ctx, consumerConfig(ctx, peer, c, { phases }));
      const base = { server: ctx.server.name, kind: c.kind, n: c.n, peer };
      if (!consumer) {
        results.push({ ...base, correct: false, error: 'not built (see the Go kates section)' });
        continue;
      }
      const partial: { -readonly [K in keyof ChurnResult]?: ChurnResult[K] } = {};
      try {
        await consumer.next('bootstrapped', 45_000);
        const steadyWrites = await driver.writes(c.n, plan.steady.count, {
          ratePerSec: plan.steady.ratePerSec,
        });
        const steadyMarker = await driver.marker('steady');
        const steady = await phaseWithin(
          consumer,
          'steady',
          30_000 + (plan.steady.count / plan.steady.ratePerSec) * 1000,
        );
        partial.steady = steadyOf(
          steady,
          steadyWrites.firstSentUs,
          steadyMarker.ackUs,
          plan.steady.count,
          steadyWrites,
        );
        ctx.log(
          `churn ${ctx.server.name} ${c.kind} ${c.n} ${peer}: steady p50 ${partial.steady.p50Ms.toFixed(1)} ms, ` +
            `p99 ${partial.steady.p99Ms.toFixed(1)} ms`,
        );

        // One change at a time after the steady phase: each peer's code is warm, as in a
        // controller that has run for a while. Measured first, in a fresh process, it timed the
        // JIT's first watch events and first updates: kates-ts' update() after one change at 10k
        // took 69 to 79 us there against 48 to 50 us after the steady phase (in-memory server,
        // bench/dist/micro/churn-latency.js, one run each way).
        for (let k = 0; k < plan.trickle; k++) {
          await driver.writes(c.n, 1, { concurrency: 1 });
          await sleep(100);
        }
        await driver.marker('trickle');
        const trickle = await phaseWithin(consumer, 'trickle', 30_000);
        partial.updateAfterOneUs = summarize(trickle.updateUs);
        partial.trickleLatencyMs = summarize(trickle.latenciesUs.map(ms));

        let last: PhaseLine = trickle;
        if (burst && ctx.server.stallWatches) {
          await ctx.server.stallWatches(600_000);
          await driver.writes(c.n, burst.count);
          await driver.marker('burst');
          const releasedUs = nowMicros();
          await ctx.server.stallWatches(0);
          last = await phaseWithin(consumer, 'burst', 60_000);
          const drainMs = ms(last.endUs - releasedUs);
          partial.burst = {
            events: burst.count + 1,
            ingestedPerSec: (burst.count + 1) / (drainMs / 1000),
            drainMs,
            updates: last.updates,
          };
          ctx.log(
            `churn ${ctx.server.name} ${c.kind} ${c.n} ${peer}: burst of ${burst.count + 1} drained in ${drainMs.toFixed(0)} ms`,
          );
        }
        const expected = await serverDigest(ctx, c);
        results.push({ ...base, ...partial, correct: last.digest === expected.digest && last.count === c.n });
      } catch (e) {
        ctx.log(`churn ${ctx.server.name} ${c.kind} ${c.n} ${peer}: FAILED ${errorText(e).split('\n')[0]}`);
        results.push({ ...base, ...partial, correct: false, error: errorText(e) });
      } finally {
        await consumer.stop();
      }
    }
  } finally {
    driver.close();
  }
  return results;
}

function steadyOf(
  line: PhaseLine,
  firstSentUs: number,
  markerAckUs: number,
  count: number,
  writes: { firstSentUs: number; lastSentUs: number },
) {
  return {
    offeredPerSec: count / Math.max(1e-6, (writes.lastSentUs - writes.firstSentUs) / 1e6),
    ingestedPerSec: (count + 1) / Math.max(1e-6, (line.endUs - firstSentUs) / 1e6),
    p50Ms: ms(quantile(line.latenciesUs, 0.5)),
    p99Ms: ms(quantile(line.latenciesUs, 0.99)),
    updates: line.updates,
    events: line.latenciesUs.length,
    lagMs: ms(line.endUs - markerAckUs),
  };
}
