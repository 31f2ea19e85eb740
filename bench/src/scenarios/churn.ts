import { type ConsumerLine, type PeerName, sleep } from '../consumers/protocol.js';
import { Driver } from '../driver.js';
import type { Consumer } from '../peers/consumer-process.js';
import {
  type MedianInterval,
  medianInterval,
  nowMicros,
  quantile,
  type Summary,
  summarize,
} from '../stats.js';
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
  /**
   * Processes per peer (default 1), the order reversed every other round; the steady and trickle
   * phases are per process and pooled, the burst runs in a peer's last process only. Two rounds
   * because a peer's place moved its steady p99: the second of two peers had the lower p99 in 4
   * pairs of 4, each order in turn, even with a warm-up before each (in-memory server, 10k
   * ConfigMaps, 2026-12-06).
   */
  readonly rounds?: number;
  /**
   * Run a pilot first: a process of the first peer, counted nowhere (see {@link pilot}). Where the
   * peers' steady p99s are close enough for the first process's cold bench to decide between
   * them (10k); at 100k client-node's p99 is some 40 times kates-ts', and its pilot cost 16 to
   * 18 s of the run (run of 22:50).
   */
  readonly pilot?: boolean;
  /**
   * Run the peers side by side: each round starts one process of every peer (each bootstrapped
   * before the next starts, the order reversed every other round), and every phase's writes are
   * seen by all of them at once, so that each peer's samples are of the same writes at the same
   * moments (see {@link churnSteps}). Where the peers' latencies are within the bench's own
   * noise (10k): one process at a time, a spike of the server or of the machine fell into one
   * peer's samples only.
   */
  readonly paired?: boolean;
}

type PhaseLine = Extract<ConsumerLine, { type: 'phase' }>;

