import { setTimeout as sleep } from 'node:timers/promises';
import type { Accumulator, KubernetesObject } from '@kates/core';
import { changedOrAborted } from './wait.js';

/** What the slow consumer saw. */
export interface SlowConsumerCounts {
  /** Snapshot reads (turns of its loop). */
  reads: number;
  /** Reads that did not yield the store's newest state, by query name and read number (a kates bug). */
  staleReads: string[];
}

/**
 * A consumer whose reconcile takes `sleepMs` per turn, while the workload writes on: it waits
 * for the change signal, reads the snapshot into `snapshot`, and sleeps. Coalescing must give it
 * the newest state at each read (never a queue of old ones) and must not lose the signal for
 * changes made while it slept; the first is checked here at each read, the second by comparing
 * `snapshot` with a LIST once the run has converged. Runs until `signal` aborts.
 */
export async function runSlowConsumer(
  acc: Accumulator,
  snapshot: Record<string, readonly KubernetesObject[]>,
  sleepMs: number,
  signal: AbortSignal,
  counts: SlowConsumerCounts,
): Promise<void> {
  while (!signal.aborted) {
    await changedOrAborted(acc, signal);
    if (signal.aborted) return;
    acc.update(snapshot);
    counts.reads++;
    const newest = acc.getSnapshot() as Record<string, readonly KubernetesObject[]>;
    for (const name of Object.keys(newest))
      if (snapshot[name] !== newest[name]) counts.staleReads.push(`${name} at read ${counts.reads}`);
    await sleep(sleepMs, undefined, { signal }).catch(() => undefined);
  }
}
