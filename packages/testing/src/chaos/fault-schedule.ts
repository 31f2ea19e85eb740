import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from '../cluster/cluster.js';
import type { SeededRandom } from '../fake/clock.js';
import type { FaultProxy } from '../proxy/fault-proxy.js';

/** The faults a chaos run injects. */
export type FaultKind = 'cutAll' | 'cutRandom' | 'latency' | 'stall' | 'blackhole' | 'restart' | 'compaction';

/** Every fault kind, in the order reports list them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'cutAll',
  'cutRandom',
  'latency',
  'stall',
  'blackhole',
  'restart',
  'compaction',
];

/** Options of {@link runFaultSchedule}. */
export interface FaultScheduleOptions {
  readonly proxy: FaultProxy;
  readonly cluster: Pick<Cluster, 'restartApiServer' | 'compact'>;
  readonly random: SeededRandom;
  /** Inject faults for this long (ms), and longer if needed until every kind has fired once. */
  readonly durationMs: number;
  /** Health between two faults, ms (default 1500): long enough for watches to resume and writes to land. */
  readonly gapMs?: number;
  /** How long latency, stall and blackhole last, ms (default 1000 to 3000). */
  readonly holdMs?: readonly [number, number];
  /** Called as each fault starts, for progress lines. */
  readonly onFault?: (kind: FaultKind, detail: string) => void;
}

/**
 * Injects faults in rounds: each round is every kind once, in a seeded random order, with
 * `gapMs` of health between them, until `durationMs` has passed and every kind has fired; the
 * run ends right after a fault, with the proxy healthy again. Returns how many of each fired.
 *
 * Latency ends with every connection dropped (see below), so that writes are cut in flight.
 *
 * A compaction is injected the way it hurts: watches are stalled while the workload writes on,
 * etcd is compacted at its newest revision, and every connection is cut, so the watches
 * reconnect from versions that no longer exist and must get 410 Gone and relist (with the watch
 * cache off; with it on, kube-apiserver serves them from memory and hides the compaction).
 */
export async function runFaultSchedule(options: FaultScheduleOptions): Promise<Record<FaultKind, number>> {
  const { proxy, cluster, random } = options;
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const gap = options.gapMs ?? 1500;
  const [lo, hi] = options.holdMs ?? [1000, 3000];
  const hold = () => Math.round(lo + random.next() * (hi - lo));
  const note = options.onFault ?? (() => undefined);
  const end = Date.now() + options.durationMs;

  const inject = async (kind: FaultKind) => {
    counts[kind]++;
    switch (kind) {
      case 'cutAll':
        note(kind, `${proxy.open} connections`);
        proxy.cutAll();
        return;
      case 'cutRandom':
        note(kind, `half of ${proxy.open} connections`);
        proxy.cutRandom(0.5);
        return;
      case 'latency': {
        const ms = Math.round(100 + random.next() * 400);
        const forMs = hold();
        note(kind, `${ms} ms each way for ${forMs} ms, then every connection drops`);
        proxy.setLatency(ms);
        await sleep(forMs);
        // A slow link that then drops: writes in flight are cut after the server may have
        // committed them, the case where a client cannot know whether its create happened.
        proxy.cutAll();
        proxy.setLatency(0);
        return;
      }
      case 'stall': {
        const forMs = hold();
        note(kind, `${forMs} ms`);
        proxy.stall();
        await sleep(forMs);
        proxy.resume();
        return;
      }
      case 'blackhole': {
        const forMs = hold();
        note(kind, `${forMs} ms`);
        await proxy.blackhole(forMs);
        return;
      }
      case 'restart': {
        const started = Date.now();
        await cluster.restartApiServer();
        note(kind, `kube-apiserver ready again after ${Date.now() - started} ms`);
        return;
      }
      case 'compaction': {
        proxy.stall();
        await sleep(1000);
        const revision = await cluster.compact();
        note(kind, `etcd compacted at revision ${revision}`);
        proxy.cutAll();
        proxy.resume();
        return;
      }
    }
  };

  const allFired = () => FAULT_KINDS.every((k) => counts[k] > 0);
  for (;;) {
    const round = [...FAULT_KINDS];
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [round[i], round[j]] = [round[j]!, round[i]!];
    }
    for (const kind of round) {
      await inject(kind);
      // No health after the last fault: convergence is measured from the end of the last one.
      if (Date.now() >= end && allFired()) {
        proxy.setLatency(0);
        proxy.resume();
        return counts;
      }
      await sleep(gap);
    }
  }
}
