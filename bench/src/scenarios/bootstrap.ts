import type { PeerName } from '../consumers/protocol.js';
import { type Summary, summarize } from '../stats.js';
import {
  type Collection,
  consumerConfig,
  errorText,
  type ScenarioContext,
  serverDigest,
  startConsumer,
} from './context.js';

/** Scenario 1: from nothing to the first complete snapshot. */
export interface BootstrapResult {
  readonly server: string;
  readonly kind: string;
  readonly n: number;
  readonly peer: PeerName;
  readonly ms: Summary;
  /** Retained heap per object after the bootstrap (Go: HeapAlloc), median of the reps. */
  readonly heapPerObject: number;
  /** Every snapshot equalled the server's list. */
  readonly correct: boolean;
  /** Objects in the first snapshot, where it was short of n. */
  readonly firstCount?: number;
  readonly error?: string;
}

/** Limits that keep a slow peer from taking the whole run. */
export interface BootstrapBudget {
  /** One bootstrap longer than this fails (default 45 s). */
  readonly timeoutMs?: number;
  /** A peer is not repeated once its runs of this case add up to this (default 60 s). */
  readonly repeatWithinMs?: number;
  /**
   * Runs for the peers that take fewer than `reps`, where their median decides no verdict (the
   * full plan's `REPS_1K` says which and why). Each runs in the first rounds only, so the other
   * peers' rounds stay as they were.
   */
  readonly repsOf?: Partial<Record<PeerName, number>>;
  /**
   * One process of the first peer before the counted rounds, counted nowhere: the first process
   * to meet the in-memory server after its seeding took 105, 141 and 248 ms in 3 of the 6 full runs
   * of 2026-12-07 logged (1k ConfigMaps), against 76 to 97 for the same floor after it; on
   * kube-apiserver the first process was no slower than the rest.
   */
  readonly pilot?: boolean;
  /**
   * Failures earlier in the run, by `peer kind`: the smallest collection a peer failed on. A peer
   * is not run on a larger collection of that kind (it would only wait out the timeout again);
   * its result says where it failed. Filled in by this function.
   */
  readonly failedAt?: Map<string, { n: number; error: string }>;
}

/**
 * Runs each peer `reps` times over one collection, one fresh process per run; the peers take turns
 * in each round so that drift on a shared machine spreads evenly.
 */
export async function runBootstrap(
  ctx: ScenarioContext,
  c: Collection,
  peers: readonly PeerName[],
  reps: number,
  budget: BootstrapBudget = {},
): Promise<BootstrapResult[]> {
  const timeoutMs = budget.timeoutMs ?? 45_000;
  const repeatWithinMs = budget.repeatWithinMs ?? 60_000;
  const expected = await serverDigest(ctx, c);
  if (expected.count !== c.n)
    throw new Error(`the server holds ${expected.count} ${c.kind}s in ${c.namespace}, expected ${c.n}`);
  const runs = new Map<
    PeerName,
    { ms: number[]; heap: number[]; correct: boolean; firstCount?: number; error?: string }
  >();
  for (const p of peers) {
    const earlier = budget.failedAt?.get(`${p} ${c.kind}`);
    runs.set(
      p,
      earlier && earlier.n < c.n
        ? {
            ms: [],
            heap: [],
            correct: false,
            error: `not run: failed at ${earlier.n} ${c.kind}s in this run (${earlier.error.split(';')[0]})`,
          }
        : { ms: [], heap: [], correct: true },
    );
  }
  if (budget.pilot) await runPilot(ctx, c, peers, timeoutMs);
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < peers.length; k++) {
      const peer = peers[(k + rep) % peers.length]!;
      const run = runs.get(peer)!;
      if (rep >= (budget.repsOf?.[peer] ?? reps)) continue;
      if (run.error || run.ms.reduce((a, b) => a + b, 0) > repeatWithinMs) continue;
      const consumer = startConsumer(ctx, consumerConfig(ctx, peer, c));
      if (!consumer) {
        run.error = 'not built (see the Go kates section)';
        continue;
      }
      try {
        const line = await consumer.next('bootstrapped', timeoutMs);
        run.ms.push(line.ms);
        run.heap.push(line.heapBytes / c.n);
        if (line.digest !== expected.digest) run.correct = false;
        if (line.firstCount !== undefined && line.firstCount < c.n) run.firstCount = line.firstCount;
        ctx.log(`bootstrap ${ctx.server.name} ${c.kind} ${c.n} ${peer}: ${line.ms.toFixed(1)} ms`);
      } catch (e) {
        const first = consumer.take('first');
        run.error =
          first && first.count < c.n
            ? `no complete snapshot within ${timeoutMs / 1000} s; the first snapshot (${first.count} of ${c.n} objects) came after ${Math.round(first.ms)} ms`
            : errorText(e);
        ctx.log(`bootstrap ${ctx.server.name} ${c.kind} ${c.n} ${peer}: FAILED ${run.error.split('\n')[0]}`);
      } finally {
        await consumer.stop();
      }
    }
  }
  for (const [peer, run] of runs) {
    const key = `${peer} ${c.kind}`;
    const known = budget.failedAt?.get(key);
    if (run.error && !/^not (run|built)/.test(run.error) && (!known || c.n < known.n))
      budget.failedAt?.set(key, { n: c.n, error: run.error });
  }
  return peers.map((peer) => {
    const run = runs.get(peer)!;
    return {
      server: ctx.server.name,
      kind: c.kind,
      n: c.n,
      peer,
      ms: summarize(run.ms),
      heapPerObject: summarize(run.heap).median,
      correct: run.correct && !run.error,
      ...(run.firstCount !== undefined ? { firstCount: run.firstCount } : {}),
      ...(run.error ? { error: run.error } : {}),
    };
  });
}

/** The pilot of a case (see {@link BootstrapBudget.pilot}): one process of its first peer but Go kates. */
async function runPilot(
  ctx: ScenarioContext,
  c: Collection,
  peers: readonly PeerName[],
  timeoutMs: number,
): Promise<void> {
  const peer = peers.find((p) => p !== 'go-kates');
  const consumer = peer && startConsumer(ctx, consumerConfig(ctx, peer, c));
  if (!consumer) return;
  const what = `bootstrap ${ctx.server.name} ${c.kind} ${c.n} ${peer} (pilot, not counted)`;
  try {
    const line = await consumer.next('bootstrapped', timeoutMs);
    ctx.log(`${what}: ${line.ms.toFixed(1)} ms`);
  } catch (e) {
    ctx.log(`${what}: FAILED ${errorText(e).split('\n')[0]}`);
  } finally {
    await consumer.stop();
  }
}
