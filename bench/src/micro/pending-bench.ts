import type { KubernetesObject } from '@kates/core';
import { localWrite, parseWatchLine, type WatchEventPayload } from '@kates/core/internal';
import type { BenchKind } from '../objects.js';
import { RESOURCES } from '../resources.js';
import { type Summary, summarize } from '../stats.js';
import { eventLines } from './feed.js';
import { katesFixture } from './kates-fixture.js';

/**
 * Read/write coherence under a burst of writes: a controller's writes (through the client) wait
 * in the store until the watch delivers them. How much does each watch event cost while
 * `pending` writes wait, and what do the writes and their confirmations cost?
 */
export interface PendingBenchConfig {
  readonly kind: BenchKind;
  readonly n: number;
  readonly pending: number;
  /** Watch events for other objects, timed while the writes wait. */
  readonly events: number;
}

export interface PendingBenchResult {
  readonly kind: BenchKind;
  readonly n: number;
  readonly pending: number;
  /** One `localWrite` dispatch (the store side of a write through the client), mean µs. */
  readonly writeMeanUs: number;
  /** One watch event for another object while the writes wait, µs. */
  readonly eventUs: Summary;
  /** One watch event that confirms (and releases) a pending write, mean µs. */
  readonly confirmMeanUs: number;
  /** Every write was shown while pending and released by its confirmation. */
  readonly correct: boolean;
}

const now = () => performance.now();

export async function runPendingBench(config: PendingBenchConfig): Promise<PendingBenchResult> {
  const { kind, n, pending, events } = config;
  const rt = RESOURCES[kind];
  const fx = await katesFixture(kind, n, { namespace: 'bench' });
  const lines = eventLines(kind, n, 'bench', pending + events + 200, n + 1);
  const parse = (line: string): WatchEventPayload => {
    const parsed = parseWatchLine(line, rt);
    if (parsed.kind !== 'event') throw new Error(`bench event line did not parse: ${parsed.kind}`);
    return parsed.event;
  };
  // The writes answer at versions far ahead of the watch, as a burst of writes does; their
  // confirmations come last. Events for other objects are what the watch delivers meanwhile.
  const writes = lines.slice(0, pending).map((line, i) => {
    const obj = structuredClone(parse(line).object) as KubernetesObject;
    obj.metadata = { ...obj.metadata, resourceVersion: String(1e12 + i) };
    return obj;
  });
  const others = lines.slice(pending + 200, pending + 200 + events).map(parse);
  for (const ev of lines.slice(pending, pending + 200).map(parse)) fx.dispatchEvents([ev]);
  (globalThis as { gc?: () => void }).gc?.();

  let t = now();
  for (const object of writes)
    fx.store.dispatch(localWrite({ groupKind: kind, object, deleted: false, verb: 'update' }));
  const writeMeanUs = ((now() - t) * 1000) / Math.max(1, pending);
  const shown = fx.store.getState().kates.localPending.size === pending;

  const eventUs: number[] = [];
  for (const ev of others) {
    const s = now();
    fx.dispatchEvents([ev]);
    eventUs.push((now() - s) * 1000);
  }
  const stillPending = fx.store.getState().kates.localPending.size === pending;

  t = now();
  for (const object of writes) fx.dispatchEvents([{ type: 'MODIFIED', object }]);
  const confirmMeanUs = ((now() - t) * 1000) / Math.max(1, pending);
  const released = fx.store.getState().kates.localPending.size === 0;
  fx.close();
  return {
    kind,
    n,
    pending,
    writeMeanUs,
    eventUs: summarize(eventUs),
    confirmMeanUs,
    correct: shown && stillPending && released,
  };
}