/** Scenarios 2 and 3 from a server: churn on a collection, a peer's result. */
export interface ChurnResult {
  readonly server: string;
  readonly kind: string;
  readonly n: number;
  readonly peer: PeerName;
  /** `update(snapshot)` (or the peer's snapshot read) after one change, µs. */
  readonly updateAfterOneUs?: Summary;
  /** Minor page faults during each of those reads (stats.ts `minorPageFaults`; not Go kates). */
  readonly updatePageFaults?: Summary;
  readonly trickleLatencyMs?: Summary;
  /**
   * The client's part of one change's latency: from the body chunk reaching the HTTP client to the
   * change signal, µs (consumers/arrival.ts; not for Go kates).
   */
  readonly trickleClientUs?: Summary;
  /**
   * kates-ts' latency of one change minus this peer's, per write both followed side by side
   * (`plan.paired`), µs: its median, and the interval within which the median of such
   * differences lies with 95% confidence (stats.ts `medianInterval`). The server's and the
   * writer's share of each write is the same for both, so this tells the clients apart where
   * the medians of each alone move by more from run to run than they differ (issue 18).
   */
  readonly trickleVersusKatesUs?: MedianInterval;
  readonly steady?: {
    readonly offeredPerSec: number;
    readonly ingestedPerSec: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    /** p99 of the ramp's writes ({@link RAMP_MS}), ms: shown, never judged. */
    readonly rampP99Ms?: number;
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

/** Writes a watch sees before each peer's run (at the steady rate; fewer if the steady phase is). */
export const WARM_UP_WRITES = 500;

/**
 * The ramp: writes at the steady rate for this long, in a phase of their own, before the steady
 * phase is timed. Its latencies are kept apart (`rampP99Ms`), shown and never judged.
 *
 * Why: from idle to the steady rate, the bench's writer opened some 15 to 20 new TLS connections
 * in the first 30 to 230 ms (undici opens one whenever every connection of its pool is busy, and
 * the first writes queued behind the handshakes), and the writes of those 200 ms were the slowest
 * of the phase: 11 of the 12 slowest steady latencies of a kates-ts process (46 to 55 ms), and 10 of
 * client-node's 12 (42 to 71 ms), were writes sent in its first 180 ms (in-memory server, 10k
 * ConfigMaps, 500 writes/s, 2026-12-06). The p99 of a phase of 1,000 writes measured that storm
 * (the writer's, whichever peer was reading), not the steady state. After a ramp, the slowest
 * writes were spread over the phase.
 */
export const RAMP_MS = 500;

/** The ramp's writes at `ratePerSec` ({@link RAMP_MS}). */
export function rampWrites(ratePerSec: number): number {
  return Math.ceil((ratePerSec * RAMP_MS) / 1000);
}

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

/**
 * One peer's samples from one process: pooled over a peer's processes (`plan.rounds`) into its
 * {@link ChurnResult}.
 */
interface PeerRun {
  updateUs: number[];
  updatePageFaults: number[];
  trickleUs: number[];
  trickleClientUs: number[];
  /** kates-ts' latency minus this peer's, per write of a step both followed. */
  trickleVersusKatesUs: number[];
  rampUs: number[];
  steadyUs: number[];
  steady: Omit<NonNullable<ChurnResult['steady']>, 'p50Ms' | 'p99Ms' | 'events'>[];
  burst?: ChurnResult['burst'];
  correct: boolean;
  error?: string;
}

/**
 * The order of the peers' processes: `peers` in each odd round, reversed in each even one (two
 * rounds of two peers: A B B A), so that each peer runs as often right after the other as right
 * after itself. Proved by 'runs each peer once per round, the order reversed every other round'
 * (churn.test.ts).
 */
export function churnTurns(peers: readonly PeerName[], rounds: number): PeerName[] {
  return churnSteps(peers, rounds).flat();
}

/**
 * The steps of a churn run, each the peers whose processes follow the same writes: one peer a
 * step in the order of {@link churnTurns}, or, `paired`, every peer in each round's order (the
 * first started first). Proved by 'runs the peers side by side, each round in the order of its
 * turns' (churn.test.ts).
 */
export function churnSteps(peers: readonly PeerName[], rounds: number, paired = false): PeerName[][] {
  const steps: PeerName[][] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [...peers] : [...peers].reverse();
    if (paired) steps.push(order);
    else for (const peer of order) steps.push([peer]);
  }
  return steps;
}

/** A peer's process in a step, with the samples it adds to. */
interface Seat {
  readonly peer: PeerName;
  readonly consumer: Consumer;
  readonly run: PeerRun;
}

/**
 * Runs the churn plan against each peer, each in fresh processes over the same collection,
 * `plan.rounds` processes a peer, one at a time or side by side (see {@link churnSteps}); a peer's
 * result pools the samples of its processes, and the burst is its last process's. A peer that
 * fails is left out of the steps after; the others go on.
 */
export async function runChurn(
  ctx: ScenarioContext,
  c: Collection,
  peers: readonly PeerName[],
  plan: ChurnPlan,
): Promise<ChurnResult[]> {
  const driver = new Driver(ctx.server.kubeconfigPath, c.kind, c.namespace);
  const burst = plan.burst && ctx.server.stallWatches ? plan.burst : undefined;
  const steps = churnSteps(peers, plan.rounds ?? 1, plan.paired);
  const runs = new Map<PeerName, PeerRun>(peers.map((p) => [p, emptyRun()]));
  const fail = (peer: PeerName, e: unknown) => {
    const run = runs.get(peer)!;
    ctx.log(`${label(ctx, c, peer)}: FAILED ${errorText(e).split('\n')[0]}`);
    run.correct = false;
    run.error = errorText(e);
  };
  try {
    if (plan.pilot) await pilot(ctx, driver, c, steps[0]![0]!, plan);
    for (const [k, step] of steps.entries()) {
      const later = steps.slice(k + 1).flat();
      const seats: Seat[] = [];
      try {
        await warmUp(driver, c, plan);
        for (const peer of step) {
          const run = runs.get(peer)!;
          if (run.error) continue;
          const phases = ['ramp', 'steady', 'trickle', ...(burst && !later.includes(peer) ? ['burst'] : [])];
          const consumer = await startConsumer(ctx, consumerConfig(ctx, peer, c, { phases }));
          if (!consumer) {
            run.correct = false;
            run.error = 'not built (see the Go kates section)';
            continue;
          }
          seats.push({ peer, consumer, run });
          // Each bootstrapped before the next starts: a bootstrap is not what a churn run times.
          await consumer.next('bootstrapped', 45_000).catch((e: unknown) => fail(peer, e));
        }
        await followChanges(ctx, driver, c, plan, seats, later, fail);
      } catch (e) {
        // The writer or the server failed: every peer of the step.
        for (const peer of step) if (!runs.get(peer)!.error) fail(peer, e);
      } finally {
        await Promise.all(seats.map((s) => s.consumer.stop()));
      }
    }
  } finally {
    driver.close();
  }
  return peers.map((peer) =>
    pooled({ server: ctx.server.name, kind: c.kind, n: c.n, peer }, runs.get(peer)!),
  );
}

/**
 * Each live seat's line of `phase`; a seat that fails to give it is failed (`fail`) and left out
 * of the answer and of the phases after.
 */
async function linesOf(
  seats: readonly Seat[],
  phase: string,
  timeoutMs: number,
  fail: (peer: PeerName, e: unknown) => void,
): Promise<{ seat: Seat; line: PhaseLine }[]> {
  const live = seats.filter((s) => !s.run.error);
  const settled = await Promise.allSettled(live.map((s) => phaseWithin(s.consumer, phase, timeoutMs)));
  const lines: { seat: Seat; line: PhaseLine }[] = [];
  for (const [i, result] of settled.entries()) {
    if (result.status === 'fulfilled') lines.push({ seat: live[i]!, line: result.value });
    else fail(live[i]!.peer, result.reason);
  }
  return lines;
}

/**
 * One step's phases, every seat following the same writes: the ramp and the steady phase, one
 * change at a time, and the burst for the seats whose last process this is (`later` names the
 * peers that run again). Each seat's samples go to its peer's run.
 */
async function followChanges(
  ctx: ScenarioContext,
  driver: Driver,
  c: Collection,
  plan: ChurnPlan,
  seats: readonly Seat[],
  later: readonly PeerName[],
  fail: (peer: PeerName, e: unknown) => void,
): Promise<void> {
  if (!seats.some((s) => !s.run.error)) return;
  const written = await rampAndSteady(driver, c, plan);
  for (const { seat, line } of await linesOf(seats, 'ramp', 30_000, fail))
    seat.run.rampUs.push(...line.latenciesUs);
  for (const { seat, line } of await linesOf(seats, 'steady', written.timeoutMs, fail)) {
    seat.run.steadyUs.push(...line.latenciesUs);
    seat.run.steady.push(written.summary(line));
    ctx.log(`${label(ctx, c, seat.peer)}: ${steadyText(line)}`);
  }

  // One change at a time after the steady phase: each peer's code is warm, as in a controller
  // that has run for a while. Measured first, in a fresh process, it timed the JIT's first watch
  // events and first updates: kates-ts' update() after one change at 10k took 69 to 79 us there
  // against 48 to 50 us after the steady phase (in-memory server,
  // bench/dist/micro/churn-latency.js, one run each way).
  for (let t = 0; t < plan.trickle; t++) {
    await driver.writes(c.n, 1, { concurrency: 1 });
    await sleep(100);
  }
  await driver.marker('trickle');
  const last = new Map<Seat, PhaseLine>();
  for (const { seat, line } of await linesOf(seats, 'trickle', 30_000, fail)) {
    seat.run.updateUs.push(...line.updateUs);
    seat.run.updatePageFaults.push(...(line.updatePageFaults ?? []));
    seat.run.trickleUs.push(...line.latenciesUs);
    seat.run.trickleClientUs.push(...(line.clientUs ?? []));
    last.set(seat, line);
  }
  pairWrites(last);

  const bursting = seats.filter((s) => !s.run.error && !later.includes(s.peer));
  if (plan.burst && ctx.server.stallWatches && bursting.length > 0) {
    const { count } = plan.burst;
    await ctx.server.stallWatches(600_000);
    await driver.writes(c.n, count);
    await driver.marker('burst');
    const releasedUs = nowMicros();
    await ctx.server.stallWatches(0);
    for (const { seat, line } of await linesOf(bursting, 'burst', 60_000, fail)) {
      const drainMs = ms(line.endUs - releasedUs);
      seat.run.burst = {
        events: count + 1,
        ingestedPerSec: (count + 1) / (drainMs / 1000),
        drainMs,
        updates: line.updates,
      };
      last.set(seat, line);
      ctx.log(`${label(ctx, c, seat.peer)}: burst of ${count + 1} drained in ${drainMs.toFixed(0)} ms`);
    }
  }
  const expected = await serverDigest(ctx, c);
  for (const [seat, line] of last) {
    if (!seat.run.error && (line.digest !== expected.digest || line.count !== c.n)) seat.run.correct = false;
  }
}

/**
 * For each seat of another peer beside a kates-ts seat in one step: kates-ts' latency minus its
 * own, for every write of `lines` that both saw (the same sent stamp). Proved by 'pairs the
 * latencies of the writes both peers saw, kates-ts minus the other' (churn.test.ts).
 */
export function pairWrites(
  lines: ReadonlyMap<
    { readonly peer: PeerName; readonly run: Pick<PeerRun, 'trickleVersusKatesUs'> },
    PhaseLine
  >,
): void {
  const kates = [...lines].find(([seat]) => seat.peer === 'kates');
  if (!kates) return;
  const katesUs = latencyBySent(kates[1]);
  for (const [seat, line] of lines) {
    if (seat.peer === 'kates') continue;
    for (const [sent, us] of latencyBySent(line)) {
      const k = katesUs.get(sent);
      if (k !== undefined) seat.run.trickleVersusKatesUs.push(k - us);
    }
  }
}

/** A phase's latencies by the stamp of the write each is of. */
function latencyBySent(line: PhaseLine): Map<number, number> {
  const out = new Map<number, number>();
  const sent = line.sentUs ?? [];
  for (let i = 0; i < sent.length; i++) out.set(sent[i]!, line.latenciesUs[i]!);
  return out;
}

/** How a process's lines in the log begin. */
const label = (ctx: ScenarioContext, c: Collection, peer: PeerName) =>
  `churn ${ctx.server.name} ${c.kind} ${c.n} ${peer}`;

/**
 * The warm-up before each step: every step's processes meet the server as the step before met
 * it, warm, right after 500 writes seen by a watch. One warm-up before the first peer only (1000
 * writes) let the others start after a whole peer run instead.
 */
function warmUp(driver: Driver, c: Collection, plan: ChurnPlan) {
  return driver.warmUp(c.n, Math.min(plan.steady.count, WARM_UP_WRITES), plan.steady.ratePerSec);
}

/**
 * The ramp, then the steady phase at once (its marker is the only write between them): how long
 * a consumer may take to see the steady phase's end, and the summary of a consumer's steady line.
 */
async function rampAndSteady(driver: Driver, c: Collection, plan: ChurnPlan) {
  const { count, ratePerSec } = plan.steady;
  await driver.writes(c.n, rampWrites(ratePerSec), { ratePerSec });
  await driver.marker('ramp');
  const writes = await driver.writes(c.n, count, { ratePerSec });
  const marker = await driver.marker('steady');
  return {
    timeoutMs: 30_000 + (count / ratePerSec) * 1000,
    summary: (line: PhaseLine) => steadyOf(line, writes.firstSentUs, marker.ackUs, count, writes),
  };
}

const steadyText = (line: PhaseLine) =>
  `steady p50 ${ms(quantile(line.latenciesUs, 0.5)).toFixed(1)} ms, p99 ${ms(quantile(line.latenciesUs, 0.99)).toFixed(1)} ms`;

/**
 * The pilot (`plan.pilot`): one process of the case's first peer, its bootstrap, ramp and steady
 * phase, counted nowhere (logged as the pilot), before the first counted process. Why: the first
 * process of a case met a cold bench, whichever peer it ran. In-memory server, 10k ConfigMaps,
 * A B B A (2026-12-06): the first process's steady p99 was 42 to 54 ms in 6 runs of 6, kates-ts first
 * or client-node first, against 5 to 30 ms for the three after it; a full garbage collection of
 * the server after seeding did not change it, and 3,000 warm-up writes before the first process
 * (500 before the others) only halved it. With the pilot (4 runs), the pilot took 42 to 57 ms and
 * the counted processes 6 to 29 ms, either peer. Its failure fails no peer: the counted processes
 * meet the same server and say so themselves.
 */
async function pilot(ctx: ScenarioContext, driver: Driver, c: Collection, peer: PeerName, plan: ChurnPlan) {
  const pilotLabel = `${label(ctx, c, peer)} (pilot, not counted)`;
  await warmUp(driver, c, plan);
  const consumer = await startConsumer(ctx, consumerConfig(ctx, peer, c, { phases: ['ramp', 'steady'] }));
  if (!consumer) return;
  try {
    await consumer.next('bootstrapped', 45_000);
    const written = await rampAndSteady(driver, c, plan);
    await phaseWithin(consumer, 'ramp', 30_000);
    ctx.log(`${pilotLabel}: ${steadyText(await phaseWithin(consumer, 'steady', written.timeoutMs))}`);
  } catch (e) {
    ctx.log(`${pilotLabel}: FAILED ${errorText(e).split('\n')[0]}`);
  } finally {
    await consumer.stop();
  }
}

function emptyRun(): PeerRun {
  return {
    updateUs: [],
    updatePageFaults: [],
    trickleUs: [],
    trickleClientUs: [],
    trickleVersusKatesUs: [],
    rampUs: [],
    steadyUs: [],
    steady: [],
    correct: true,
  };
}

/** A peer's result from the samples of all its processes. */
function pooled(base: Pick<ChurnResult, 'server' | 'kind' | 'n' | 'peer'>, run: PeerRun): ChurnResult {
  const steady =
    run.steady.length > 0
      ? {
          // Rates and lag: the worst process's, as one process alone would have shown them.
          offeredPerSec: Math.min(...run.steady.map((x) => x.offeredPerSec)),
          ingestedPerSec: Math.min(...run.steady.map((x) => x.ingestedPerSec)),
          p50Ms: ms(quantile(run.steadyUs, 0.5)),
          p99Ms: ms(quantile(run.steadyUs, 0.99)),
          ...(run.rampUs.length > 0 ? { rampP99Ms: ms(quantile(run.rampUs, 0.99)) } : {}),
          updates: run.steady.reduce((a, x) => a + x.updates, 0),
          events: run.steadyUs.length,
          lagMs: Math.max(...run.steady.map((x) => x.lagMs)),
        }
      : undefined;
  return {
    ...base,
    ...(run.updateUs.length > 0 ? { updateAfterOneUs: summarize(run.updateUs) } : {}),
    ...(run.updatePageFaults.length > 0 ? { updatePageFaults: summarize(run.updatePageFaults) } : {}),
    ...(run.trickleUs.length > 0 ? { trickleLatencyMs: summarize(run.trickleUs.map(ms)) } : {}),
    ...(run.trickleClientUs.length > 0 ? { trickleClientUs: summarize(run.trickleClientUs) } : {}),
    ...(run.trickleVersusKatesUs.length > 0
      ? { trickleVersusKatesUs: medianInterval(run.trickleVersusKatesUs) }
      : {}),
    ...(steady ? { steady } : {}),
    ...(run.burst ? { burst: run.burst } : {}),
    correct: run.correct && !run.error,
    ...(run.error ? { error: run.error } : {}),
  };
}

/** One process's steady phase, its latencies aside (they are pooled). */
function steadyOf(
  line: PhaseLine,
  firstSentUs: number,
  markerAckUs: number,
  count: number,
  writes: { firstSentUs: number; lastSentUs: number },
): PeerRun['steady'][number] {
  return {
    offeredPerSec: count / Math.max(1e-6, (writes.lastSentUs - writes.firstSentUs) / 1e6),
    ingestedPerSec: (count + 1) / Math.max(1e-6, (line.endUs - firstSentUs) / 1e6),
    updates: line.updates,
    lagMs: ms(line.endUs - markerAckUs),
  };
}
